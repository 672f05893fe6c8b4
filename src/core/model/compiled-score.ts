import type { CompiledForest, CompleteForest, LinkedForest } from './compiled-forest.js';
import { scoreFromMeanPath } from './path-length.js';

/*
 * Hot loops over a compiled forest. They assume checked input (finite values,
 * right width): the model checks before calling. Path values are summed tree
 * by tree in the same order everywhere, so single, batch and object scoring
 * give bit-identical scores.
 */

/** Sum over trees of the path length of x (one row of forest.dims values). */
export function pathSum(forest: CompiledForest, x: Float64Array): number {
  return forest.layout === 'complete' ? completePathSum(forest, x) : linkedPathSum(forest, x, 0);
}

export function scoreCompiled(forest: CompiledForest, x: Float64Array): number {
  return scoreFromMeanPath(pathSum(forest, x) / forest.trees, forest.normalizer);
}

function completePathSum(forest: CompleteForest, x: Float64Array): number {
  const { trees, depth, feature, split, leaf } = forest;
  const inner = (1 << depth) - 1;
  const leaves = inner + 1;
  let sum = 0;
  let t = 0;
  // Eight trees at a time: eight independent chains of dependent loads in flight.
  for (; t + 8 <= trees; t += 8) {
    const b = t * inner;
    let n0 = b, n1 = b + 1 * inner, n2 = b + 2 * inner, n3 = b + 3 * inner, n4 = b + 4 * inner, n5 = b + 5 * inner, n6 = b + 6 * inner, n7 = b + 7 * inner;
    // Tracking absolute node indices: next = 2n + (1 - base) + bit, with base the tree's first slot.
    const c0 = 1 - b, c1 = 1 - b - 1 * inner, c2 = 1 - b - 2 * inner, c3 = 1 - b - 3 * inner, c4 = 1 - b - 4 * inner, c5 = 1 - b - 5 * inner, c6 = 1 - b - 6 * inner, c7 = 1 - b - 7 * inner;
    for (let k = 0; k < depth; k++) {
      n0 = 2 * n0 + c0 + +(x[feature[n0]!]! >= split[n0]!);
      n1 = 2 * n1 + c1 + +(x[feature[n1]!]! >= split[n1]!);
      n2 = 2 * n2 + c2 + +(x[feature[n2]!]! >= split[n2]!);
      n3 = 2 * n3 + c3 + +(x[feature[n3]!]! >= split[n3]!);
      n4 = 2 * n4 + c4 + +(x[feature[n4]!]! >= split[n4]!);
      n5 = 2 * n5 + c5 + +(x[feature[n5]!]! >= split[n5]!);
      n6 = 2 * n6 + c6 + +(x[feature[n6]!]! >= split[n6]!);
      n7 = 2 * n7 + c7 + +(x[feature[n7]!]! >= split[n7]!);
    }
    // Leaf of tree t+j at (t+j)*leaves + (n - (t+j)*inner) - inner.
    const l = t * leaves - inner - b;
    sum += leaf[l + n0]!;
    sum += leaf[l + 1 * (leaves - inner) + n1]!;
    sum += leaf[l + 2 * (leaves - inner) + n2]!;
    sum += leaf[l + 3 * (leaves - inner) + n3]!;
    sum += leaf[l + 4 * (leaves - inner) + n4]!;
    sum += leaf[l + 5 * (leaves - inner) + n5]!;
    sum += leaf[l + 6 * (leaves - inner) + n6]!;
    sum += leaf[l + 7 * (leaves - inner) + n7]!;
  }
  for (; t < trees; t++) {
    let n = t * inner;
    const c = 1 - n;
    for (let k = 0; k < depth; k++) n = 2 * n + c + +(x[feature[n]!]! >= split[n]!);
    sum += leaf[t * leaves - inner - t * inner + n]!;
  }
  return sum;
}

