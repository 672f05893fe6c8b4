/**
 * Cleans training readings against themselves before a model learns what
 * normal is from them: a value more than `z` robust standard deviations from
 * its sensor's median is blanked (NaN: it counts as missing), so a gross fault
 * during a warm-up (a rail, a stuck value, a spike) never becomes normal.
 * The robust sd is the larger of 1.4826 × MAD and the 15–85 % quantile spread
 * over 2.073 (both the sd of a normal distribution, both unmoved by up to 15 %
 * of faulty readings). A quantised sensor (fewer distinct values than a
 * quarter of the readings: a flow read in whole litres, mostly 32, sometimes
 * 31 or 33) is left alone: its rare steps are normal, and no robust scale of
 * a handful of levels can tell them from faults.
 */
export const OUTLIER_Z = 6;

/** `data` holds `n` rows of `dims` values, row-major; blanks outliers in place and returns which rows lost a value. */
export function blankOutliers(data: Float64Array, n: number, dims: number, z = OUTLIER_Z): Uint8Array {
  const touched = new Uint8Array(n);
  const column = new Float64Array(n);
  for (let j = 0; j < dims; j++) {
    let count = 0;
    for (let r = 0; r < n; r++) {
      const x = data[r * dims + j]!;
      if (!Number.isNaN(x)) column[count++] = x;
    }
    if (count < 8) continue;
    const sorted = column.subarray(0, count).sort();
    let distinct = 1;
    for (let i = 1; i < count; i++) if (sorted[i] !== sorted[i - 1]) distinct++;
    if (distinct < count / 4) continue;
    const median = quantile(sorted, 0.5);
    const spread = (quantile(sorted, 0.85) - quantile(sorted, 0.15)) / 2.073;
    const deviations = Float64Array.from(sorted, (x) => Math.abs(x - median)).sort();
    const sd = Math.max(1.4826 * quantile(deviations, 0.5), spread);
    if (!(sd > 0)) continue;
    for (let r = 0; r < n; r++) {
      const at = r * dims + j;
      if (Math.abs(data[at]! - median) > z * sd) {
        data[at] = Number.NaN;
        touched[r] = 1;
      }
    }
  }
  return touched;
}

/** Linear interpolation between order statistics of an ascending array. */
function quantile(sorted: Float64Array, q: number): number {
  const at = q * (sorted.length - 1);
  const lo = Math.floor(at);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (at - lo) * (sorted[hi]! - sorted[lo]!);
}
