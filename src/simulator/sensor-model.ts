import type { SimulatorSettings as SimulatorConfig } from './settings.js';
import { FEATURES } from '../core/reading.js';
import { createRandom, type Random } from '../support/random.js';

/** Baseline and standard deviation ("variation") of each sensor. */
export type SensorProfile = SimulatorConfig['sensors'];

/** One value per sensor, in FEATURES order: [temperature, humidity, sound]. */
export type SensorValues = [number, number, number];

/**
 * The physical range of each sensor. A failed sensor reads one of its rails
 * (an open thermocouple reads 0, a saturated microphone its maximum).
 */
export const SENSOR_RAILS: Readonly<Record<(typeof FEATURES)[number], readonly [number, number]>> = {
  temperature: [0, 125],
  humidity: [0, 100],
  sound: [0, 130],
};

export function baselines(profile: SensorProfile): SensorValues {
  return [profile.temperature.base, profile.humidity.base, profile.sound.base];
}

/**
 * The unit faults are measured in. A sensor configured with no variation
 * still needs faults of a visible size, so 0 counts as 1.
 */
export function spreads(profile: SensorProfile): SensorValues {
  const unit = (variation: number) => (variation > 0 ? variation : 1);
  return [unit(profile.temperature.variation), unit(profile.humidity.variation), unit(profile.sound.variation)];
}

/** Published readings carry 2 decimals. */
export function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** A healthy reading: baseline plus Gaussian variation on each sensor, rounded like the published ones. */
export function sampleNormal(random: Random, profile: SensorProfile): SensorValues {
  return [
    round2(profile.temperature.base + random.gaussian() * profile.temperature.variation),
    round2(profile.humidity.base + random.gaussian() * profile.humidity.variation),
    round2(profile.sound.base + random.gaussian() * profile.sound.variation),
  ];
}

/** The largest distance from baseline over the sensors, in spreads: how abnormal a reading looks. */
export function maxDeviation(values: SensorValues, profile: SensorProfile): number {
  const base = baselines(profile);
  const unit = spreads(profile);
  return Math.max(...values.map((v, i) => Math.abs(v - base[i]!) / unit[i]!));
}

/**
 * `n` healthy feature rows drawn from the same distributions the simulator
 * publishes, for training a model at start. Same seed, same rows.
 */
export function normalReadings(config: Pick<SimulatorConfig, 'sensors'>, n: number, seed: number): SensorValues[] {
  const random = createRandom(seed);
  return Array.from({ length: n }, () => sampleNormal(random, config.sensors));
}
