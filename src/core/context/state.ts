import { createLikelihood, resetLikelihood, seedFromStats, type LikelihoodParams, type LikelihoodState } from './likelihood.js';
import { createRange, type RangeState } from './range-novelty.js';
import { createSeasonRing, type SeasonDecision, type SeasonRing } from './season.js';
import type { DetectorSettings } from './settings.js';

/**
 * One device's time context: everything the checks remember between readings.
 * Typed arrays of one slot per sensor, allocated once; a few KB per device.
 * Plain data, so it can be saved with the device's model and moved between
 * workers (see toSnapshot / fromSnapshot).
 */
export interface ContextState {
  started: boolean;
  /**
   * Where the running values start: at the first reading (a replay from the start of a device's history), or
   * at the profile's means (a device that joins with no history, judged by a model learnt elsewhere).
   */
  readonly startFrom: 'first' | 'profile';
  /** Event time of the last reading (ms). */
  lastT: number;
  readings: number;
  /** Usual spacing of readings (EWMA of event-time gaps), for silence and gap rules. */
  intervalMs: number;
  /** Readings whose timestamp went backwards (scored without moving time on). */
  outOfOrder: number;
  readonly level: Float64Array;
  readonly base: Float64Array;
  /** EWMA of the squared step from the level: the recent spread. */
  readonly spread2: Float64Array;
  /** The forest's normaliser: running mean and variance. */
  readonly normMean: Float64Array;
  readonly normVar: Float64Array;
  /** Last value of each sensor, and since when (event time) it has not changed. */
  readonly last: Float64Array;
  readonly since: Float64Array;
  /** Recent z values, `depth` readings × sensors, newest at zPos. */
  readonly zRing: Float64Array;
  zPos: number;
  readonly range: RangeState | undefined;
  /** Per sensor: its seasonal ring and the range novelty of its residual, for seasonal sensors. */
  readonly seasons: Array<SeasonRing | undefined>;
  readonly residualRanges: Array<RangeState | undefined>;
  readonly likelihood: LikelihoodState | undefined;
  /** Per correlated pair (pairs.ts): its running offset (NaN until its first reading), and its smoothed squared scatter around it (1 = as in training). */
  pairOffset: Float64Array;
  pairSpread: Float64Array;
  /** Last openN decisions, newest in bit 0. */
  history: number;
  /** Event time and reading count of the last anomalous reading. */
  lastAnomalyT: number;
  lastAnomalyReading: number;
  /**
   * Per sensor, while a device that joined with no history settles towards the model's normal (settle.ts):
   * its closest approach so far in sd (-1: not settling), and the event time and reading count it was made at.
   */
  readonly settleMin: Float64Array;
  readonly settleT: Float64Array;
  readonly settleReading: Float64Array;
}

export function createContextState(settings: DetectorSettings, dims: number, depth: number, startFrom: 'first' | 'profile' = 'profile'): ContextState {
  return {
    started: false,
    startFrom,
    lastT: 0,
    readings: 0,
    intervalMs: 0,
    outOfOrder: 0,
    level: new Float64Array(dims),
    base: new Float64Array(dims),
    spread2: new Float64Array(dims),
    normMean: new Float64Array(dims),
    normVar: new Float64Array(dims),
    last: new Float64Array(dims).fill(Number.NaN),
    since: new Float64Array(dims),
    zRing: new Float64Array(Math.max(1, depth) * dims),
    zPos: 0,
    range: settings.range === undefined ? undefined : createRange(settings.range, dims),
    seasons: new Array<SeasonRing | undefined>(dims).fill(undefined),
    residualRanges: new Array<RangeState | undefined>(dims).fill(undefined),
    likelihood: settings.forest?.calibrate === 'likelihood' ? createLikelihood(settings.likelihood) : undefined,
    pairOffset: new Float64Array(0),
    pairSpread: new Float64Array(0),
    history: 0,
    lastAnomalyT: -Infinity,
    lastAnomalyReading: -Infinity,
    settleMin: new Float64Array(dims).fill(-1),
    settleT: new Float64Array(dims),
    settleReading: new Float64Array(dims),
  };
}

/** Bytes a state holds in typed arrays (what `MODEL_MAX_DEVICES` × this costs). */
export function stateBytes(state: ContextState): number {
  let bytes = 0;
  for (const value of Object.values(state)) if (ArrayBuffer.isView(value)) bytes += value.byteLength;
  for (const nested of [state.range, state.likelihood, ...state.seasons, ...state.residualRanges]) {
    if (nested !== undefined) for (const value of Object.values(nested)) if (ArrayBuffer.isView(value)) bytes += value.byteLength;
  }
  return bytes;
}

/** JSON-safe copy: typed arrays become arrays (NaN and ±Infinity as null, restored as NaN; see fromSnapshot). */
export function toSnapshot(state: ContextState): unknown {
  return JSON.parse(JSON.stringify(state, (_key, value: unknown) => (ArrayBuffer.isView(value) ? { f64: Array.from(value as Float64Array, finiteOrNull) } : value)));
}

