/**
 * Range novelty (after the spatial-anomaly rule of Numenta's NAB detector), for
 * one sensor: three series (the value, and the mean and sd of the last `window`
 * values) each keep the [min, max] of their own history older than `lag`
 * readings; a series is novel when it lies beyond that range by more than
 * `tol` × (max - min). The lag lets a slow excursion fire once it passes the
 * old extreme; a plain running extreme would move along with it. A novel
 * reading that also passes every record already set by the same margin is a
 * record: records join the extremes at once, so a burst of similar out-of-range
 * readings is one event, and a later excursion is news only when it goes
 * further. All sensors of a device share one flat state (d × 3 series).
 */
export interface RangeParams {
  readonly tol: number;
  readonly lag: number;
  readonly window: number;
}

export interface RangeState {
  /** d × 3 × lag delayed values, NaN until their series was defined. */
  readonly delay: Float64Array;
  readonly lo: Float64Array;
  readonly hi: Float64Array;
  /** Extremes of the records set so far. */
  readonly recLo: Float64Array;
  readonly recHi: Float64Array;
  /** d × window recent values. */
  readonly win: Float64Array;
  readonly sum: Float64Array;
  readonly sq: Float64Array;
  readonly cur: Float64Array;
  pos: number;
  winPos: number;
  n: number;
}

export function createRange(p: RangeParams, dims: number): RangeState {
  return {
    delay: new Float64Array(dims * 3 * p.lag).fill(Number.NaN),
    lo: new Float64Array(dims * 3).fill(Infinity),
    hi: new Float64Array(dims * 3).fill(-Infinity),
    recLo: new Float64Array(dims * 3).fill(Infinity),
    recHi: new Float64Array(dims * 3).fill(-Infinity),
    win: new Float64Array(dims * p.window),
    sum: new Float64Array(dims),
    sq: new Float64Array(dims),
    cur: new Float64Array(3),
    pos: 0,
    winPos: 0,
    n: 0,
  };
}

/** Per sensor: novelty (how far beyond the lagged range, in margins: ≥ 1 is novel), and the record set, if any (its excess in margins, ≥ 1; 0 = none). */
export interface RangeOut {
  readonly novelty: Float64Array;
  readonly record: Float64Array;
}

/**
 * Pushes one reading's values. The margin is `tol` × each series' own range, or `tol` × `scales[j]`
 * when given (a residual judged with the materiality of its sensor's value range).
 */
export function stepRange(p: RangeParams, s: RangeState, values: ArrayLike<number>, out: RangeOut, scales?: ArrayLike<number>): void {
  const dims = s.sum.length;
  const { lag, window: w, tol } = p;
  const full = s.n >= lag;
  const rolled = s.n + 1 >= w;
  const m = Math.min(s.n + 1, w);
  for (let j = 0; j < dims; j++) {
    const x = values[j]!;
    const at = j * w + s.winPos;
    if (s.n >= w) {
      const old = s.win[at]!;
      s.sum[j]! -= old;
      s.sq[j]! -= old * old;
    }
    s.win[at] = x;
    s.sum[j]! += x;
    s.sq[j]! += x * x;
    const mean = s.sum[j]! / m;
    s.cur[0] = x;
    s.cur[1] = mean;
    s.cur[2] = Math.sqrt(Math.max(0, s.sq[j]! / m - mean * mean));
    let novelty = 0;
    let record = 0;
    for (let k = 0; k < 3; k++) {
      const series = j * 3 + k;
      const v = s.cur[k]!;
      const lo = s.lo[series]!;
      const hi = s.hi[series]!;
      const scale = scales === undefined ? hi - lo : scales[j]!;
      if (hi > lo && scale > 0 && (k === 0 || rolled)) {
        const margin = tol * scale;
        const beyond = v > hi ? v - hi : v < lo ? lo - v : 0;
        if (beyond > margin) {
          novelty = Math.max(novelty, beyond / margin);
          const past = v > hi ? v - Math.max(hi, s.recHi[series]!) : Math.min(lo, s.recLo[series]!) - v;
          if (past > margin) {
            record = Math.max(record, past / margin);
            if (v > hi) s.recHi[series] = v;
            else s.recLo[series] = v;
          }
        }
      }
      // The value leaving the delay line joins the history.
      const o = series * lag + s.pos;
      if (full) {
        const old = s.delay[o]!;
        if (old < s.lo[series]!) s.lo[series] = old;
        if (old > s.hi[series]!) s.hi[series] = old;
      }
      s.delay[o] = k === 0 || rolled ? v : Number.NaN;
    }
    out.novelty[j] = novelty;
    out.record[j] = record;
  }
  s.pos = (s.pos + 1) % lag;
  s.winPos = (s.winPos + 1) % w;
  s.n++;
}

/** Width of sensor j's lagged value range (series 0), 0 while unknown. */
export function rangeWidth(s: RangeState, j: number): number {
  const w = s.hi[j * 3]! - s.lo[j * 3]!;
  return w > 0 && Number.isFinite(w) ? w : 0;
}
