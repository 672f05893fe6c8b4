import type { AnomalyModel } from '../model/types.js';
import { CHECK_INDEX, CHECKS, calibrate, rescale } from './checks.js';
import { elapsed, ewmaWeight } from './duration.js';
import type { FeaturePlan } from './features.js';
import { stepLikelihood } from './likelihood.js';
import type { SensorProfile } from './profile.js';
import { rangeWidth, stepRange, type RangeOut } from './range-novelty.js';
import { stepSeason } from './season.js';
import type { SensorPair } from './pairs.js';
import type { DetectorSettings } from './settings.js';
import { settling, startSettling } from './settle.js';
import { prepareSeasons, type ContextState } from './state.js';

/** What a device is judged against: its sensors' profile, and the forest with the features it reads. */
export interface ContextModel {
  readonly profile: readonly SensorProfile[];
  readonly forest: AnomalyModel | undefined;
  readonly plan: FeaturePlan | undefined;
  /** Sensors that move together (pairs.ts). */
  readonly pairs: readonly SensorPair[];
}

/** Physical ranges of the sensors (NaN = none). */
export interface Limits {
  readonly min: Float64Array;
  readonly max: Float64Array;
}

/** One reading's verdict; one object per caller, overwritten by every step (no allocation per reading). */
export interface StepResult {
  score: number;
  decision: boolean;
  /** The check and sensor with the strongest evidence (-1: none / the forest as a whole). */
  topCheck: number;
  topSensor: number;
  isolation: number;
  likelihood: number;
  /** Per check, its calibrated score. */
  readonly checks: Float64Array;
  /** Per sensor, its strongest calibrated evidence over the per-sensor checks. */
  readonly bySensor: Float64Array;
  /** Per sensor, the z its deviation check judged: (value - baseline) / scale, or for a drifting sensor its normalised deviation from the running mean. */
  readonly z: Float64Array;
  /** Per sensor, 1 where the value was missing and the last one stood in. */
  readonly missing: Uint8Array;
  /** The forest's input row. */
  readonly row: Float64Array;
  /** Per sensor: range novelty of its value (≥ 1: beyond its lagged history) and the record it set (0 = none). */
  readonly range: RangeOut;
  /** Per sensor: the same for its seasonal residual. */
  readonly seasonal: RangeOut;
  /** Per sensor: value minus the same time slot of recent periods (NaN: not seasonal, or no reference yet). */
  readonly residual: Float64Array;
  /** Checks (bit per CHECKS index) that set a record this reading, and that were beyond their range. */
  records: number;
  novel: number;
}

export function createStepResult(dims: number, features: number): StepResult {
  return {
    score: 0,
    decision: false,
    topCheck: -1,
    topSensor: -1,
    isolation: 0,
    likelihood: 0,
    checks: new Float64Array(CHECKS.length),
    bySensor: new Float64Array(dims),
    z: new Float64Array(dims),
    missing: new Uint8Array(dims),
    row: new Float64Array(Math.max(1, features)),
    range: { novelty: new Float64Array(dims), record: new Float64Array(dims) },
    seasonal: { novelty: new Float64Array(dims), record: new Float64Array(dims) },
    residual: new Float64Array(dims),
    records: 0,
    novel: 0,
  };
}

const ONE = new Float64Array(1);
const ONE_OUT: RangeOut = { novelty: new Float64Array(1), record: new Float64Array(1) };
const SCALE = new Float64Array(1);

/**
 * One reading of one device in event time `t` (ms). Pure: it reads the model
 * and settings, and updates only `state` and `out`. A timestamp that goes
 * backwards is scored without moving time on (dt = 0, counted); after a long
 * gap the smoothed values have forgotten the past by themselves (EWMA weight → 1).
 */
