/**
 * A shared machine load: one slowly wandering quantity per device (a
 * stationary AR(1) process with unit variance) that some sensors follow. Two
 * sensors that follow it with loading √ρ each are correlated by ρ, while each
 * keeps its configured variation; a correlation break is a sensor that stops
 * following it.
 */
import type { Random } from '../support/random.js';
import type { SimulatedField, LoadSettings } from './settings.js';
import { SettingError } from '../support/setting-error.js';

export interface LoadProcess {
  /** The load now, in standard deviations. */
  readonly value: number;
  /** Moves the load on by `dtSeconds` and returns it. */
  step(dtSeconds: number): number;
}

/** A load process that starts at `start` (drawn from its stationary distribution when omitted). */
export function createLoad(random: Random, timeConstantSeconds: number, start?: number): LoadProcess {
  let value = start ?? random.gaussian();
  return {
    get value() {
      return value;
    },
    step(dtSeconds) {
      const keep = Math.exp(-Math.max(0, dtSeconds) / timeConstantSeconds);
      value = keep * value + Math.sqrt(1 - keep * keep) * random.gaussian();
      return value;
    },
  };
}

/**
 * Each sensor's loading on the load, in schema order: √correlation for the
 * sensors that follow it, 0 for the others. `auto` picks the 1st, 3rd, 5th, ...
 * sensor (temperature and sound of the default three), or both of two.
 */
export function loadings(profile: readonly SimulatedField[], settings: LoadSettings | undefined): number[] {
  if (settings === undefined || settings.correlation <= 0) return profile.map(() => 0);
  const names = settings.sensors === 'auto' ? autoLoadSensors(profile) : settings.sensors;
  const unknown = names.filter((n) => !profile.some((f) => f.name === n));
  if (unknown.length > 0) {
    throw new SettingError(
      'unknown_sensor',
      'simulator.load.sensors',
      `{simulator.load.sensors} names ${unknown.join(', ')}, not in the sensor schema (${profile.map((f) => f.name).join(', ')})`,
    );
  }
  const loading = Math.sqrt(Math.min(1, settings.correlation));
  return profile.map((f) => (names.includes(f.name) ? loading : 0));
}

function autoLoadSensors(profile: readonly SimulatedField[]): string[] {
  if (profile.length === 2) return profile.map((f) => f.name);
  return profile.filter((_, i) => i % 2 === 0 && profile.length > 1).map((f) => f.name);
}
