/**
 * One device's healthy readings: each sensor is its moving baseline (warm-up,
 * daily cycle) plus its variation, split between the shared load (for the
 * sensors that follow it) and the sensor's own noise:
 *
 *   value = base + variation · (warm-up + daily + loading · load + √(1 − loading²) · noise)
 *
 * so every sensor keeps its configured spread around its baseline.
 */
import type { Random } from '../support/random.js';
import { baselineOffset, NO_BASELINE_MOTION } from './baseline.js';
import { createLoad } from './load.js';
import { round2, type SensorProfile, type SensorValues } from './sensor-model.js';
import type { BaselineSettings } from './settings.js';

export interface HealthySample {
  /** The moving baseline of each sensor: base + warm-up + daily cycle. */
  readonly baseline: SensorValues;
  /** What a healthy device reads now, rounded like published readings. */
  readonly values: SensorValues;
  /** The device's load now, in standard deviations. */
  readonly load: number;
  /** Simulated seconds since this device's previous reading (0 for its first). */
  readonly dt: number;
}

export interface HealthyOptions {
  readonly profile: SensorProfile;
  readonly baseline?: BaselineSettings;
  /** Per sensor, from loadings(): √ρ for the sensors that follow the load, 0 for the others. */
  readonly loadings: readonly number[];
  readonly loadSeconds: number;
  /** Epoch ms the daily cycle is counted from (the simulation's start), so the same seed gives the same values whenever it runs. */
  readonly originMs: number;
}

export interface HealthyProcess {
  /** The healthy reading at `at` (epoch ms, simulated time); call with increasing times. */
  sample(at: number): HealthySample;
}

export function createHealthyProcess(random: Random, options: HealthyOptions): HealthyProcess {
  const { profile, loadings } = options;
  const motion = options.baseline ?? NO_BASELINE_MOTION;
  // Drawn only when some sensor follows it, so a configuration without a load keeps its random stream.
  const load = loadings.some((l) => l > 0) ? createLoad(random, options.loadSeconds) : undefined;
  let startMs: number | undefined;
  let lastMs: number | undefined;
  return {
    sample(at) {
      startMs ??= at;
      const dt = lastMs === undefined ? 0 : Math.max(0, (at - lastMs) / 1000);
      lastMs = at;
      const shared = load === undefined ? 0 : dt > 0 ? load.step(dt) : load.value;
      const sinceStart = (at - startMs) / 1000;
      const sinceOrigin = (at - options.originMs) / 1000;
      const baseline = profile.map((f, i) => f.base + f.variation * baselineOffset(motion, i, sinceStart, sinceOrigin));
      const values = profile.map((f, i) => {
        const l = loadings[i] ?? 0;
        return round2(baseline[i]! + f.variation * (l * shared + Math.sqrt(1 - l * l) * random.gaussian()));
      });
      return { baseline, values, load: shared, dt };
    },
  };
}
