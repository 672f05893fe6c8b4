import { treeDepth, type ObjectForest, type TreeNode } from './itree.js';

/**
 * A trained forest flattened into typed arrays, so scoring walks arrays with
 * no allocation and the arrays can be saved as they are.
 *
 * 'complete': every tree is a complete binary tree of depth L (2^L - 1 split
 * slots, 2^L leaves; node i has children 2i+1 and 2i+2). An external node
 * above depth L is padded with pass-through splits (+Infinity: a finite x is
 * never >= it, so the walk always goes left) and its value is stored in the
 * leaf that walk reaches. Scoring is then a fixed loop of L steps per tree.
 *
 * 'linked': explicit child indices, for forests too deep to pad (2^L grows
 * fast: ψ = 65536 would mean 65536 leaves per tree).
 */
export type CompiledForest = CompleteForest | LinkedForest;

interface ForestShape {
  readonly trees: number;
  readonly dims: number;
  /** c(ψ) of the engine that trained the forest. */
  readonly normalizer: number;
}

export interface CompleteForest extends ForestShape {
  readonly layout: 'complete';
  readonly depth: number;
  /** trees x (2^depth - 1) split slots. */
  readonly feature: Uint16Array;
  readonly split: Float64Array;
  /** trees x 2^depth path values (depth + c(size)). */
  readonly leaf: Float64Array;
}

export interface LinkedForest extends ForestShape {
  readonly layout: 'linked';
  readonly roots: Uint32Array;
  readonly feature: Uint16Array;
  readonly split: Float64Array;
  /** Index of the left child, the right one follows it; 0 marks an external node (0 is always a root). */
  readonly left: Uint32Array;
  /** Path value of external nodes (0 elsewhere). */
  readonly value: Float64Array;
}

/** Deeper trees use the linked layout: padding would cost 2^depth slots per tree. */
export const MAX_COMPLETE_DEPTH = 12;

export function compileForest(forest: ObjectForest, maxCompleteDepth = MAX_COMPLETE_DEPTH): CompiledForest {
  if (forest.dims > 0xffff) throw new Error(`at most 65535 features are supported, got ${forest.dims}`);
  const depth = forest.trees.reduce((d, tree) => Math.max(d, treeDepth(tree)), 0);
  return depth <= maxCompleteDepth ? compileComplete(forest, depth) : compileLinked(forest);
}

function compileComplete(forest: ObjectForest, depth: number): CompleteForest {
  const inner = 2 ** depth - 1;
  const leaves = inner + 1;
  const count = forest.trees.length;
  const feature = new Uint16Array(count * inner);
  const split = new Float64Array(count * inner).fill(Infinity);
  const leaf = new Float64Array(count * leaves);
  forest.trees.forEach((tree, t) => {
    const fill = (node: TreeNode, slot: number, level: number): void => {
      if (node.kind === 'split') {
        feature[t * inner + slot] = node.feature;
        split[t * inner + slot] = node.split;
        fill(node.left, 2 * slot + 1, level + 1);
        fill(node.right, 2 * slot + 2, level + 1);
        return;
      }
      // Slots below stay pass-through (+Infinity): follow the left spine to the leaf.
      let s = slot;
      for (let l = level; l < depth; l++) s = 2 * s + 1;
      leaf[t * leaves + s - inner] = node.value;
    };
    fill(tree, 0, 0);
  });
  return { layout: 'complete', trees: count, dims: forest.dims, normalizer: forest.normalizer, depth, feature, split, leaf };
}

function compileLinked(forest: ObjectForest): LinkedForest {
  const nodes: TreeNode[] = [];
  const roots = new Uint32Array(forest.trees.length);
  const lefts: number[] = [];
  for (const [t, tree] of forest.trees.entries()) {
    // Breadth-first, so the two children of a node get consecutive slots.
    roots[t] = nodes.length;
    nodes.push(tree);
    for (let k = roots[t]!; k < nodes.length; k++) {
      const node = nodes[k]!;
      lefts[k] = 0;
      if (node.kind === 'split') {
        lefts[k] = nodes.length;
        nodes.push(node.left, node.right);
      }
    }
  }
  const feature = new Uint16Array(nodes.length);
  const split = new Float64Array(nodes.length);
  const value = new Float64Array(nodes.length);
  nodes.forEach((node, k) => {
    if (node.kind === 'split') {
      feature[k] = node.feature;
      split[k] = node.split;
    } else {
      value[k] = node.value;
    }
  });
  return {
    layout: 'linked',
    trees: forest.trees.length,
    dims: forest.dims,
    normalizer: forest.normalizer,
    roots,
    feature,
    split,
    left: Uint32Array.from(lefts),
    value,
  };
}
