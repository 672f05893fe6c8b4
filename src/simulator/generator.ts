import type { SimulatorSettings } from './settings.js';
import { createRandom, type Random } from '../support/random.js';
import { simulatedDevices, type SimulatedDevice } from './devices.js';
import { resolveKinds, startFault, type Fault, type FaultEnvironment, type FaultKind } from './faults.js';
import { createFaultSchedule } from './fault-schedule.js';
import { faultId, marker, type FaultLabel, type InjectedAnomaly } from './ground-truth.js';
import { createHealthyProcess, type HealthyProcess } from './healthy.js';
import { loadings as loadingsOf } from './load.js';
import type { SensorProfile, SensorValues } from './sensor-model.js';

export { FAULT_KINDS, INJECTED_MIN_DEVIATION, type FaultKind } from './faults.js';
export { normalReadings, type SensorProfile, type SensorValues } from './sensor-model.js';
export { simulatedDevices, type SimulatedDevice } from './devices.js';
export type { InjectedAnomaly, TruthMarker } from './ground-truth.js';

/** The JSON a simulated device publishes: `timestamp` and one number per sensor field. */
export type SensorReading = { timestamp: string } & Record<string, number | string>;

export interface GeneratedReading {
  device: SimulatedDevice;
  /** The slot's simulated time. */
  timestamp: string;
  /** What the device publishes; undefined while it is silent (a dropout). */
  reading?: SensorReading;
  /** Set while a fault is in progress: its kind, id, and how far into it (0 = its first reading). */
  fault?: { kind: FaultKind; id: string; step: number };
  /** Ground truth to publish, in order, before the reading: start marker, reading marker, end marker. */
  truth: InjectedAnomaly[];
  /** The reading marker, when the reading is anomalous on its own (also in `truth`). */
  injected?: InjectedAnomaly;
}

export type GeneratorOptions = Pick<SimulatorSettings, 'devices' | 'lines' | 'anomalyRate' | 'seed' | 'sensors' | 'baseline' | 'load' | 'faults'> & {
  /** Readings per simulated second per device, to turn fault durations into readings; 1 when omitted. */
  rate?: number;
  /** Epoch ms the daily cycle counts from (the simulation's start); 0 when omitted. */
  originMs?: number;
};

export interface ReadingGenerator {
  readonly devices: readonly SimulatedDevice[];
  /** The fault kinds this generator injects. */
  readonly kinds: readonly FaultKind[];
  /** The next reading of device `index`, stamped `at` (epoch ms of simulated time, increasing per device). */
  next(index: number, at: number): GeneratedReading;
}

interface DeviceState {
  random: Random;
  healthy: HealthyProcess;
  /** No fault starts before this time (epoch ms); set at the first reading and after each fault. */
  quietUntil?: number;
  faults: number;
  fault?: { fault: Fault; label: FaultLabel; step: number };
}

/** The shared load's default time constant, when the settings give none. */
const DEFAULT_LOAD_SECONDS = 30;

/**
 * Pure reading source: no clock, no I/O. Each device has its own generator
 * seeded from `seed` and its index, so a device's sequence does not depend
 * on how readings of different devices interleave.
 */
export function createGenerator(options: GeneratorOptions): ReadingGenerator {
  const devices = simulatedDevices(options.devices, options.lines);
  const profile: SensorProfile = options.sensors;
  const { loadings, kinds } = checkGeneratorOptions(options);
  const schedule = createFaultSchedule(kinds, devices.length, options.seed);
  const gapMs = (options.faults?.gapSeconds ?? 0) * 1000;
  const loadSeconds = options.load?.seconds ?? DEFAULT_LOAD_SECONDS;
  const states: DeviceState[] = devices.map((_, i) => {
    const random = createRandom(deviceSeed(options.seed, i));
    const healthy = createHealthyProcess(random, { profile, baseline: options.baseline, loadings, loadSeconds, originMs: options.originMs ?? 0 });
    return { random, healthy, faults: 0 };
  });

  return {
    devices,
    kinds,
    next(index, at) {
      const device = devices[index];
      const state = states[index];
      if (device === undefined || state === undefined) throw new RangeError(`no device ${index}`);
      const timestamp = new Date(at).toISOString();
      const now = state.healthy.sample(at);
      state.quietUntil ??= at + gapMs;
      const truth: InjectedAnomaly[] = [];

      if (state.fault === undefined && at >= state.quietUntil && state.random.next() < options.anomalyRate) {
        const kind = schedule.kindOf(index, state.faults);
        state.faults += 1;
        const env: FaultEnvironment = { random: state.random, profile, loadings, loadSeconds, rate: options.rate ?? 1 };
        const fault = startFault(kind, env);
        const label = { device: device.id, kind, id: faultId(device.id, state.faults) };
        state.fault = { fault, label, step: 0 };
        truth.push(marker(label, timestamp, 'start', fault.sensors.map((i) => profile[i]!.name)));
      }
      if (state.fault === undefined) return { device, timestamp, reading: toReading(timestamp, now.values, profile), truth };

      const { fault, label } = state.fault;
      const step = fault.apply({ healthy: now.values, baseline: now.baseline, load: now.load, dt: now.dt });
      const result: GeneratedReading = { device, timestamp, fault: { kind: label.kind, id: label.id, step: state.fault.step }, truth };
      if (step.values !== undefined) result.reading = toReading(timestamp, step.values, profile);
      if (step.reported && step.values !== undefined) {
        result.injected = marker(label, timestamp, 'reading');
        truth.push(result.injected);
      }
      state.fault.step += 1;
      if (fault.remaining === 0) {
        truth.push(marker(label, timestamp, 'end'));
        state.fault = undefined;
        state.quietUntil = at + gapMs;
      }
      return result;
    },
  };
}

/**
 * Each sensor's loading on the shared load and the fault kinds to inject;
 * throws a SettingError for a load sensor not in the schema or a kind the
 * sensor set cannot show.
 */
export function checkGeneratorOptions(options: Pick<GeneratorOptions, 'sensors' | 'load' | 'faults'>): { loadings: number[]; kinds: FaultKind[] } {
  const loadings = loadingsOf(options.sensors, options.load);
  return { loadings, kinds: resolveKinds(options.faults?.kinds ?? 'all', loadings) };
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
