import { averagePathLength } from './path-length.js';
import type { Random } from '../../support/random.js';
import type { Matrix } from './validate.js';

/** An isolation tree as plain objects: what training builds and the compiler flattens. */
export type TreeNode = SplitNode | LeafNode;

export interface SplitNode {
  readonly kind: 'split';
  readonly feature: number;
  /** x[feature] < split goes left, >= split goes right. */
  readonly split: number;
  readonly left: TreeNode;
  readonly right: TreeNode;
}

export interface LeafNode {
  readonly kind: 'leaf';
  readonly depth: number;
  /** Training points that reached this external node. */
  readonly size: number;
  /** Path length credited to a point ending here: depth + c(size). */
  readonly value: number;
}

/** A trained forest before compilation; both engines produce one. */
export interface ObjectForest {
  readonly trees: readonly TreeNode[];
  readonly dims: number;
  /** c(ψ): mean path lengths are divided by it to give the score. */
  readonly normalizer: number;
}

export function leaf(depth: number, size: number, c: (n: number) => number = averagePathLength): LeafNode {
  return { kind: 'leaf', depth, size, value: depth + c(size) };
}

/**
 * Grows one iTree (Liu et al. 2008, Algorithm 2) over the rows listed in
 * idx[lo, hi), reordering idx in place. The split feature is drawn among the
 * features that are not constant in the node (as scikit-learn does); a node
 * where all are constant is external.
 */
export function growTree(matrix: Matrix, idx: Int32Array, heightLimit: number, rng: Random): TreeNode {
  const { data, dims } = matrix;
  const lows = new Float64Array(dims);
  const highs = new Float64Array(dims);
  const candidates = new Int32Array(dims);

  const grow = (lo: number, hi: number, depth: number): TreeNode => {
    const size = hi - lo;
    if (depth >= heightLimit || size <= 1) return leaf(depth, size);
    lows.fill(Infinity);
    highs.fill(-Infinity);
    for (let k = lo; k < hi; k++) {
      const base = idx[k]! * dims;
      for (let j = 0; j < dims; j++) {
        const v = data[base + j]!;
        if (v < lows[j]!) lows[j] = v;
        if (v > highs[j]!) highs[j] = v;
      }
    }
    let count = 0;
    for (let j = 0; j < dims; j++) if (highs[j]! > lows[j]!) candidates[count++] = j;
    if (count === 0) return leaf(depth, size);

    const feature = candidates[rng.int(count)]!;
    const min = lows[feature]!;
    const max = highs[feature]!;
    let split = min + rng.next() * (max - min);
    // Keep min < split <= max so both sides get points, even when rounding or
    // an overflowing (max - min) would land the split on or outside the range.
    if (!(split > min && split <= max)) split = max;

    let mid = lo;
    for (let k = lo; k < hi; k++) {
      const row = idx[k]!;
      if (data[row * dims + feature]! < split) {
        idx[k] = idx[mid]!;
        idx[mid++] = row;
      }
    }
    return { kind: 'split', feature, split, left: grow(lo, mid, depth + 1), right: grow(mid, hi, depth + 1) };
  };

  return grow(0, idx.length, 0);
}

/** Depth of the deepest external node. */
export function treeDepth(node: TreeNode): number {
  return node.kind === 'leaf' ? node.depth : Math.max(treeDepth(node.left), treeDepth(node.right));
}

/** Path length of x in one tree, walking the objects (the uncompiled scorer). */
export function pathLength(node: TreeNode, x: ArrayLike<number>): number {
  let n = node;
  while (n.kind === 'split') n = x[n.feature]! >= n.split ? n.right : n.left;
  return n.value;
}
