import { createForestModel } from '../model/model.js';
import type { AnomalyModel, ForestModel, ModelContext } from '../model/types.js';
import { blankOutliers } from './clean.js';
import { fitPairs } from './pairs.js';
import { featureNames, isRawPlan, planFeatures, type FeaturePlan } from './features.js';
import { fitProfile, profileFromStats, type SensorProfile } from './profile.js';
import type { DetectorSettings } from './settings.js';
import { adoptModel, createContextState, type ContextState } from './state.js';
import { createStepResult, stepContext, type ContextModel, type Limits } from './step.js';

/** Grows the forest on feature rows (the caller's engine, trees, seed, contamination). */
export type ForestTrainer = (rows: readonly Float64Array[], features: readonly string[], context: ModelContext) => ForestModel;

export interface FitOptions {
  readonly settings: DetectorSettings;
  readonly sensors: readonly string[];
  readonly limits: Limits;
  readonly train: ForestTrainer;
  /** Per sensor, a deployment's declaration of its kind (SENSOR_SCHEMA `kind`). */
  readonly kinds?: ReadonlyArray<'auto' | 'steady' | 'drifting'>;
}

/**
 * A device's model from its training readings, in time order: the sensor
 * profile, then the same time-context stage the stream runs, replayed over the
 * readings to give the forest's rows, the forest on them, and the seed of the
 * anomaly likelihood (the training rows' own scores, averaged as the stream
 * averages them). The same function serves a device's warm-up, `train` on a
 * CSV, the model trained on simulated readings, and evaluation.
 */
export function fitContextModel(rows: readonly ArrayLike<number>[], times: ArrayLike<number>, options: FitOptions): ForestModel {
  return fitWithRows(rows, times, options).model;
}

/** fitContextModel, also returning the feature rows the forest grew on (they seed drift adaptation's window). */
export function fitWithRows(rows: readonly ArrayLike<number>[], times: ArrayLike<number>, options: FitOptions): { model: ForestModel; featureRows: Float64Array[] } {
  const { settings, sensors } = options;
  // What normal is (the profile, the forest's rows) is learnt without gross outliers; the replay that builds
  // the rows, and the device's context later, keep every reading: the range history sees what really happened.
  const { clean, faulty } = cleaned(rows);
  const profile = fitProfile(clean, times, {
    drift: settings.drift,
    flatline: settings.flatline,
    season: settings.timeContext ? settings.season : undefined,
    level: settings.level,
    ...(options.kinds ? { kinds: options.kinds } : {}),
  });
  const raw = !settings.timeContext || settings.forest === undefined || settings.forest.raw;
  const plan = planFeatures(featureNames(sensors, settings.forest?.shingle ?? 1, raw), sensors) as FeaturePlan;
  const featureRows = replayRows(settings, { profile, forest: undefined, plan, pairs: [] }, options.limits, rows, times, faulty);
  const pairs = settings.timeContext && settings.correlation !== undefined ? fitPairs(clean, times, settings.normalizer, settings.correlation.min) : [];
  const forest = options.train(featureRows, plan.names, { sensors, profile });
  const seed = likelihoodSeed(settings, outOfSampleScores(options, featureRows, plan.names, { sensors, profile }, forest));
  return { model: withContext(forest, { sensors, profile, seed, ...(pairs.length > 0 ? { pairs } : {}) }), featureRows };
}

/** The feature rows the stream would compute for these readings, after the normaliser has settled. */
/**
 * The feature rows the stream would compute for these readings, once the normaliser has settled (raw
 * values need no settling), leaving out the rows of readings marked `faulty` (and their shingles).
 */
export function replayRows(
  settings: DetectorSettings,
  model: ContextModel,
  limits: Limits,
  rows: readonly ArrayLike<number>[],
  times: ArrayLike<number>,
  faulty?: Uint8Array,
): Float64Array[] {
  const plan = model.plan!;
  const state = createContextState(settings, model.profile.length, plan.depth, 'first');
  const out = createStepResult(model.profile.length, plan.names.length);
  const skip = isRawPlan(plan) ? 0 : Math.min(Math.floor(rows.length / 4), plan.depth + 10);
  const kept: Float64Array[] = [];
  let lastFaulty = -Infinity;
  for (let i = 0; i < rows.length; i++) {
    stepContext(settings, model, limits, state, rows[i]!, times[i]!, false, out);
    if (faulty?.[i]) lastFaulty = i;
    if (i >= skip && i - lastFaulty >= plan.depth) kept.push(Float64Array.from(out.row));
  }
  return kept;
}

