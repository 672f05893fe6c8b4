/**
 * Cleans a device's warm-up sample against itself. The global model's verdicts
 * cannot be used for this: a device with its own baseline (an oven at 180 °C)
 * is flagged by it on every reading. A reading is dropped when any sensor is
 * more than `z` robust standard deviations (1.4826 × MAD) from the sample's
 * median; median and MAD stay put with up to half the sample faulty.
 */
const MAD_TO_SD = 1.4826;

export interface CleanSample {
  rows: Float64Array[];
  dropped: number;
}

/** `data` holds `n` rows of `dims` values, row-major. */
export function withoutOutliers(data: Float64Array, n: number, dims: number, z: number): CleanSample {
  const centre = new Float64Array(dims);
  const spread = new Float64Array(dims);
  const column = new Float64Array(n);
  for (let j = 0; j < dims; j++) {
    for (let r = 0; r < n; r++) column[r] = data[r * dims + j]!;
    centre[j] = median(column);
    for (let r = 0; r < n; r++) column[r] = Math.abs(data[r * dims + j]! - centre[j]!);
    spread[j] = MAD_TO_SD * median(column);
  }
  const rows: Float64Array[] = [];
  for (let r = 0; r < n; r++) {
    const row = data.slice(r * dims, (r + 1) * dims);
    let keep = true;
    for (let j = 0; j < dims && keep; j++) {
      // A sensor with MAD 0 (constant for most of the sample) gives no scale to judge by.
      if (spread[j]! > 0 && Math.abs(row[j]! - centre[j]!) > z * spread[j]!) keep = false;
    }
    if (keep) rows.push(row);
  }
  return { rows, dropped: n - rows.length };
}

/** Sorts `values` in place. */
function median(values: Float64Array): number {
  values.sort();
  const mid = values.length >> 1;
  return values.length % 2 === 1 ? values[mid]! : (values[mid - 1]! + values[mid]!) / 2;
}
