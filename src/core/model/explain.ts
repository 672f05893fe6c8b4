import type { Explanation, FeatureStats } from './types.js';

/** |z| is capped so a feature that was constant in training (sd 0) still gives a finite, JSON-safe value. */
export const MAX_Z = 1e6;

export function zScore(value: number, stats: FeatureStats): number {
  const diff = value - stats.mean;
  if (diff === 0) return 0;
  const z = stats.sd > 0 ? diff / stats.sd : Math.sign(diff) * MAX_Z;
  return Math.max(-MAX_Z, Math.min(MAX_Z, z));
}

/**
 * Attribution by occlusion: a feature's share is how much the score drops when
 * that feature alone is set to its training median (rises count as 0). It
 * costs one extra score per feature, and only anomalies are explained. When no
 * replacement lowers the score, the shares follow |z| instead, and equal
 * shares when every z is 0. The shares always sum to 1.
 */
export function explainRow(
  score: (x: Float64Array) => number,
  row: Float64Array,
  stats: readonly FeatureStats[],
  features: readonly string[],
): Explanation {
  const dims = features.length;
  const base = score(row);
  const probe = Float64Array.from(row);
  const weights = new Float64Array(dims);
  const z = new Float64Array(dims);
  let total = 0;
  for (let j = 0; j < dims; j++) {
    const s = stats[j]!;
    z[j] = zScore(row[j]!, s);
    probe[j] = s.median;
    weights[j] = Math.max(0, base - score(probe));
    probe[j] = row[j]!;
    total += weights[j]!;
  }
  if (total === 0) {
    for (let j = 0; j < dims; j++) total += weights[j] = Math.abs(z[j]!);
  }
  const contributions: Record<string, number> = {};
  const zScores: Record<string, number> = {};
  for (let j = 0; j < dims; j++) {
    const name = features[j]!;
    contributions[name] = total > 0 ? weights[j]! / total : 1 / dims;
    zScores[name] = z[j]!;
  }
  return { contributions, zScores };
}