/**
 * The training rows' scores as new readings would get them: a forest scores the rows it grew on lower than
 * rows it has not seen, so each half is scored by a forest grown on the other half (with enough rows).
 */
function outOfSampleScores(options: FitOptions, rows: readonly Float64Array[], names: readonly string[], context: ModelContext, forest: ForestModel): Float64Array {
  if (rows.length < 64) return Float64Array.from(rows, (r) => forest.score(r));
  const half = rows.length >> 1;
  const first = options.train(rows.slice(0, half), names, context);
  const second = options.train(rows.slice(half), names, context);
  return Float64Array.from(rows, (r, i) => (i < half ? second : first).score(r));
}

/** Mean and sd of the training scores averaged as the likelihood averages them. */
function likelihoodSeed(settings: DetectorSettings, scores: Float64Array): { mean: number; sd: number } | undefined {
  if (scores.length === 0) return undefined;
  const window = settings.likelihood.average;
  const ring = new Float64Array(window);
  let sum = 0;
  let n = 0;
  let s1 = 0;
  let s2 = 0;
  scores.forEach((score, i) => {
    if (i >= window) sum -= ring[i % window]!;
    ring[i % window] = score;
    sum += score;
    const avg = sum / Math.min(i + 1, window);
    s1 += avg;
    s2 += avg * avg;
    n++;
  });
  const mean = s1 / n;
  return { mean, sd: Math.sqrt(Math.max(0, s2 / n - mean * mean)) };
}

/** The model as the checks see it: its profile (from the file, or from its statistics for a model of raw values) and plan. */
export function contextModelOf(forest: AnomalyModel, sensors: readonly string[]): ContextModel | string {
  const plan = planFeatures(forest.info.features, sensors);
  if (typeof plan === 'string') return plan;
  const context = forest.context;
  if (context !== undefined) {
    if (context.sensors.join(',') !== sensors.join(',')) return `the model's sensors are ${context.sensors.join(',')}`;
    return { profile: context.profile as SensorProfile[], forest, plan, pairs: context.pairs ?? [] };
  }
  // A model of raw values trained before time context: its feature statistics are the sensors'.
  if (plan.lag.some((l) => l >= 0) || forest.info.features.join(',') !== sensors.join(',')) return 'the model has no sensor profile';
  return { profile: profileFromStats(forest.stats), forest, plan, pairs: [] };
}

/** The same forest with another context (a likelihood seed found after growing it). */
export function withContext(forest: ForestModel, context: ModelContext): ForestModel {
  const { info, compiled, stats, threshold, contamination } = forest;
  return createForestModel({ info, compiled, stats, threshold, contamination, context });
}

/**
 * A device's time context as if its own model had judged it from its first reading: the training
 * readings replayed through the checks (their verdicts forgotten: the training readings are normal by
 * definition), so the smoothed levels, the range history and the likelihood's score history start full.
 */
export function replayContext(settings: DetectorSettings, model: ContextModel, limits: Limits, rows: readonly ArrayLike<number>[], times: ArrayLike<number>): ContextState {
  const dims = model.profile.length;
  const state = createContextState(settings, dims, model.plan?.depth ?? 1, 'first');
  const out = createStepResult(dims, model.plan?.names.length ?? 1);
  for (let i = 0; i < rows.length; i++) stepContext(settings, model, limits, state, rows[i]!, times[i]!, false, out);
  state.history = 0;
  state.lastAnomalyT = -Infinity;
  state.lastAnomalyReading = -Infinity;
  // The baseline starts at the training means, as a model loaded from a file would, and the likelihood at the
  // training scores as new readings would get them (the replay fed it the forest's in-sample scores).
  adoptModel(state, settings, model.profile, model.forest?.context?.seed);
  return state;
}

/** A copy of the rows with each sensor's gross outliers blanked (clean.ts), and which rows had one. */
function cleaned(rows: readonly ArrayLike<number>[]): { clean: Float64Array[]; faulty: Uint8Array } {
  const dims = rows.length > 0 ? rows[0]!.length : 0;
  const data = new Float64Array(rows.length * dims);
  rows.forEach((row, r) => {
    for (let j = 0; j < dims; j++) data[r * dims + j] = row[j]!;
  });
  const faulty = blankOutliers(data, rows.length, dims);
  return { clean: rows.map((_, r) => data.subarray(r * dims, (r + 1) * dims)), faulty };
}
