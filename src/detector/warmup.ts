import { withoutOutliers, type CleanSample } from './robust-sample.js';

/** Same distance as the default MODEL_Z_LIMIT: normal data passes it about twice in 100,000 readings. */
export const WARMUP_OUTLIER_Z = 4.5;

/** A device's first readings, collected until there are enough to train its own model. */
export interface Warmup {
  readonly count: number;
  readonly target: number;
  /** Copies `row` in; true once `target` rows are held. */
  add(row: ArrayLike<number>): boolean;
  /** The rows collected, without the device's own outliers (see robust-sample.ts). */
  sample(): CleanSample;
  reset(): void;
}

export function createWarmup(target: number, dims: number): Warmup {
  const data = new Float64Array(target * dims);
  let count = 0;
  return {
    target,
    get count() {
      return count;
    },
    add(row) {
      if (count < target) {
        for (let j = 0; j < dims; j++) data[count * dims + j] = row[j] ?? Number.NaN;
        count += 1;
      }
      return count >= target;
    },
    sample: () => withoutOutliers(data, count, dims, WARMUP_OUTLIER_Z),
    reset() {
      count = 0;
    },
  };
}
