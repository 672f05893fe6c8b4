import type { FeatureStats } from '../model/types.js';

/**
 * The decision step. An Isolation Forest saturates: every value beyond the
 * range of its training subsample isolates alike, so a temperature of 90 °C
 * (65 sd out) scores no higher than a normal reading in the tail of all three
 * sensors at once. The z-limit guard covers that blind spot: a reading with
 * any sensor `zLimit` or more standard deviations from its training mean scores
 * at least the threshold, rising towards 1 with the distance. The forest still
 * decides everything inside that envelope (unusual combinations of values).
 */
export interface Decision {
  /** max(isolation score, z-limit score), in [0, 1]. */
  score: number;
  isAnomaly: boolean;
  /** Largest |z| over the features; Infinity never (features with sd 0 are skipped). */
  maxZ: number;
}

export function decide(
  isolationScore: number,
  row: ArrayLike<number>,
  stats: readonly FeatureStats[],
  threshold: number,
  zLimit: number,
): Decision {
  let maxZ = 0;
  for (let i = 0; i < stats.length; i++) {
    const s = stats[i]!;
    if (!(s.sd > 0)) continue; // a constant training feature gives no scale to measure against
    const z = Math.abs(((row[i] ?? s.mean) - s.mean) / s.sd);
    if (z > maxZ) maxZ = z;
  }
  let score = isolationScore;
  if (zLimit > 0 && maxZ >= zLimit) {
    // zLimit maps to the threshold, infinitely far maps to 1.
    score = Math.max(score, threshold + (1 - threshold) * (1 - zLimit / maxZ));
  }
  return { score, isAnomaly: score >= threshold, maxZ };
}