/** What a snapshot is restored into: the model's sensor profile (its seasons) and pairs, the shingle depth. */
export interface StateShape {
  readonly profile: ReadonlyArray<{ readonly season?: SeasonDecision | undefined }>;
  readonly pairs: ReadonlyArray<unknown>;
  readonly depth: number;
}

/**
 * The state back from a snapshot taken with the same settings and model; undefined when it does not fit.
 * The fresh state is given the model's shape first (seasonal rings, one slot per pair), so every array
 * the snapshot holds has its place and length.
 */
export function fromSnapshot(value: unknown, settings: DetectorSettings, shape: StateShape): ContextState | undefined {
  const fresh = createContextState(settings, shape.profile.length, shape.depth);
  prepareSeasons(fresh, settings, shape.profile);
  fresh.pairOffset = new Float64Array(shape.pairs.length);
  fresh.pairSpread = new Float64Array(shape.pairs.length);
  if (typeof value !== 'object' || value === null) return undefined;
  const saved = value as Record<string, unknown>;
  // A snapshot taken before its first pair reading has empty pair arrays: they start again, as they would have.
  for (const key of ['pairOffset', 'pairSpread'] as const) {
    const values = (saved[key] as { f64?: unknown } | undefined)?.f64;
    if (Array.isArray(values) && values.length === 0) fresh[key] = new Float64Array(0);
  }
  return restoreInto(fresh, saved) ? fresh : undefined;
}

function restoreInto(target: object, source: Record<string, unknown>): boolean {
  for (const [key, current] of Object.entries(target)) {
    const saved = source[key];
    if (ArrayBuffer.isView(current)) {
      const array = current as unknown as { length: number; [i: number]: number };
      const values = (saved as { f64?: unknown } | undefined)?.f64;
      if (!Array.isArray(values) || values.length !== array.length) return false;
      values.forEach((v, i) => (array[i] = typeof v === 'number' ? v : infinityFor(key)));
    } else if (current !== null && typeof current === 'object') {
      if (typeof saved !== 'object' || saved === null || !restoreInto(current, saved as Record<string, unknown>)) return false;
    } else if (current === undefined) {
      if (saved !== undefined && saved !== null) return false;
    } else if (typeof saved === typeof current || (typeof current === 'number' && saved === null)) {
      (target as Record<string, unknown>)[key] = saved === null ? -Infinity : saved;
    } else return false;
  }
  return true;
}

/** JSON has no NaN or Infinity: range extremes and records start at ±Infinity, delayed values and offsets at NaN. */
function infinityFor(key: string): number {
  if (key === 'lo' || key === 'recLo') return Infinity;
  if (key === 'hi' || key === 'recHi') return -Infinity;
  return Number.NaN;
}

function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

export type { LikelihoodParams };

/**
 * The device now judged by another model (its own, after the warm-up): the baseline starts again at the
 * new profile's means, and the likelihood forgets the old model's scores and starts from the new one's.
 */
export function adoptModel(
  state: ContextState,
  settings: DetectorSettings,
  profile: ReadonlyArray<{ readonly mean: number; readonly season?: SeasonDecision | undefined }>,
  seed: { readonly mean: number; readonly sd: number } | undefined,
): void {
  profile.forEach((p, j) => (state.base[j] = p.mean));
  prepareSeasons(state, settings, profile);
  if (state.likelihood === undefined) return;
  resetLikelihood(settings.likelihood, state.likelihood);
  if (seed !== undefined) seedFromStats(settings.likelihood, state.likelihood, seed.mean, seed.sd);
}

/**
 * A state as if the device had sat at its mean until `t`: for judging one reading with no history
 * (POST /predict). Its deviations are then measured against the model's training profile.
 */
export function primeContext(state: ContextState, profile: ReadonlyArray<{ readonly mean: number; readonly scale: number }>, t: number): ContextState {
  state.started = true;
  state.lastT = t;
  profile.forEach((p, j) => {
    state.level[j] = state.base[j] = state.normMean[j] = p.mean;
    state.normVar[j] = p.scale * p.scale;
    state.since[j] = t;
  });
  return state;
}

/** Seasonal rings (and their residual's range novelty) for the sensors the profile found seasonal; kept when they already fit. */
export function prepareSeasons(state: ContextState, settings: DetectorSettings, profile: ReadonlyArray<{ readonly season?: SeasonDecision | undefined }>): void {
  profile.forEach((p, j) => {
    const season = settings.season === undefined ? undefined : p.season;
    const ring = state.seasons[j];
    if (season === undefined) {
      state.seasons[j] = undefined;
      state.residualRanges[j] = undefined;
      return;
    }
    if (ring !== undefined && ring.periodMs === season.periodMs && ring.widthMs === season.widthMs) return;
    state.seasons[j] = createSeasonRing(settings.season!, season);
    state.residualRanges[j] = settings.range === undefined ? undefined : createRange(settings.range, 1);
  });
}