export function stepContext(
  settings: DetectorSettings,
  model: ContextModel,
  limits: Limits,
  state: ContextState,
  values: ArrayLike<number>,
  t: number,
  open: boolean,
  out: StepResult,
): StepResult {
  const dims = model.profile.length;
  const T = settings.threshold;
  if (!state.started) start(settings, model, state, values, t);
  let dt = t - state.lastT;
  if (dt < 0) {
    state.outOfOrder++;
    dt = 0;
  } else state.lastT = t;
  // A gap much longer than usual (the device was silent): a sensor unchanged across it is not stuck.
  const gap = state.readings > 1 && dt > 10 * state.intervalMs;
  if (state.readings > 0 && dt > 0) state.intervalMs = state.intervalMs === 0 ? dt : state.intervalMs + 0.1 * (dt - state.intervalMs);
  state.readings++;
  const wLevel = ewmaWeight(settings.level, dt);
  const wNorm = ewmaWeight(settings.normalizer, dt);
  out.checks.fill(0);
  out.bySensor.fill(0);
  out.records = 0;
  out.novel = 0;
  const range = state.range;
  if (range !== undefined && settings.range !== undefined) stepRange(settings.range, range, values, out.range);

  let settlingSensors = 0;
  for (let j = 0; j < dims; j++) {
    const p = model.profile[j]!;
    let x = values[j]!;
    out.missing[j] = Number.isNaN(x) ? 1 : 0;
    if (Number.isNaN(x)) x = Number.isNaN(state.last[j]!) ? p.mean : state.last[j]!;
    // Deviation of this reading from the baseline, before anything moves.
    const z = (x - state.base[j]!) / p.scale;
    out.z[j] = z;
    const levelBefore = state.level[j]!;
    state.level[j]! += wLevel * (x - levelBefore);
    // Noise: the change since the sensor's previous value (a level that moves, slowly or in a warm-up, adds
    // little), each counted at most twice the limit: one jump (a spike, a step) is the other checks' news.
    const normalChange = p.noise ?? Math.SQRT2 * p.scale;
    let jump = 0;
    if (!out.missing[j] && !gap && !Number.isNaN(state.last[j]!)) {
      const change = Math.abs(x - state.last[j]!);
      // Only a jump away from where the sensor has been is news: the way back from a spike is not a second one.
      if (Math.abs(x - levelBefore) > Math.abs(state.last[j]! - levelBefore)) jump = change / normalChange;
      const cap = 2 * settings.spreadLimit * normalChange;
      const counted = cap > 0 ? Math.min(change, cap) : change;
      state.spread2[j]! += wLevel * (counted * counted - state.spread2[j]!);
    }
    // A seasonal sensor: its residual against the same time slot of recent periods, and that residual's records.
    const residual = seasonal(settings, state, j, out.missing[j] ? Number.NaN : x, t, out);
    // The forest's normalised input (the residual for a seasonal sensor), against the running mean and sd from
    // before this reading; 0 (no news) while a seasonal sensor has no reference yet.
    const input = state.seasons[j] === undefined ? x : residual;
    let zn = 0;
    if (!Number.isNaN(input)) {
      const sd = Math.sqrt(state.normVar[j]!) || p.scale;
      zn = (input - state.normMean[j]!) / Math.max(sd, 1e-3 * Math.abs(state.normMean[j]!), 1e-12);
      const d = input - state.normMean[j]!;
      state.normMean[j]! += wNorm * d;
      state.normVar[j] = (1 - wNorm) * (state.normVar[j]! + wNorm * d * d);
    }
    state.zRing[state.zPos * dims + j] = zn;

    if (!out.missing[j]) {
      if (x !== state.last[j] || gap) state.since[j] = t;
      state.last[j] = x;
    }
    const flatRatio = p.flatMs === Infinity ? 0 : (t - state.since[j]!) / p.flatMs;
    evidence(out, j, CHECK_INDEX.flatline, flatRatio >= 1 ? calibrate(Math.max(1, flatRatio), T) : 0);
    evidence(out, j, CHECK_INDEX.sensor_fault, x < limits.min[j]! || x > limits.max[j]! ? calibrate(2, T) : 0);
    if (range !== undefined) rangeEvidence(out, j, CHECK_INDEX.record, out.range, T);
    if (state.residualRanges[j] !== undefined) rangeEvidence(out, j, CHECK_INDEX.seasonal, out.seasonal, T);
    if (settings.spreadLimit > 0 && state.readings > 1) {
      evidence(out, j, CHECK_INDEX.noise, calibrate(Math.sqrt(state.spread2[j]!) / normalChange / settings.spreadLimit, T));
    }
    // A drifting sensor's deviation is from its running mean, in its running sd: the slow baseline cannot follow
    // it. Either way a sudden jump from the previous value, in units of the normal change, is a deviation too: a
    // spike on a sensor whose load wanders stands out far more against its last value than against any mean.
    const away = Math.abs(p.drifting ? (out.z[j] = zn) : z);
    // The level check's limit in sd: material (BAND_LIMIT) and improbable (the deviation limit in the level's wander).
    const band = Math.max(settings.bandLimit, (settings.instantLimit * (p.wander ?? 0)) / p.scale) || 2;
    const settles = settling(settings, state, j, p.scale, band, t);
    if (settles) settlingSensors++;
    // Even then, one reading far enough out to open an incident on its own (INCIDENT_EXTREME) is news.
    const held = settles && calibrate(away / settings.instantLimit, T) < settings.incident.extreme;
    const deviation = Math.max(held ? 0 : away, jump);
    if (settings.instantLimit > 0) evidence(out, j, CHECK_INDEX.deviation, calibrate(deviation / settings.instantLimit, T));
    if (p.drifting || settles) continue;
    if (settings.bandLimit > 0) {
      // Material (BAND_LIMIT value sd) and improbable (the deviation limit in sd of the level's own wander): a
      // sensor whose level wanders with a machine's load is not judged by the band a noisy one is.
      const limit = band * p.scale;
      evidence(out, j, CHECK_INDEX.level_shift, calibrate(Math.abs(state.level[j]! - state.base[j]!) / limit, T));
    }
  }
  if (settings.correlation !== undefined) correlationCheck(settings.correlation.limit, model.pairs, state, wLevel, wNorm, out, T);
  out.isolation = 0;
  out.likelihood = 0;
  if (model.plan !== undefined) {
    fillRow(model.plan, state, values, out.row);
    if (model.forest !== undefined && settings.forest !== undefined) forestCheck(settings, model.forest, model.plan, state, out, T);
    if (settlingSensors > 0) out.checks[CHECK_INDEX.pattern] = 0;
  }
  state.zPos = (state.zPos + 1) % (state.zRing.length / dims);

  let score = 0;
  out.topCheck = -1;
  for (let c = 0; c < CHECKS.length; c++) {
    if (out.checks[c]! > score) {
      score = out.checks[c]!;
      out.topCheck = c;
    }
  }
  out.topSensor = -1;
  let best = 0;
  for (let j = 0; j < dims; j++) {
    if (out.bySensor[j]! > best) {
      best = out.bySensor[j]!;
      out.topSensor = j;
    }
  }
  out.score = score;
  out.decision = score >= T;
  // The forest alone spoke: its own attribution says which sensors (costs a few more scores, on anomalies only).
  if (out.decision && out.topCheck === CHECK_INDEX.pattern && best < T && model.forest !== undefined && model.plan !== undefined) attribute(model, out);
  remember(settings, model, state, out.decision, open, t, dt);
  return out;
}