function linkedPathSum(forest: LinkedForest, x: Float64Array, offset: number): number {
  const { trees, roots, feature, split, left, value } = forest;
  let sum = 0;
  for (let t = 0; t < trees; t++) {
    let i = roots[t]!;
    let l = left[i]!;
    while (l !== 0) {
      i = l + +(x[offset + feature[i]!]! >= split[i]!);
      l = left[i]!;
    }
    sum += value[i]!;
  }
  return sum;
}

/** Rows per block: the block's rows and sums stay in L1 while every tree passes over them. */
const BLOCK = 256;

/**
 * Scores n rows stored flat (row r at rows[r*dims ..]) into out[0..n).
 * Tree-major within a block of rows, walking eight rows at once so their
 * dependent loads overlap.
 */
export function scoreBatchCompiled(forest: CompiledForest, rows: Float64Array, n: number, out: Float64Array): Float64Array {
  const { dims, trees, normalizer } = forest;
  for (let start = 0; start < n; start += BLOCK) {
    const end = Math.min(n, start + BLOCK);
    out.fill(0, start, end);
    if (forest.layout === 'complete') completeBlock(forest, rows, start, end, out);
    else for (let r = start; r < end; r++) out[r] = linkedPathSum(forest, rows, r * dims);
    for (let r = start; r < end; r++) out[r] = scoreFromMeanPath(out[r]! / trees, normalizer);
  }
  return out;
}

function completeBlock(forest: CompleteForest, rows: Float64Array, start: number, end: number, out: Float64Array): void {
  const { trees, depth, feature, split, leaf, dims } = forest;
  const inner = (1 << depth) - 1;
  const end8 = start + ((end - start) & ~7);
  for (let t = 0; t < trees; t++) {
    const b = t * inner;
    const c = 1 - b;
    const l = t * (inner + 1) - inner - b;
    let r = start;
    // Eight rows at a time through the same tree, for the same reason as above.
    for (; r < end8; r += 8) {
      const o0 = r * dims;
      const o1 = o0 + dims;
      const o2 = o1 + dims;
      const o3 = o2 + dims;
      const o4 = o3 + dims;
      const o5 = o4 + dims;
      const o6 = o5 + dims;
      const o7 = o6 + dims;
      let n0 = b, n1 = b, n2 = b, n3 = b, n4 = b, n5 = b, n6 = b, n7 = b;
      for (let k = 0; k < depth; k++) {
        n0 = 2 * n0 + c + +(rows[o0 + feature[n0]!]! >= split[n0]!);
        n1 = 2 * n1 + c + +(rows[o1 + feature[n1]!]! >= split[n1]!);
        n2 = 2 * n2 + c + +(rows[o2 + feature[n2]!]! >= split[n2]!);
        n3 = 2 * n3 + c + +(rows[o3 + feature[n3]!]! >= split[n3]!);
        n4 = 2 * n4 + c + +(rows[o4 + feature[n4]!]! >= split[n4]!);
        n5 = 2 * n5 + c + +(rows[o5 + feature[n5]!]! >= split[n5]!);
        n6 = 2 * n6 + c + +(rows[o6 + feature[n6]!]! >= split[n6]!);
        n7 = 2 * n7 + c + +(rows[o7 + feature[n7]!]! >= split[n7]!);
      }
      out[r] = out[r]! + leaf[l + n0]!;
      out[r + 1] = out[r + 1]! + leaf[l + n1]!;
      out[r + 2] = out[r + 2]! + leaf[l + n2]!;
      out[r + 3] = out[r + 3]! + leaf[l + n3]!;
      out[r + 4] = out[r + 4]! + leaf[l + n4]!;
      out[r + 5] = out[r + 5]! + leaf[l + n5]!;
      out[r + 6] = out[r + 6]! + leaf[l + n6]!;
      out[r + 7] = out[r + 7]! + leaf[l + n7]!;
    }
    for (; r < end; r++) {
      const o = r * dims;
      let n = b;
      for (let k = 0; k < depth; k++) n = 2 * n + c + +(rows[o + feature[n]!]! >= split[n]!);
      out[r] = out[r]! + leaf[l + n]!;
    }
  }
}
