/**
 * Sensors that move together (a motor's current and its temperature, a pump's
 * flow and pressure): for each sensor, its most correlated partner in the
 * training readings, when |ρ| reaches `min`, with the straight line that
 * predicts one from the other and the scatter around it. When the two stop
 * moving together, the scatter grows far beyond its normal while each sensor
 * on its own may still look normal: the `correlation` check watches it.
 */
export interface SensorPair {
  readonly a: number;
  readonly b: number;
  /** b ≈ intercept + slope × a, with residual sd `scale`. */
  readonly slope: number;
  readonly intercept: number;
  readonly scale: number;
  readonly correlation: number;
}

/** `rows` in schema order (NaN = missing, skipped pairwise). */
export function fitPairs(rows: readonly ArrayLike<number>[], min: number): SensorPair[] {
  const dims = rows.length > 0 ? rows[0]!.length : 0;
  const best = new Array<SensorPair | undefined>(dims).fill(undefined);
  for (let a = 0; a < dims; a++) {
    for (let b = a + 1; b < dims; b++) {
      const pair = fit(rows, a, b);
      if (pair === undefined || Math.abs(pair.correlation) < min) continue;
      for (const j of [a, b]) if (best[j] === undefined || Math.abs(pair.correlation) > Math.abs(best[j]!.correlation)) best[j] = pair;
    }
  }
  const seen = new Set<string>();
  const pairs: SensorPair[] = [];
  for (const p of best) {
    if (p === undefined || seen.has(`${p.a},${p.b}`)) continue;
    seen.add(`${p.a},${p.b}`);
    pairs.push(p);
  }
  return pairs;
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
