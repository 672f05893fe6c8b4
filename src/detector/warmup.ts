
/**
 * A device's first readings, in time order, collected until there are enough
 * to learn its own model. Preallocated: adding a reading never allocates.
 */
export interface Warmup {
  readonly count: number;
  readonly target: number;
  /** Copies the reading in; true once `target` readings are held. */
  add(values: ArrayLike<number>, t: number): boolean;
  /** The readings and their times, in order (the model learns its profile without their gross outliers). */
  sample(): { rows: Float64Array[]; times: Float64Array };
  reset(): void;
}

export function createWarmup(target: number, dims: number): Warmup {
  const data = new Float64Array(target * dims);
  const times = new Float64Array(target);
  let count = 0;
  return {
    target,
    get count() {
      return count;
    },
    add(values, t) {
      if (count < target) {
        for (let j = 0; j < dims; j++) data[count * dims + j] = values[j] ?? Number.NaN;
        times[count] = t;
        count += 1;
      }
      return count >= target;
    },
    sample() {
      const copy = data.slice(0, count * dims);
      const rows: Float64Array[] = [];
      for (let r = 0; r < count; r++) rows.push(copy.subarray(r * dims, (r + 1) * dims));
      return { rows, times: times.slice(0, count) };
    },
    reset() {
      count = 0;
    },
  };
}
