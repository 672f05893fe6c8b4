import { ewmaWeight, type Duration } from './duration.js';

/**
 * Sensors that move together (a motor's current and its temperature, a pump's
 * flow and pressure): for each sensor, its most correlated partner in the
 * training readings, when |ρ| reaches `min`, with the straight line that
 * predicts one from the other and the scatter around it. When the two stop
 * moving together, the scatter grows far beyond its normal while each sensor
 * on its own may still look normal: the `correlation` check watches it.
 * Pairs are found on each sensor's deviation from its running mean (the
 * normaliser's), so two sensors that share a load but not their slow cycles
 * (a daily swing with its own phase) are found on what they share; the stream
 * then judges b - slope × a against its own running offset, which follows
 * those slow cycles (and a device's own offset) but not a fast decoupling.
 */
export interface SensorPair {
  readonly a: number;
  readonly b: number;
  /** b ≈ offset + slope × a; `intercept` is the training's mean offset, `scale` the sd of b - slope × a around its running offset. */
  readonly slope: number;
  readonly intercept: number;
  readonly scale: number;
  readonly correlation: number;
}

/** `rows` in schema order (NaN = missing, skipped pairwise), `times` their event times; `halfLife` the normaliser's. */
export function fitPairs(rows: readonly ArrayLike<number>[], times: ArrayLike<number>, halfLife: Duration, min: number): SensorPair[] {
  const deviations = runningDeviations(rows, times, halfLife);
  const dims = rows.length > 0 ? rows[0]!.length : 0;
  const best = new Array<SensorPair | undefined>(dims).fill(undefined);
  for (let a = 0; a < dims; a++) {
    for (let b = a + 1; b < dims; b++) {
      const pair = fit(deviations, a, b);
      if (pair === undefined || Math.abs(pair.correlation) < min) continue;
      for (const j of [a, b]) if (best[j] === undefined || Math.abs(pair.correlation) > Math.abs(best[j]!.correlation)) best[j] = pair;
    }
  }
  const seen = new Set<string>();
  const pairs: SensorPair[] = [];
  for (const p of best) {
    if (p === undefined || seen.has(`${p.a},${p.b}`)) continue;
    seen.add(`${p.a},${p.b}`);
    const offset = offsetScatter(rows, times, halfLife, p);
    if (offset !== undefined) pairs.push({ ...p, intercept: offset.mean, scale: Math.max(offset.sd, 0.05 * p.scale) });
  }
  return pairs;
}

/** The mean of b - slope × a, and its sd around a running offset (half-life `halfLife`), as the stream computes it. */
function offsetScatter(rows: readonly ArrayLike<number>[], times: ArrayLike<number>, halfLife: Duration, p: SensorPair): { mean: number; sd: number } | undefined {
  let offset = Number.NaN;
  let lastT = 0;
  let seen = 0;
  let sum = 0;
  let sq = 0;
  let n = 0;
  for (let i = 0; i < rows.length; i++) {
    const v = rows[i]![p.b]! - p.slope * rows[i]![p.a]!;
    if (Number.isNaN(v)) continue;
    if (Number.isNaN(offset)) offset = v;
    const r = v - offset;
    sum += v;
    if (seen++ >= SETTLE) {
      sq += r * r;
      n++;
    }
    offset += ewmaWeight(halfLife, times[i]! - lastT) * r;
    lastT = times[i]!;
  }
  return n < 16 ? undefined : { mean: sum / seen, sd: Math.sqrt(sq / n) };
}

/** Readings a running mean is given to settle before its deviations count. */
const SETTLE = 20;

/**
 * Each value's deviation from the running mean before it (half-life `halfLife`, as the stream's normaliser),
 * NaN for missing values and for the first `settle` values of each sensor, while its mean is still settling.
 */
function runningDeviations(rows: readonly ArrayLike<number>[], times: ArrayLike<number>, halfLife: Duration, settle = SETTLE): Float64Array[] {
  const dims = rows.length > 0 ? rows[0]!.length : 0;
  const mean = new Float64Array(dims).fill(Number.NaN);
  const lastT = new Float64Array(dims);
  const seen = new Uint32Array(dims);
  return rows.map((row, i) => {
    const out = new Float64Array(dims).fill(Number.NaN);
    for (let j = 0; j < dims; j++) {
      const x = row[j]!;
      if (Number.isNaN(x)) continue;
      if (Number.isNaN(mean[j]!)) mean[j] = x;
      const d = x - mean[j]!;
      if (seen[j]! >= settle) out[j] = d;
      mean[j]! += ewmaWeight(halfLife, times[i]! - lastT[j]!) * d;
      lastT[j] = times[i]!;
      seen[j]!++;
    }
    return out;
  });
}

function fit(rows: readonly ArrayLike<number>[], a: number, b: number): SensorPair | undefined {
  let n = 0;
  let sa = 0;
  let sb = 0;
  for (const r of rows) {
    const x = r[a]!;
    const y = r[b]!;
    if (Number.isNaN(x) || Number.isNaN(y)) continue;
    n++;
    sa += x;
    sb += y;
  }
  if (n < 16) return undefined;
  const ma = sa / n;
  const mb = sb / n;
  let saa = 0;
  let sbb = 0;
  let sab = 0;
  for (const r of rows) {
    const x = r[a]! - ma;
    const y = r[b]! - mb;
    if (Number.isNaN(x) || Number.isNaN(y)) continue;
    saa += x * x;
    sbb += y * y;
    sab += x * y;
  }
  if (!(saa > 0 && sbb > 0)) return undefined;
  const slope = sab / saa;
  const correlation = sab / Math.sqrt(saa * sbb);
  // The scatter around the line: var(b) × (1 - ρ²), floored so a near-perfect relation keeps a usable scale.
  const residual = Math.sqrt(Math.max(0, (sbb / n) * (1 - correlation * correlation)));
  const scale = Math.max(residual, 0.05 * Math.sqrt(sbb / n));
  return { a, b, slope, intercept: mb - slope * ma, scale, correlation };
}
