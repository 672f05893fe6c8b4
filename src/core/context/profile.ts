import { ewmaWeight, type Duration } from './duration.js';
import { decideSeason, NOT_SEASONAL, type SeasonParams } from './season.js';

/**
 * What a device's normal looks like, sensor by sensor, learnt from its
 * training readings (a warm-up, a CSV, simulated readings): the scale every
 * check measures in, whether the sensor drifts, and how long it may sit still.
 */
export interface SensorProfile {
  /** Training mean: where the adaptive baseline starts. */
  readonly mean: number;
  /** Training sd, floored at half the sensor's resolution (so a quantised sensor that sat still is not judged against 0). */
  readonly scale: number;
  /**
   * Its level wanders on its own (a motor temperature's cooling cycle, a machine's load): the slow baseline
   * cannot follow it, so its deviation is judged against the running mean and sd instead, and no level shift.
   */
  readonly drifting: boolean;
  /** Normal change from one reading to the next: its root mean square in training (the noise check's scale). */
  readonly noise?: number;
  /** How far its smoothed level wanders around the training mean (sd): a level shift must be improbable, not only material. */
  readonly wander?: number;
  /** Event time (ms) it may stay unchanged before it counts as stuck; Infinity = never. */
  readonly flatMs: number;
  /** Seasonal (daily, weekly): judged against the same time slot of recent periods too (season.ts). */
  readonly season?: { readonly periodMs: number; readonly widthMs: number } | undefined;
}

export interface ProfileOptions {
  readonly drift: { readonly block: Duration | 'auto'; readonly share: number };
  readonly flatline: { readonly factor: number; readonly min: Duration } | undefined;
  /** Per sensor, a deployment's declaration; 'auto' applies the drift rule. */
  readonly kinds?: ReadonlyArray<'auto' | 'steady' | 'drifting'>;
  /** Seasonality to look for (undefined = none). */
  readonly season?: SeasonParams | undefined;
  /** Half-life of the smoothed level, to learn its normal wander (undefined = not learnt). */
  readonly level?: Duration | undefined;
}

/**
 * `rows` of raw values in time order (NaN = missing), `times` their event times in ms.
 * Drift rule: the share of a sensor's variance that lies between the means of consecutive
 * blocks; above `share` the level's wander, not its noise, sets the spread, and a fixed band
 * around it would be crossed in normal running (white noise gives about 0.02).
 */
export function fitProfile(rows: readonly ArrayLike<number>[], times: ArrayLike<number>, options: ProfileOptions): SensorProfile[] {
  const n = rows.length;
  const dims = n > 0 ? rows[0]!.length : 0;
  const medianStep = medianDt(times);
  const profiles: SensorProfile[] = [];
  const column = new Float64Array(n);
  for (let j = 0; j < dims; j++) {
    let count = 0;
    for (let i = 0; i < n; i++) {
      const x = rows[i]![j]!;
      if (!Number.isNaN(x)) column[count++] = x;
    }
    const values = column.subarray(0, count);
    let mean = 0;
    for (let i = 0; i < count; i++) mean += values[i]!;
    mean = count > 0 ? mean / count : 0;
    let variance = 0;
    for (let i = 0; i < count; i++) variance += (values[i]! - mean) ** 2;
    const sd = count > 0 ? Math.sqrt(variance / count) : 0;
    let resolution = Infinity;
    for (let i = 1; i < count; i++) {
      const step = Math.abs(values[i]! - values[i - 1]!);
      if (step > 0 && step < resolution) resolution = step;
    }
    const floor = resolution < Infinity ? resolution / 2 : Math.abs(mean) * 0.01 || 1;
    const { block } = options.drift;
    const blockReadings = Math.max(2, Math.round(block === 'auto' ? count / AUTO_BLOCKS : (block.readings ?? block.ms / medianStep)));
    const kind = options.kinds?.[j] ?? 'auto';
    const drifting = kind === 'auto' ? betweenBlockShare(values, blockReadings) > options.drift.share : kind === 'drifting';
    const season = options.season === undefined ? NOT_SEASONAL : decideSeason(options.season, times, Float64Array.from(rows, (r) => r[j]!));
    const noise = normalChange(rows, j);
    const wander = options.level === undefined ? Number.NaN : levelWander(rows, times, j, mean, options.level);
    profiles.push({
      mean,
      scale: Math.max(sd, floor),
      drifting,
      ...(noise > 0 ? { noise: Math.max(noise, floor) } : {}),
      ...(wander > 0 ? { wander } : {}),
      flatMs: flatLimit(rows, times, j, medianStep, options.flatline),
      ...(season.periodMs > 0 ? { season } : {}),
    });
  }
  return profiles;
}

