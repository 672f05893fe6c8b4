/** Score thresholds: calibrated from training scores or fixed. Pure functions. */

/** The q-quantile of the values, interpolating linearly between order statistics (numpy's default). */
export function quantile(values: ArrayLike<number>, q: number): number {
  if (values.length === 0) throw new Error('quantile of no values');
  if (!(q >= 0 && q <= 1)) throw new Error(`quantile must be in [0, 1], got ${q}`);
  const sorted = Float64Array.from(values).sort();
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (pos - lo) * (sorted[hi]! - sorted[lo]!);
}

/** The (1 - contamination) quantile of the training scores: about that share of them lies at or above it. */
export function thresholdFromContamination(scores: ArrayLike<number>, contamination: number): number {
  if (!(contamination > 0 && contamination <= 0.5)) throw new Error(`contamination must be in (0, 0.5], got ${contamination}`);
  return quantile(scores, 1 - contamination);
}

export interface ThresholdChoice {
  readonly threshold: number;
  /** undefined when the threshold was fixed. */
  readonly contamination: number | undefined;
}

/** A fixed threshold wins over contamination (MODEL_THRESHOLD overrides MODEL_CONTAMINATION). */
export function chooseThreshold(scores: ArrayLike<number>, contamination: number, fixed?: number): ThresholdChoice {
  if (fixed !== undefined) {
    if (!(fixed > 0 && fixed < 1)) throw new Error(`threshold must be in (0, 1), got ${fixed}`);
    return { threshold: fixed, contamination: undefined };
  }
  return { threshold: thresholdFromContamination(scores, contamination), contamination };
}
