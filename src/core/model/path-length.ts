/**
 * Average path length of an unsuccessful search in a binary search tree of n
 * points (Liu, Ting & Zhou 2008, eq. 1): the expected depth still to go when a
 * tree stops growing with n points left, and the normaliser of the score.
 */

const EULER_GAMMA = 0.5772156649;

/** c(n) = 2H(n-1) - 2(n-1)/n with H(i) ≈ ln(i) + γ; c(0) = c(1) = 0, c(2) = 1. */
export function averagePathLength(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1;
  return 2 * (Math.log(n - 1) + EULER_GAMMA) - (2 * (n - 1)) / n;
}

/**
 * ml-isolation-forest's version: 2 ln(n-1) + 0.57721 - 2(n-1)/n. It adds γ once
 * instead of twice (and rounds it), so its path lengths are ~0.58 shorter than
 * the paper's. The adapter uses it so its scores stay what the library computes.
 */
export function mlAveragePathLength(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1;
  return 2 * Math.log(n - 1) + 0.57721 - (2 * (n - 1)) / n;
}

/** s = 2^(-E[h]/c(ψ)). With ψ = 1 nothing can be isolated (c = 0): every point gets the neutral 0.5. */
export function scoreFromMeanPath(meanPath: number, normalizer: number): number {
  if (normalizer <= 0) return 0.5;
  return Math.pow(2, -meanPath / normalizer);
}
