/**
 * What every injected fault is: a run of readings it changes (or, for a
 * dropout, withholds), the sensors it acts on, and for each reading whether
 * that reading is anomalous on its own. Sizes are in "spreads" (the sensor's
 * variation, 1 when that is 0), so faults stay visible whatever the baselines.
 */
import type { Random } from '../support/random.js';
import type { SensorProfile, SensorValues } from './sensor-model.js';
import type { FaultKind } from './settings.js';

/**
 * A value fault's reading counts as anomalous on its own (per-reading ground
 * truth) only when some sensor is at least this many spreads from its moving
 * baseline. Below it (the start of a drift) it is not clearly abnormal yet.
 */
export const INJECTED_MIN_DEVIATION = 5;

/** What a fault sees at each reading of its device. */
export interface FaultContext {
  /** The healthy reading the device would publish now. */
  readonly healthy: SensorValues;
  /** Each sensor's moving baseline now (base + warm-up + daily cycle). */
  readonly baseline: SensorValues;
  /** The device's shared load now. */
  readonly load: number;
  /** Simulated seconds since the device's previous reading. */
  readonly dt: number;
}

export interface FaultStep {
  /** The reading published instead of the healthy one; undefined when the device publishes nothing. */
  readonly values: SensorValues | undefined;
  /** The reading is anomalous on its own: far out (value faults) or part of a changed pattern (the others). */
  readonly reported: boolean;
}

/** A fault in progress on one device. */
export interface Fault {
  readonly kind: FaultKind;
  /** Indexes of the sensors it acts on, in schema order (none for a dropout). */
  readonly sensors: readonly number[];
  /** Readings still to be affected, this one included. */
  readonly remaining: number;
  /** Turns the next healthy reading into a faulty one (or none) and uses up one reading. */
  apply(context: FaultContext): FaultStep;
}

/** What a fault is started with: the device's own generator and what it knows of the device. */
export interface FaultEnvironment {
  readonly random: Random;
  readonly profile: SensorProfile;
  /** Per sensor: its loading on the shared load (0 = it does not follow it). */
  readonly loadings: readonly number[];
  /** Time constant of the shared load, seconds. */
  readonly loadSeconds: number;
  /** Readings per second of simulated time, to turn durations into readings. */
  readonly rate: number;
}

/** A fault that lasts `length` readings, each made by `step`. */
export function countdown(kind: FaultKind, sensors: readonly number[], length: number, step: (context: FaultContext) => FaultStep): Fault {
  let remaining = length;
  return {
    kind,
    sensors,
    get remaining() {
      return remaining;
    },
    apply(context) {
      if (remaining <= 0) throw new Error(`${kind} fault is over`);
      remaining -= 1;
      return step(context);
    },
  };
}

/** How many readings `seconds` of simulated time hold at `rate` per second (at least `min`). */
export function readingsIn(seconds: number, rate: number, min = 1): number {
  return Math.max(min, Math.round(seconds * rate));
}

/** Uniform in [low, high). */
export function between(random: Random, low: number, high: number): number {
  return low + (high - low) * random.next();
}

export function sign(random: Random): 1 | -1 {
  return random.next() < 0.5 ? -1 : 1;
}

export function pick<T>(items: readonly T[], random: Random): T {
  if (items.length === 0) throw new RangeError('nothing to pick from');
  return items[random.int(items.length)]!;
}

export function shuffle<T>(items: T[], random: Random): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** Sensors that vary when healthy (a flatline or more noise on one that does not would show nothing); all when none does. */
export function varyingSensors(profile: SensorProfile): number[] {
  const varying = profile.flatMap((f, i) => (f.variation > 0 ? [i] : []));
  return varying.length > 0 ? varying : profile.map((_, i) => i);
}
