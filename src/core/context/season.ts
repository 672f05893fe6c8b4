/**
 * Seasonal context in event time: a sensor whose value one period ago (a day,
 * a week) predicts the present much better than its value half a period ago
 * is seasonal, and is then judged by its residual against the same time slot
 * of recent periods. Decided once, from a model's training readings.
 *
 * Decision, per candidate period P: V(P) = mean of (x_t - x_{t-P})², V(P/2) the
 * same half a period ago, over the same readings (a partner within half a slot
 * of the exact lag). Seasonal when V(P) × gain ≤ V(P/2): a trend or a random
 * walk predicts as well from the nearer lag and fails; a daily or weekly
 * pattern passes. Evidence: the compared readings must cover `minCover` × P
 * (pairs × usual interval), so a gappy sample cannot decide from a handful of
 * pairs. Among passing periods the one with the smallest V(P) wins.
 *
 * Reference: the period is cut into slots of width max(interval, P / maxSlots);
 * a ring keeps each slot's mean for the last `refs` + 1 periods. The reference
 * is the median of the slot over the last `refs` periods that have it (one
 * abnormal period, a holiday, neither hides an anomaly nor makes one a period
 * later). Residual = value - reference; NaN while there is no reference.
 */
export interface SeasonParams {
  /** Candidate periods, ms (e.g. a day and a week). */
  readonly periods: readonly number[];
  readonly maxSlots: number;
  readonly refs: number;
  readonly gain: number;
  readonly minCover: number;
}

export interface SeasonDecision {
  /** The period found (ms), 0 when the sensor is not seasonal. */
  readonly periodMs: number;
  readonly widthMs: number;
}

export const NOT_SEASONAL: SeasonDecision = { periodMs: 0, widthMs: 0 };

export function decideSeason(p: SeasonParams, times: ArrayLike<number>, values: ArrayLike<number>): SeasonDecision {
  const n = times.length;
  const dt = medianInterval(times);
  let best: SeasonDecision = NOT_SEASONAL;
  let bestV = Infinity;
  for (const period of p.periods) {
    const width = Math.max(dt, period / p.maxSlots);
    const a = partners(times, period, width / 2);
    const b = partners(times, period / 2, width / 2);
    let va = 0;
    let vb = 0;
    let m = 0;
    for (let i = 0; i < n; i++) {
      const x = values[i]!;
      if (a[i]! < 0 || b[i]! < 0 || Number.isNaN(x)) continue;
      const da = x - values[a[i]!]!;
      const db = x - values[b[i]!]!;
      if (Number.isNaN(da) || Number.isNaN(db)) continue;
      va += da * da;
      vb += db * db;
      m++;
    }
    if (m < 2 || m * dt < p.minCover * period) continue;
    va /= m;
    vb /= m;
    if (vb > 0 && va * p.gain <= vb && va < bestV) {
      bestV = va;
      best = { periodMs: period, widthMs: width };
    }
  }
  return best;
}

function medianInterval(times: ArrayLike<number>): number {
  const gaps: number[] = [];
  for (let i = 1; i < times.length; i++) gaps.push(times[i]! - times[i - 1]!);
  gaps.sort((x, y) => x - y);
  const mid = gaps[gaps.length >> 1];
  return mid !== undefined && mid > 0 ? mid : 1;
}

/** For each reading, the index of the reading nearest to `lag` earlier (within `tolerance`), or -1. */
function partners(times: ArrayLike<number>, lag: number, tolerance: number): Int32Array {
  const n = times.length;
  const out = new Int32Array(n).fill(-1);
  let j = 0;
  for (let i = 0; i < n; i++) {
    const target = times[i]! - lag;
    while (j + 1 < n && times[j + 1]! <= target) j++;
    let best = -1;
    let distance = Infinity;
    for (const k of [j, j + 1]) {
      if (k < 0 || k >= i) continue;
      const d = Math.abs(times[k]! - target);
      if (d < distance) {
        distance = d;
        best = k;
      }
    }
    if (best >= 0 && distance <= tolerance) out[i] = best;
  }
  return out;
}

/** One seasonal sensor's ring of slot means: (refs + 1) periods × slots. */
export interface SeasonRing {
  readonly periodMs: number;
  readonly widthMs: number;
  readonly slots: number;
  readonly value: Float32Array;
  readonly period: Int32Array;
  readonly count: Uint16Array;
  readonly scratch: Float64Array;
}

export function createSeasonRing(p: SeasonParams, d: SeasonDecision): SeasonRing {
  const slots = Math.ceil(d.periodMs / d.widthMs - 1e-9);
  const size = (p.refs + 1) * slots;
  return {
    periodMs: d.periodMs,
    widthMs: d.widthMs,
    slots,
    value: new Float32Array(size),
    period: new Int32Array(size).fill(-2147483648),
    count: new Uint16Array(size),
    scratch: new Float64Array(p.refs),
  };
}

/** Records (t, x); returns x minus the median of the same slot over the last `refs` periods (NaN: none yet). */
export function stepSeason(p: SeasonParams, s: SeasonRing, t: number, x: number): number {
  const refs = p.refs;
  const K = refs + 1;
  const k = Math.floor(t / s.periodMs);
  const slot = Math.min(s.slots - 1, Math.floor((t - k * s.periodMs) / s.widthMs));
  let m = 0;
  for (let d = 1; d <= refs; d++) {
    const o = ((((k - d) % K) + K) % K) * s.slots + slot;
    if (s.period[o] === k - d) s.scratch[m++] = s.value[o]!;
  }
  let reference = Number.NaN;
  if (m === 1) reference = s.scratch[0]!;
  else if (m === 2) reference = 0.5 * (s.scratch[0]! + s.scratch[1]!);
  else if (m >= 3) {
    for (let i = 1; i < m; i++) {
      const v = s.scratch[i]!;
      let j = i - 1;
      while (j >= 0 && s.scratch[j]! > v) {
        s.scratch[j + 1] = s.scratch[j]!;
        j--;
      }
      s.scratch[j + 1] = v;
    }
    reference = m % 2 ? s.scratch[m >> 1]! : 0.5 * (s.scratch[(m >> 1) - 1]! + s.scratch[m >> 1]!);
  }
  if (!Number.isNaN(x)) {
    const o = (((k % K) + K) % K) * s.slots + slot;
    if (s.period[o] !== k) {
      s.period[o] = k;
      s.value[o] = x;
      s.count[o] = 1;
    } else {
      const c = Math.min(65535, s.count[o]! + 1);
      s.count[o] = c;
      s.value[o] = s.value[o]! + (x - s.value[o]!) / c;
    }
  }
  // Against the Float32 store: a stream that repeats exactly has a residual of exactly 0.
  return Math.fround(x) - reference;
}
