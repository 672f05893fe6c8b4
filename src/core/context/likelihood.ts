/**
 * Streaming anomaly likelihood (after Numenta's anomaly_likelihood, Ahmad et
 * al. 2017), with bounded O(1) state: the tail probability of the recent
 * average raw score against the distribution of averages over a long window.
 * It makes one threshold mean the same on every device, whatever the scale of
 * its raw scores.
 *
 *   a    = mean of the last `average` raw scores
 *   μ, σ = mean and sd of a over the last `blocks` × `blockSize` readings, re-estimated once per block,
 *          floored at minMean and minVar (Numenta's 0.03 and 0.0003)
 *   tail = Q((a - μ) / σ), one-sided (a score below its mean is no evidence)
 *   out  = log(tail + 1e-10) / log(1e-10), in [0, 1]; 0.5 is a tail of 1e-5 (Numenta's red)
 * Numenta also turns a red right after a red into yellow, so only onsets stay red; here incidents do
 * that (one incident per episode, news only when evidence sets in anew), and a lasting red keeps its
 * episode's incident open.
 */
export interface LikelihoodParams {
  readonly average: number;
  readonly blockSize: number;
  readonly blocks: number;
  readonly minMean: number;
  readonly minVar: number;
}

export const NUMENTA_LIKELIHOOD: LikelihoodParams = {
  average: 10,
  blockSize: 100,
  blocks: 86,
  minMean: 0.03,
  minVar: 0.0003,
};

export interface LikelihoodState {
  readonly ring: Float64Array;
  ringPos: number;
  ringCount: number;
  ringSum: number;
  readonly blockSum: Float64Array;
  readonly blockSq: Float64Array;
  readonly blockN: Float64Array;
  blockPos: number;
  curSum: number;
  curSq: number;
  curN: number;
  mean: number;
  sd: number;
}

export function createLikelihood(p: LikelihoodParams): LikelihoodState {
  return {
    ring: new Float64Array(p.average),
    ringPos: 0,
    ringCount: 0,
    ringSum: 0,
    blockSum: new Float64Array(p.blocks),
    blockSq: new Float64Array(p.blocks),
    blockN: new Float64Array(p.blocks),
    blockPos: 0,
    curSum: 0,
    curSq: 0,
    curN: 0,
    mean: p.minMean,
    sd: Math.sqrt(p.minVar),
  };
}

function pushAverage(p: LikelihoodParams, s: LikelihoodState, raw: number): number {
  if (s.ringCount === p.average) s.ringSum -= s.ring[s.ringPos]!;
  else s.ringCount++;
  s.ring[s.ringPos] = raw;
  s.ringSum += raw;
  s.ringPos = (s.ringPos + 1) % p.average;
  return s.ringSum / s.ringCount;
}

function reestimate(p: LikelihoodParams, s: LikelihoodState): void {
  let n = s.curN;
  let sum = s.curSum;
  let sq = s.curSq;
  for (let b = 0; b < p.blocks; b++) {
    n += s.blockN[b]!;
    sum += s.blockSum[b]!;
    sq += s.blockSq[b]!;
  }
  if (n < 2) return;
  const mean = sum / n;
  s.mean = Math.max(mean, p.minMean);
  s.sd = Math.sqrt(Math.max(sq / n - mean * mean, p.minVar));
}

function record(p: LikelihoodParams, s: LikelihoodState, avg: number): void {
  s.curSum += avg;
  s.curSq += avg * avg;
  s.curN++;
  if (s.curN < p.blockSize) return;
  s.blockSum[s.blockPos] = s.curSum;
  s.blockSq[s.blockPos] = s.curSq;
  s.blockN[s.blockPos] = s.curN;
  s.blockPos = (s.blockPos + 1) % p.blocks;
  s.curSum = s.curSq = s.curN = 0;
  reestimate(p, s);
}

/** Learns from raw scores known to be normal (the training rows) and estimates the distribution from them. */
export function seedLikelihood(p: LikelihoodParams, s: LikelihoodState, raws: ArrayLike<number>): void {
  for (let i = 0; i < raws.length; i++) record(p, s, pushAverage(p, s, raws[i]!));
  reestimate(p, s);
}

/** Q(z) = P(N(0,1) > z). */
export function normalTail(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

/** erfc by Numerical Recipes' Chebyshev fit (relative error < 1.2e-7). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

const LOG_FLOOR = Math.log(1e-10);

/** One raw score in, the filtered log-likelihood out, in [0, 1] (0.5 = Numenta's red). */
export function stepLikelihood(p: LikelihoodParams, s: LikelihoodState, raw: number): number {
  const avg = pushAverage(p, s, raw);
  const tail = avg <= s.mean ? 0.5 : normalTail((avg - s.mean) / s.sd);
  record(p, s, avg);
  return Math.min(1, Math.max(0, Math.log(tail + 1e-10) / LOG_FLOOR));
}

/**
 * Starts the distribution from a model's training scores (their averaged mean and sd), as if `blocks`
 * blocks of them had been seen: live scores take over block by block.
 */
export function seedFromStats(p: LikelihoodParams, s: LikelihoodState, mean: number, sd: number, blocks = 10): void {
  const n = p.blockSize;
  for (let b = 0; b < Math.min(blocks, p.blocks); b++) {
    s.blockSum[b] = mean * n;
    s.blockSq[b] = (sd * sd + mean * mean) * n;
    s.blockN[b] = n;
  }
  s.blockPos = Math.min(blocks, p.blocks) % p.blocks;
  // The running average starts full, at the mean: a device's first raw score alone is no evidence.
  s.ring.fill(mean);
  s.ringCount = p.average;
  s.ringSum = mean * p.average;
  s.ringPos = 0;
  reestimate(p, s);
}

/** Forgets everything (a device switching to a model whose scores live on another scale). */
export function resetLikelihood(p: LikelihoodParams, s: LikelihoodState): void {
  s.ring.fill(0);
  s.ringPos = s.ringCount = 0;
  s.ringSum = 0;
  s.blockSum.fill(0);
  s.blockSq.fill(0);
  s.blockN.fill(0);
  s.blockPos = 0;
  s.curSum = s.curSq = s.curN = 0;
  s.mean = p.minMean;
  s.sd = Math.sqrt(p.minVar);
}
