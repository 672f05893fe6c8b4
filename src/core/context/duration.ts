/**
 * Half-lives and quiet periods: in event time (`10s`, `5m`, `1h`, `2d`, `500ms`)
 * or in readings (`100r`: every reading counts one, whatever its spacing), or
 * `inf` (never). Event time makes a replay at any speed give the same verdicts;
 * readings suit streams whose spacing differs from device to device.
 */
export type Duration = { readonly ms: number; readonly readings?: undefined } | { readonly readings: number; readonly ms?: undefined };

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Parses `10s`, `1.5h`, `100r`, `inf`; returns the problem as text otherwise. */
export function parseDuration(text: string): Duration | string {
  const t = text.trim().toLowerCase();
  if (t === 'inf' || t === 'infinity') return { ms: Infinity };
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w|r)$/.exec(t);
  if (m === null) return `must be a duration like 10s, 5m, 1h, 2d, 1w or a count of readings like 100r (got ${JSON.stringify(text)})`;
  const value = Number(m[1]);
  if (!(value > 0)) return `must be more than 0 (got ${JSON.stringify(text)})`;
  return m[2] === 'r' ? { readings: value } : { ms: value * UNIT_MS[m[2]!]! };
}

export function formatDuration(d: Duration): string {
  if (d.readings !== undefined) return `${d.readings}r`;
  if (d.ms === Infinity) return 'inf';
  return d.ms % 1000 === 0 ? `${d.ms / 1000}s` : `${d.ms}ms`;
}

/** How much of `d` a step of `dtMs` (one reading) covers: the exponent's numerator over its denominator. */
export function fraction(d: Duration, dtMs: number): number {
  if (d.readings !== undefined) return 1 / d.readings;
  return d.ms === Infinity ? 0 : dtMs / d.ms;
}

/** EWMA weight of a new value for half-life `d` after a step of `dtMs`: 1 - 2^(-step / half-life). */
export function ewmaWeight(d: Duration, dtMs: number): number {
  const f = fraction(d, dtMs);
  return f === 0 ? 0 : 1 - Math.pow(2, -f);
}

/** True once `elapsedMs` of event time (or `readings` readings) have passed. */
export function elapsed(d: Duration, elapsedMs: number, readings: number): boolean {
  return d.readings !== undefined ? readings >= d.readings : elapsedMs >= d.ms;
}