/**
 * 'auto' drift blocks: an eighth of the training. A sensor whose level moves on the time scale of the training
 * itself has a training sd that does not bound it; one whose wander (a machine's load) comes and goes many times
 * within the training is well described by it, however slowly it moves from one reading to the next.
 */
const AUTO_BLOCKS = 8;

/** Share of the variance of x that lies between the means of consecutive blocks of `block` values. */
export function betweenBlockShare(x: ArrayLike<number>, block: number): number {
  const n = x.length;
  if (n < 2 * block) return 0;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i]!;
  mean /= n;
  let total = 0;
  for (let i = 0; i < n; i++) total += (x[i]! - mean) ** 2;
  let between = 0;
  let covered = 0;
  for (let a = 0; a + block <= n; a += block) {
    let m = 0;
    for (let i = a; i < a + block; i++) m += x[i]!;
    between += (m / block - mean) ** 2 * block;
    covered += block;
  }
  return total > 0 ? between / covered / (total / n) : 0;
}

/**
 * Root mean square of the change from one reading to the next: noise, without the level's own movement
 * (a warm-up, a daily cycle) that a spread around the level would count too.
 */
function normalChange(rows: readonly ArrayLike<number>[], j: number): number {
  let last = Number.NaN;
  let sum = 0;
  let n = 0;
  for (const row of rows) {
    const x = row[j]!;
    if (Number.isNaN(x)) continue;
    if (!Number.isNaN(last)) {
      sum += (x - last) ** 2;
      n++;
    }
    last = x;
  }
  return n > 0 ? Math.sqrt(sum / n) : Number.NaN;
}

/** The sd of the smoothed level (as the stream smooths it) around the training mean, once it has settled. */
function levelWander(rows: readonly ArrayLike<number>[], times: ArrayLike<number>, j: number, mean: number, level: Duration): number {
  let smoothed = Number.NaN;
  let lastT = 0;
  let seen = 0;
  let sq = 0;
  let n = 0;
  for (let i = 0; i < rows.length; i++) {
    const x = rows[i]![j]!;
    if (Number.isNaN(x)) continue;
    smoothed = Number.isNaN(smoothed) ? x : smoothed + ewmaWeight(level, Math.max(0, times[i]! - lastT)) * (x - smoothed);
    lastT = times[i]!;
    if (seen++ >= 20) {
      sq += (smoothed - mean) ** 2;
      n++;
    }
  }
  return n > 0 ? Math.sqrt(sq / n) : Number.NaN;
}

/** factor × the longest run of identical values seen in training, and at least `min`. */
function flatLimit(rows: readonly ArrayLike<number>[], times: ArrayLike<number>, j: number, step: number, flatline: ProfileOptions['flatline']): number {
  if (flatline === undefined) return Infinity;
  let longest = 0;
  let runStart = 0;
  for (let i = 1; i < rows.length; i++) {
    if (rows[i]![j] !== rows[i - 1]![j]) runStart = i;
    else longest = Math.max(longest, times[i]! - times[runStart]!);
  }
  const min = flatline.min.readings !== undefined ? flatline.min.readings * step : flatline.min.ms;
  return Math.max(flatline.factor * longest, min);
}

/** The usual spacing of readings, for converting a block in event time into readings. */
function medianDt(times: ArrayLike<number>): number {
  const gaps: number[] = [];
  for (let i = 1; i < times.length; i++) gaps.push(times[i]! - times[i - 1]!);
  gaps.sort((a, b) => a - b);
  const mid = gaps[gaps.length >> 1];
  return mid !== undefined && mid > 0 ? mid : 1000;
}

/** A profile from plain statistics (a model trained before profiles existed): steady, never flat. */
export function profileFromStats(stats: ReadonlyArray<{ readonly mean: number; readonly sd: number }>): SensorProfile[] {
  return stats.map((s) => ({ mean: s.mean, scale: s.sd > 0 ? s.sd : Math.abs(s.mean) * 0.01 || 1, drifting: false, flatMs: Infinity }));
}
