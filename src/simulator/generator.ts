import type { SimulatorSettings as SimulatorConfig } from './settings.js';
import { createRandom, type Random } from '../support/random.js';
import { simulatedDevices, type SimulatedDevice } from './devices.js';
import { ANOMALY_KINDS, INJECTED_MIN_DEVIATION, startFault, type AnomalyKind, type Fault } from './faults.js';
import { maxDeviation, sampleNormal, type SensorProfile, type SensorValues } from './sensor-model.js';

export { ANOMALY_KINDS, INJECTED_MIN_DEVIATION, type AnomalyKind } from './faults.js';
export { normalReadings, type SensorProfile, type SensorValues } from './sensor-model.js';
export { simulatedDevices, type SimulatedDevice } from './devices.js';

/** The JSON a simulated device publishes: `timestamp` and one number per sensor field. */
export type SensorReading = { timestamp: string } & Record<string, number | string>;

/** Ground truth for one reading the simulator made anomalous; published to TOPIC_INJECTED. */
export interface InjectedAnomaly {
  device: string;
  timestamp: string;
  kind: AnomalyKind;
}

export interface GeneratedReading {
  device: SimulatedDevice;
  reading: SensorReading;
  /** Set when the reading is part of a fault: which kind, and how far into it (0 = first reading). */
  fault?: { kind: AnomalyKind; step: number };
  /** Set when the reading counts as anomalous: a fault pushed some sensor at least INJECTED_MIN_DEVIATION spreads out. */
  injected?: InjectedAnomaly;
}

export type GeneratorOptions = Pick<SimulatorConfig, 'devices' | 'lines' | 'anomalyRate' | 'seed' | 'sensors'>;

export interface ReadingGenerator {
  readonly devices: readonly SimulatedDevice[];
  /** The next reading of device `index`, stamped `at` (epoch ms). */
  next(index: number, at: number): GeneratedReading;
}

interface DeviceState {
  random: Random;
  fault?: Fault;
  faultStep: number;
}

/**
 * Pure reading source: no clock, no I/O. Each device has its own generator
 * seeded from `seed` and its index, so a device's sequence does not depend
 * on how readings of different devices interleave.
 */
export function createGenerator(options: GeneratorOptions): ReadingGenerator {
  const devices = simulatedDevices(options.devices, options.lines);
  const states: DeviceState[] = devices.map((_, i) => ({ random: createRandom(deviceSeed(options.seed, i)), faultStep: 0 }));

  return {
    devices,
    next(index, at) {
      const device = devices[index];
      const state = states[index];
      if (device === undefined || state === undefined) throw new RangeError(`no device ${index}`);
      const timestamp = new Date(at).toISOString();
      const healthy = sampleNormal(state.random, options.sensors);

      if (state.fault === undefined && state.random.next() < options.anomalyRate) {
        state.fault = startFault(pickKind(state.random), state.random, options.sensors);
        state.faultStep = 0;
      }
      if (state.fault === undefined) return { device, reading: toReading(timestamp, healthy, options.sensors) };

      const { kind } = state.fault;
      const values = state.fault.apply(healthy);
      const result: GeneratedReading = { device, reading: toReading(timestamp, values, options.sensors), fault: { kind, step: state.faultStep } };
      if (isInjected(values, options.sensors)) result.injected = { device: device.id, timestamp, kind };
      state.faultStep += 1;
      if (state.fault.remaining === 0) state.fault = undefined;
      return result;
    },
  };
}

function isInjected(values: SensorValues, profile: SensorProfile): boolean {
  return maxDeviation(values, profile) >= INJECTED_MIN_DEVIATION;
}

function pickKind(random: Random): AnomalyKind {
  return ANOMALY_KINDS[random.int(ANOMALY_KINDS.length)]!;
}

function toReading(timestamp: string, values: SensorValues, profile: SensorProfile): SensorReading {
  const reading: SensorReading = { timestamp };
  profile.forEach((field, i) => (reading[field.name] = values[i]!));
  return reading;
}

/** Spreads device seeds over the 32-bit space (golden-ratio step) so neighbouring devices do not share streams. */
function deviceSeed(seed: number, index: number): number {
  return (seed ^ Math.imul(index + 1, 0x9e3779b9)) >>> 0;
}
