/** Drives a detector the way the worker does: choose the model, score, publish (here: return), then observe. */
import { createDetector, forestTrainer, type Detector, type DetectorOptions } from '../../../src/detector/index.js';
import type { TrainRequest } from '../../../src/detector/trainer.js';
import { loadConfig } from '../../../src/app/config.js';
import { DEFAULT_SENSORS } from '../../../src/core/sensors.js';
import { reading } from '../../helpers/readings.js';
import { silentLogger } from '../../../src/support/logger.js';
import type { AnomalyModel } from '../../../src/core/model/index.js';
import type { ScoredReading } from '../../../src/core/stages/score.js';
import { createRandom } from '../../../src/support/random.js';

export type Row = readonly [number, number, number];

const forest = forestTrainer({ engine: 'native', trees: 100, sampleSize: 256, seed: 42 });
/** The production trainer with the test's forest settings; features default to the raw sensors. */
export const testTrainer = (rows: readonly ArrayLike<number>[], request: { version: number; contamination: number; features?: readonly string[]; context?: TrainRequest['context'] }) =>
  forest(rows, { features: DEFAULT_SENSORS.names, ...request });

/** Each reading alone against the model's training envelope (TIME_CONTEXT=false): what these drift and scope tests are about. */
export const LEGACY = loadConfig({ TIME_CONTEXT: 'false' }).detector;

/** One reading through the detector, as the worker sends it: a model trained while learning scores only later readings. */
export function feed(detector: Detector, device: string, row: Row, at = 0): ScoredReading {
  const outcome = detector.process(device, reading({ temperature: row[0], humidity: row[1], sound: row[2] }), at);
  if (outcome.kind !== 'scored') throw new Error(outcome.reason);
  return outcome.result;
}

export function feedAll(detector: Detector, device: string, rows: readonly Row[]): ScoredReading[] {
  return rows.map((row) => feed(detector, device, row));
}

export const flaggedShare = (results: readonly ScoredReading[]) =>
  results.filter((r) => r.prediction.is_anomaly).length / results.length;

/** Seeded readings around a baseline: [mean, sd] per sensor. */
export function readings(n: number, seed: number, profile: readonly (readonly [number, number])[]): Row[] {
  const random = createRandom(seed);
  return Array.from({ length: n }, () => profile.map(([mean, sd]) => mean + sd * random.gaussian()) as unknown as Row);
}

/** The simulator's defaults (what the global model is trained on), a hot oven line and a cool packing line. */
export const PROFILES = {
  simulated: [[25, 1], [50, 2], [60, 2]],
  oven: [[180, 2], [20, 1], [75, 2]],
  packing: [[20, 0.5], [55, 2], [58, 2]],
} as const;

/** A controllable clock in milliseconds. */
export function manualClock(start = 0) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

export function detectorWith(global: AnomalyModel, options: Partial<DetectorOptions> = {}): Detector {
  let current = global;
  return createDetector({
    scope: 'global',
    global: { get: () => current, set: (m) => void (current = m) },
    train: testTrainer,
    contamination: 0.005,
    warmup: 256,
    maxDevices: 100,
    window: 1024,
    retrain: { everyReadings: 0, everyMs: 0, maxAnomalyShare: 0.1, minRows: 256 },
    schema: DEFAULT_SENSORS,
    settings: LEGACY,
    logger: silentLogger(),
    ...options,
  });
}
