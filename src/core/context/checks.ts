/**
 * The checks a reading goes through, each mapped onto one calibrated scale:
 * a check's own limit lands on the detector's threshold, so `anomaly_score`
 * means the same whichever check spoke, on every device (each check measures
 * in that device's own units: its sensors' scales, its own score history).
 */
export const CHECKS = ['deviation', 'level_shift', 'noise', 'flatline', 'correlation', 'record', 'seasonal', 'pattern', 'sensor_fault'] as const;
export type CheckName = (typeof CHECKS)[number];

export const CHECK_INDEX: Readonly<Record<CheckName, number>> = Object.fromEntries(CHECKS.map((c, i) => [c, i])) as Record<CheckName, number>;

/**
 * `ratio` is how far a check is past its limit (1 = at the limit); the score is
 * 1 - (1 - T)^(ratio²): 0 at rest, T at the limit, towards 1 far beyond it.
 */
export function calibrate(ratio: number, threshold: number): number {
  if (!(ratio > 0)) return 0;
  // exp(r² ln(1 - T)) with the logarithm kept: this runs for every check of every sensor of every reading.
  if (threshold !== cachedThreshold) {
    cachedThreshold = threshold;
    cachedLog = Math.log(1 - threshold);
  }
  return 1 - Math.exp(ratio * ratio * cachedLog);
}

let cachedThreshold = Number.NaN;
let cachedLog = 0;

/** A score whose own "anomalous" point is `at` (a likelihood's 0.5, a forest's threshold), mapped so `at` lands on T. */
export function rescale(score: number, at: number, threshold: number): number {
  if (score <= at) return at > 0 ? (score / at) * threshold : threshold;
  return threshold + ((score - at) / (1 - at)) * (1 - threshold);
}
