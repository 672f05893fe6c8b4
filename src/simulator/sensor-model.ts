import { createRandom, type Random } from '../support/random.js';
import type { SimulatedField } from './settings.js';

/** The sensors' baselines and spreads, in schema order. */
export type SensorProfile = readonly SimulatedField[];

/** One value per sensor, in schema order. */
export type SensorValues = number[];

/** The rails of the original demo's sensors (an open thermocouple reads 0, a saturated microphone its maximum). */
const DEMO_RAILS: Readonly<Record<string, readonly [number, number]>> = { temperature: [0, 125], humidity: [0, 100], sound: [0, 130] };

/**
 * Where a failed sensor reads: its configured physical min/max; else the demo
 * sensors' rails; else baseline ± 20 spreads (never below 0 for a positive
 * baseline, as most physical quantities are).
 */
export function rails(field: SimulatedField): readonly [number, number] {
  const unit = spread(field);
  const demo = DEMO_RAILS[field.name];
  const low = field.min ?? demo?.[0] ?? (field.base > 0 ? Math.max(0, field.base - 20 * unit) : field.base - 20 * unit);
  return [low, field.max ?? demo?.[1] ?? field.base + 20 * unit];
}

export function baselines(profile: SensorProfile): SensorValues {
  return profile.map((f) => f.base);
}

/** The unit faults are measured in. A sensor configured with no variation still needs faults of a visible size, so 0 counts as 1. */
export function spread(field: SimulatedField): number {
  return field.variation > 0 ? field.variation : 1;
}

export function spreads(profile: SensorProfile): SensorValues {
  return profile.map(spread);
}

/** Published readings carry 2 decimals. */
export function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** A healthy reading: baseline plus Gaussian variation on each sensor, rounded like the published ones. */
export function sampleNormal(random: Random, profile: SensorProfile): SensorValues {
  return profile.map((f) => round2(f.base + random.gaussian() * f.variation));
}

/**
 * The largest distance from baseline over the sensors, in spreads: how abnormal
 * a reading looks. `baseline` is the moving one when baselines move; the
 * configured bases otherwise.
 */
export function maxDeviation(values: SensorValues, profile: SensorProfile, baseline: SensorValues = baselines(profile)): number {
  let max = 0;
  profile.forEach((f, i) => (max = Math.max(max, Math.abs(values[i]! - baseline[i]!) / spread(f))));
  return max;
}

/**
 * `n` healthy feature rows drawn from the same distributions the simulator
 * publishes, for training a model at start. Same seed, same rows.
 */
export function normalReadings(profile: SensorProfile, n: number, seed: number): SensorValues[] {
  const random = createRandom(seed);
  return Array.from({ length: n }, () => sampleNormal(random, profile));
}
