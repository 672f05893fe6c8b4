import { createRandom } from '../../support/random.js';
import { growTree, pathLength, type ObjectForest, type TreeNode } from './itree.js';
import { averagePathLength, scoreFromMeanPath } from './path-length.js';
import { checkForestParams, type ForestParams, type Matrix } from './validate.js';

/**
 * Trains the native Isolation Forest (Liu, Ting & Zhou 2008, Algorithm 1):
 * each tree grows on its own subsample of ψ = min(sampleSize, n) rows drawn
 * without replacement, up to height ceil(log2 ψ). One seeded generator drives
 * every draw, so the same seed and data give the same forest.
 */
export function trainNativeForest(matrix: Matrix, params: ForestParams): ObjectForest {
  checkForestParams(params);
  const rng = createRandom(params.seed);
  const n = matrix.rows;
  const psi = Math.min(params.sampleSize, n);
  const heightLimit = Math.ceil(Math.log2(psi));
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  const idx = new Int32Array(psi);
  const trees: TreeNode[] = [];
  for (let t = 0; t < params.trees; t++) {
    // Partial Fisher-Yates: the first ψ slots become a uniform sample. It works
    // on whatever order the previous tree left, so no reset is needed.
    for (let k = 0; k < psi; k++) {
      const j = k + rng.int(n - k);
      const tmp = perm[k]!;
      perm[k] = perm[j]!;
      perm[j] = tmp;
      idx[k] = perm[k]!;
    }
    trees.push(growTree(matrix, idx, heightLimit, rng));
  }
  return { trees, dims: matrix.dims, normalizer: averagePathLength(psi) };
}

/** The uncompiled scorer: walks the object trees. Kept as the reference the compiled one must match. */
export function scoreObjectForest(forest: ObjectForest, x: ArrayLike<number>): number {
  let sum = 0;
  for (const tree of forest.trees) sum += pathLength(tree, x);
  return scoreFromMeanPath(sum / forest.trees.length, forest.normalizer);
}