/**
 * The first reading of a device: its smoothed level starts at the profile's mean, not at this value, so one
 * reading a little off cannot look like a level that shifted; a device that really sits elsewhere (an oven
 * judged by a model of cooler machines) gets there within a few half-lives, and is flagged.
 */
function start(settings: DetectorSettings, model: ContextModel, state: ContextState, values: ArrayLike<number>, t: number): void {
  state.started = true;
  prepareSeasons(state, settings, model.profile);
  state.lastT = t;
  model.profile.forEach((p, j) => {
    const x = Number.isNaN(values[j]!) ? p.mean : values[j]!;
    // A device joining with no history is where its first reading says (settling judges how it got there).
    state.level[j] = state.startFrom === 'profile' ? x : p.mean;
    state.base[j] = p.mean;
    state.normMean[j] = state.startFrom === 'first' ? x : p.mean;
    state.normVar[j] = p.scale * p.scale;
    state.since[j] = t;
    // Joining with no history: far from normal is not yet news while the sensor closes in on it.
    if (state.startFrom === 'profile' && settings.timeContext) startSettling(state, j, t);
  });
}

/**
 * Each pair's scatter around its line, smoothed like a sensor's level: decoupled sensors scatter far more than
 * they did in training, even when each alone stays in its normal range. The line's offset follows slowly (as the
 * normaliser does), so slow cycles of their own and a device's own offset are not scatter.
 */
function correlationCheck(limit: number, pairs: readonly SensorPair[], state: ContextState, w: number, wOffset: number, out: StepResult, T: number): void {
  if (state.pairSpread.length !== pairs.length) {
    state.pairSpread = new Float64Array(pairs.length).fill(1);
    state.pairOffset = new Float64Array(pairs.length).fill(Number.NaN);
  }
  for (let i = 0; i < pairs.length; i++) {
    const p = pairs[i]!;
    if (out.missing[p.a] || out.missing[p.b]) continue;
    const v = state.last[p.b]! - p.slope * state.last[p.a]!;
    if (Number.isNaN(state.pairOffset[i]!)) state.pairOffset[i] = v;
    // Each reading counts at most twice the limit: one far value (a spike) is the other checks' news.
    const r = Math.max(-2 * limit, Math.min(2 * limit, (v - state.pairOffset[i]!) / p.scale));
    // Beyond the limit the offset stays: a decoupling that lasts is not learnt as the pair's new offset.
    if (Math.abs(r) < limit) state.pairOffset[i]! += wOffset * r * p.scale;
    state.pairSpread[i]! += w * (r * r - state.pairSpread[i]!);
    const score = calibrate(Math.sqrt(state.pairSpread[i]!) / limit, T);
    evidence(out, p.a, CHECK_INDEX.correlation, score);
    evidence(out, p.b, CHECK_INDEX.correlation, score);
  }
}

