/**
 * A SKAB-like water pump for the custom-schema tests: 8 sensors with the
 * benchmark's names (one with a space inside), seeded readings at a steady
 * interval, an optional fault, and the files a user would have: SKAB's CSV
 * (`;`, a datetime column, labels) and a model trained for these sensors.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../src/app/config.js';
import { fitContextModel } from '../../src/core/context/model.js';
import type { ForestModel } from '../../src/core/model/index.js';
import { forestTrainer } from '../../src/detector/trainer.js';
import { limitsOf } from '../../src/detector/limits.js';
import { saveModel } from '../../src/adapters/files/model-files.js';
import { createRandom } from '../../src/support/random.js';

/** The SENSORS order the worker runs with (not the order of SKAB's columns). */
export const PUMP_SENSORS = ['Accelerometer1RMS', 'Current', 'Pressure', 'Temperature', 'Thermocouple', 'Voltage', 'Volume Flow RateRMS', 'Accelerometer2RMS'];
export const PUMP_ENV = { SENSORS: PUMP_SENSORS.join(',') };
/** SKAB's own column order. */
const SKAB_COLUMNS = ['Accelerometer1RMS', 'Accelerometer2RMS', 'Current', 'Pressure', 'Temperature', 'Thermocouple', 'Voltage', 'Volume Flow RateRMS'];
const BASE = [0.21, 2.0, 0.25, 70, 25, 230, 32, 0.27];
const SD = [0.005, 0.1, 0.02, 0.3, 0.1, 2, 0.5, 0.006];
export const PRESSURE = PUMP_SENSORS.indexOf('Pressure');
export const FLOW = PUMP_SENSORS.indexOf('Volume Flow RateRMS');
/** 2024-01-02T00:00:00Z: recorded time, long before the tests run. */
export const PUMP_START = Date.UTC(2024, 0, 2);

export interface PumpRow {
  /** Event time, epoch ms. */
  readonly t: number;
  /** In PUMP_SENSORS order. */
  readonly values: number[];
  /** Ground truth: inside the fault. */
  readonly anomaly: boolean;
}

export interface PumpOptions {
  seed: number;
  start?: number;
  intervalMs?: number;
  /** Rows [from, to) have Pressure and the flow `sd` standard deviations off (a half-closed valve). */
  fault?: { from: number; to: number; sd: number };
}

export function pumpRows(n: number, options: PumpOptions): PumpRow[] {
  const random = createRandom(options.seed);
  const { fault } = options;
  return Array.from({ length: n }, (_, i) => {
    const anomaly = fault !== undefined && i >= fault.from && i < fault.to;
    const values = BASE.map((base, j) => base + SD[j]! * (random.gaussian() + (anomaly && (j === PRESSURE || j === FLOW) ? fault.sd : 0)));
    return { t: (options.start ?? PUMP_START) + i * (options.intervalMs ?? 1000), values, anomaly };
  });
}

/** The JSON a pump publishes: its values by name, and its recorded time. */
export function pumpReading(row: Pick<PumpRow, 't' | 'values'>): Record<string, unknown> {
  const reading: Record<string, unknown> = { timestamp: new Date(row.t).toISOString() };
  PUMP_SENSORS.forEach((name, j) => (reading[name] = row.values[j]));
  return reading;
}

/** SKAB's file layout: `;`, `datetime` as `YYYY-MM-DD hh:mm:ss` (whole seconds), SKAB's column order, then `anomaly;changepoint`. */
export function skabCsv(rows: readonly PumpRow[]): string {
  const header = ['datetime', ...SKAB_COLUMNS, 'anomaly', 'changepoint'].join(';');
  const lines = rows.map((row, i) => {
    const time = new Date(row.t).toISOString().slice(0, 19).replace('T', ' ');
    const cells = SKAB_COLUMNS.map((name) => String(row.values[PUMP_SENSORS.indexOf(name)]));
    const changepoint = row.anomaly && !rows[i - 1]?.anomaly ? '1.0' : '0.0';
    return [time, ...cells, row.anomaly ? '1.0' : '0.0', changepoint].join(';');
  });
  return `${header}\n${lines.join('\n')}\n`;
}

export function writeSkabCsv(dir: string, name: string, rows: readonly PumpRow[]): string {
  const file = join(dir, name);
  writeFileSync(file, skabCsv(rows));
  return file;
}

/**
 * A model for the pump trained in process, as `train` would from these rows: the time-context stage of the
 * detector settings in `env` (merged over PUMP_ENV), so the worker started with the same `env` accepts it.
 */
export function trainPumpModel(rows: readonly PumpRow[], env: Record<string, string> = {}): ForestModel {
  const config = loadConfig({ ...PUMP_ENV, ...env });
  return fitContextModel(
    rows.map((r) => r.values),
    rows.map((r) => r.t),
    {
      settings: config.detector,
      sensors: config.sensors.names,
      limits: limitsOf(config.sensors),
      train: (featureRows, features, context) => forestTrainer(config.model)(featureRows, { version: 1, contamination: config.model.contamination, features, context }),
    },
  );
}

/** trainPumpModel, saved as `<dir>/pump-model.json`; resolves with the path. */
export async function savePumpModel(dir: string, rows: readonly PumpRow[], env: Record<string, string> = {}): Promise<string> {
  const path = join(dir, 'pump-model.json');
  await saveModel(trainPumpModel(rows, env), path);
  return path;
}
