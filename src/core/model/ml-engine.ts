import { IsolationForest, type MlTreeNode } from 'ml-isolation-forest';
import { createRandom, type Random } from '../../support/random.js';
import { leaf, type ObjectForest, type TreeNode } from './itree.js';
import { mlAveragePathLength } from './path-length.js';
import { checkForestParams, type ForestParams, type Matrix } from './validate.js';

/*
 * Adapter for ml-isolation-forest 0.1.0, working around its measured defects:
 * - a second train() on an instance is silently ignored (predict only reads
 *   the first nEstimators trees): every tree gets a new instance;
 * - it keeps a reference to the training array: it only ever sees copies;
 * - NaN poisons every score: rows are validated before (toMatrix);
 * - no seed (Math.random): Math.random is swapped for the seeded generator
 *   while train() runs; it is synchronous, so nothing else can observe it;
 * - no subsampling (every tree sees all rows, height ceil(log2 n) + 1): each
 *   tree is trained on its own subsample of ψ = min(sampleSize, n) rows.
 * Its trees are plain objects, so they are read and compiled like ours.
 * Scores stay what the library computes on a subsample: its own c(n)
 * (γ counted once, see mlAveragePathLength) for leaves and normaliser, its
 * split rule (a constant column still splits, with an empty left side), and
 * its extra level of depth. With sampleSize >= n no subsampling happens and
 * the forest is exactly what one library instance would grow with nEstimators
 * = trees and the same random sequence.
 */

/** Runs fn with Math.random drawing from rng; the library has no other way to be seeded. */
export function withSeededMathRandom<T>(rng: Random, fn: () => T): T {
  const original = Math.random;
  Math.random = rng.next;
  try {
    return fn();
  } finally {
    Math.random = original;
  }
}

export function trainMlForest(matrix: Matrix, params: ForestParams): ObjectForest {
  checkForestParams(params);
  const { rows: n, dims, data } = matrix;
  const rng = createRandom(params.seed);
  const psi = Math.min(params.sampleSize, n);
  const copyRow = (r: number): number[] => Array.from(data.subarray(r * dims, (r + 1) * dims));
  const perm = Array.from({ length: n }, (_, i) => i);
  const trees: TreeNode[] = [];
  for (let t = 0; t < params.trees; t++) {
    if (psi < n) {
      for (let k = 0; k < psi; k++) {
        const j = k + rng.int(n - k);
        [perm[k], perm[j]] = [perm[j]!, perm[k]!];
      }
    }
    const sample = perm.slice(0, psi).map(copyRow);
    const instance = new IsolationForest({ nEstimators: 1 });
    withSeededMathRandom(rng, () => instance.train(sample));
    const root = instance.forest[0];
    if (root === undefined) throw new Error('ml-isolation-forest grew no tree');
    trees.push(readMlTree(root, dims));
  }
  return { trees, dims, normalizer: mlAveragePathLength(psi) };
}

/** Converts a library tree into ours; the leaf value is what its pathLengthFromRoot returns there. */
export function readMlTree(root: MlTreeNode, dims: number): TreeNode {
  const read = (node: MlTreeNode, depth: number): TreeNode => {
    const { left, right, splitColumn, splitValue } = node;
    if (left === undefined || right === undefined) {
      return leaf(depth, node.trainingSet?.length ?? 0, mlAveragePathLength);
    }
    if (!Number.isInteger(splitColumn) || splitColumn! < 0 || splitColumn! >= dims || !Number.isFinite(splitValue)) {
      throw new Error(`unexpected ml-isolation-forest node at depth ${depth}: column ${splitColumn}, value ${splitValue}`);
    }
    return { kind: 'split', feature: splitColumn!, split: splitValue!, left: read(left, depth + 1), right: read(right, depth + 1) };
  };
  return read(root, 0);
}