/** The forest's occlusion attribution, summed over each sensor's features, as per-sensor evidence. */
function attribute(model: ContextModel, out: StepResult): void {
  const { contributions } = model.forest!.explain(out.row);
  const plan = model.plan!;
  plan.names.forEach((name, f) => {
    const j = plan.sensor[f]!;
    out.bySensor[j]! += (contributions[name] ?? 0) * out.score;
  });
}

/** Range novelty as evidence: beyond the lagged range is anomalous; a record says how far it went. */
function rangeEvidence(out: StepResult, j: number, check: number, r: RangeOut, T: number): void {
  const novelty = r.novelty[j]!;
  if (novelty < 1) return;
  out.novel |= 1 << check;
  if (r.record[j]! >= 1) out.records |= 1 << check;
  evidence(out, j, check, calibrate(Math.max(novelty, r.record[j]!), T));
}

/** Steps a seasonal sensor's ring; fills its residual and the residual's range novelty (NaN and 0 otherwise). */
function seasonal(settings: DetectorSettings, state: ContextState, j: number, x: number, t: number, out: StepResult): number {
  const ring = state.seasons[j];
  out.seasonal.novelty[j] = 0;
  out.seasonal.record[j] = 0;
  if (ring === undefined || settings.season === undefined) {
    out.residual[j] = Number.NaN;
    return Number.NaN;
  }
  const residual = stepSeason(settings.season, ring, t, x);
  out.residual[j] = residual;
  const rr = state.residualRanges[j];
  if (rr !== undefined && settings.range !== undefined && !Number.isNaN(residual)) {
    ONE[0] = residual;
    // The residual's margin is a share of the sensor's value range: its own range is mostly noise.
    SCALE[0] = state.range === undefined ? 0 : rangeWidth(state.range, j);
    stepRange(settings.range, rr, ONE, ONE_OUT, SCALE);
    out.seasonal.novelty[j] = ONE_OUT.novelty[0]!;
    out.seasonal.record[j] = ONE_OUT.record[0]!;
  }
  return residual;
}

function evidence(out: StepResult, j: number, check: number, score: number): void {
  if (score > out.checks[check]!) out.checks[check] = score;
  if (score > out.bySensor[j]!) out.bySensor[j] = score;
}

/** The forest's input row for this reading (call before the shingle ring moves on). */
export function fillRow(plan: FeaturePlan, state: ContextState, values: ArrayLike<number>, row: Float64Array): void {
  const dims = state.level.length;
  const depth = state.zRing.length / dims;
  for (let f = 0; f < plan.sensor.length; f++) {
    const j = plan.sensor[f]!;
    const lag = plan.lag[f]!;
    row[f] = lag < 0 ? (Number.isNaN(values[j]!) ? state.last[j]! : values[j]!) : state.zRing[((((state.zPos - lag) % depth) + depth) % depth) * dims + j]!;
  }
}

function forestCheck(settings: DetectorSettings, forest: AnomalyModel, plan: FeaturePlan, state: ContextState, out: StepResult, T: number): void {
  const raw = forest.score(out.row);
  out.isolation = raw;
  const likelihood = state.likelihood;
  if (likelihood !== undefined && state.readings > plan.depth) {
    out.likelihood = stepLikelihood(settings.likelihood, likelihood, raw);
    out.checks[CHECK_INDEX.pattern] = rescale(out.likelihood, 0.5, T);
  } else if (likelihood === undefined) {
    // No history to calibrate against: the forest's own threshold marks the limit.
    out.checks[CHECK_INDEX.pattern] = rescale(raw, forest.threshold, T);
  }
}

/** The k-of-n memory and the baseline, which follows the level only while the device is quiet. */
function remember(settings: DetectorSettings, model: ContextModel, state: ContextState, decision: boolean, open: boolean, t: number, dt: number): void {
  const n = settings.incident.openN;
  state.history = ((state.history << 1) | (decision ? 1 : 0)) & (n >= 31 ? 0x7fffffff : (1 << n) - 1);
  if (decision) {
    state.lastAnomalyT = t;
    state.lastAnomalyReading = state.readings;
  }
  if (decision || open) return;
  const w = ewmaWeight(settings.baseline, dt);
  if (w === 0) return;
  for (let j = 0; j < model.profile.length; j++) state.base[j]! += w * (state.level[j]! - state.base[j]!);
}

/** Set bits of the k-of-n memory. */
export function recentAnomalies(state: ContextState): number {
  let count = 0;
  for (let v = state.history >>> 0; v; v &= v - 1) count++;
  return count;
}

/** The quiet period has passed since the last anomalous reading. */
export function quietFor(settings: DetectorSettings, state: ContextState): boolean {
  return elapsed(settings.incident.quiet, state.lastT - state.lastAnomalyT, state.readings - state.lastAnomalyReading);
}
