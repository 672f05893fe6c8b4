/**
 * Trains a model from a CSV of readings and saves it:
 * `npm run -s train -- --data readings.csv --out models/default.json [options]`.
 * Defaults come from the MODEL_* settings (environment, else their defaults);
 * flags override them. Prints a summary, then one JSON line.
 */
import { parseArgs } from 'node:util';
import type { z } from 'zod';
import { ConfigError, envSchema, loadConfig, parseEnv } from '../config.js';
import { fitContextModel } from '../../core/context/model.js';
import type { DetectorSettings } from '../../core/context/settings.js';
import { parseTimeCell } from '../../adapters/files/recorded.js';
import type { CsvTable } from '../../adapters/files/csv.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError } from '../exit-codes.js';
import type { Command } from './command.js';
import { resolveSensors } from '../sensor-config.js';
import type { SensorSchema } from '../../core/sensors.js';
import { ENGINES, trainModel, type EngineName } from '../../core/model/index.js';
import { numericColumns } from '../../adapters/files/csv.js';
import { readCsvFile } from '../../adapters/files/csv-file.js';
import { saveModel } from '../../adapters/files/model-files.js';
import { createProgress } from '../../support/progress.js';
import { progressEnabled } from '../progress-mode.js';

const DEFAULTS = parseEnv({});
const USAGE = `Usage: factory-anomaly train --data <readings.csv> --out <model.json> [options]

  --data <file>            CSV with a header row (required)
  --out <file>             where to write the model JSON (required)
  --features <a,b,c>       feature columns, in order (default: the configured sensors, SENSORS / SENSOR_SCHEMA)
  --engine <name>          native | ml-isolation-forest (default MODEL_ENGINE or native)
  --trees <n>              number of trees (default MODEL_TREES or ${DEFAULTS.MODEL_TREES})
  --sample <n>             subsample size ψ (default MODEL_SAMPLE_SIZE or ${DEFAULTS.MODEL_SAMPLE_SIZE})
  --seed <n>               random seed (default MODEL_SEED or ${DEFAULTS.MODEL_SEED})
  --contamination <x>      expected anomaly share, sets the threshold (default MODEL_CONTAMINATION or ${DEFAULTS.MODEL_CONTAMINATION})
  --threshold <x>          fixed score threshold in (0, 1); overrides --contamination (default MODEL_THRESHOLD)
  --time-column <name>     each row's time (the readings are learnt in time order; default one second apart)
  --delimiter <c>          column separator (default , or ; when the header has only semicolons)
  --help                   show this help`;


type ModelKey = 'MODEL_ENGINE' | 'MODEL_TREES' | 'MODEL_SAMPLE_SIZE' | 'MODEL_SEED' | 'MODEL_CONTAMINATION' | 'MODEL_THRESHOLD';

/** A flag, else the environment variable, validated by that setting's schema in src/app/config.ts. */
function setting<K extends ModelKey>(key: K, flag: string, value: string | undefined): z.output<(typeof envSchema.shape)[K]> {
  const given = value ?? (process.env[key]?.trim() || undefined);
  const result = envSchema.shape[key].safeParse(given);
  if (!result.success) {
    const from = value === undefined ? key : `--${flag}`;
    throw new UsageError(`${from}: ${result.error.issues.map((i) => i.message).join('; ')} (got ${JSON.stringify(given)})`);
  }
  return result.data as z.output<(typeof envSchema.shape)[K]>;
}

/** The sensors the worker will score (SENSORS, SENSOR_SCHEMA), so a model trained here is one it accepts. */
function configuredSensors(): SensorSchema {
  const env = process.env;
  const resolved = resolveSensors(env.SENSORS?.trim() || 'temperature,humidity,sound', env.SENSOR_SCHEMA?.trim() || undefined);
  if (!resolved.ok) throw new UsageError(resolved.problems.join('; '));
  return resolved.schema;
}

async function main(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      data: { type: 'string' },
      out: { type: 'string' },
      features: { type: 'string' },
      engine: { type: 'string' },
      trees: { type: 'string' },
      sample: { type: 'string' },
      seed: { type: 'string' },
      contamination: { type: 'string' },
      threshold: { type: 'string' },
      'time-column': { type: 'string' },
      delimiter: { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (values.data === undefined) throw new UsageError('--data is required');
  if (values.out === undefined) throw new UsageError('--out is required');
  const engine: EngineName = setting('MODEL_ENGINE', 'engine', values.engine);
  if (!ENGINES.includes(engine)) throw new UsageError(`--engine must be ${ENGINES.join(' or ')}`);
  const schema = configuredSensors();
  const features = (values.features ?? schema.names.join(',')).split(',').map((f) => f.trim());
  if (features.some((f) => f === '')) throw new UsageError(`--features must be comma-separated names, got ${JSON.stringify(values.features)}`);
  const options = {
    engine,
    features,
    trees: setting('MODEL_TREES', 'trees', values.trees),
    sampleSize: setting('MODEL_SAMPLE_SIZE', 'sample', values.sample),
    seed: setting('MODEL_SEED', 'seed', values.seed),
    contamination: setting('MODEL_CONTAMINATION', 'contamination', values.contamination),
    threshold: setting('MODEL_THRESHOLD', 'threshold', values.threshold),
  };

  // On a terminal, a live line while a big CSV is read and the forest trained; nothing in a pipe or CI.
  const reading = `reading ${values.data}`;
  const progress = createProgress({ stream: process.stderr, enabled: progressEnabled(process.stderr), label: reading, unit: 'bytes' });
  let sized = false;
  const table = await readCsvFile(values.data, { delimiter: values.delimiter, onProgress: (read, total) => {
    if (!sized) progress.phase(reading, total, 'bytes');
    sized = true;
    progress.update(read);
  } });
  const rows = numericColumns(table, features);
  const times = timesOf(table, values['time-column']);
  progress.phase(`training on ${rows.length} rows`);
  const started = performance.now();
  // The rows in order, through the same time-context stage the worker runs (TIME_CONTEXT and the other
  // detector settings of the environment), so the model's features are the ones the worker computes.
  const detector = detectorSettingsFromEnv();
  // A sensor's declared kind (SENSOR_SCHEMA) counts when it is one of the configured fields.
  const declared = new Map(schema.fields.map((f) => [f.name, f.kind ?? 'auto'] as const));
  const model = fitContextModel(rows, times, {
    settings: detector,
    sensors: features,
    kinds: features.map((f) => declared.get(f) ?? 'auto'),
    limits: { min: new Float64Array(features.length).fill(-Infinity), max: new Float64Array(features.length).fill(Infinity) },
    train: (featureRows, names, context) => trainModel(featureRows, { ...options, sampleSize: Math.min(options.sampleSize, featureRows.length), features: names, context }),
  });
  const trainMs = performance.now() - started;
  progress.phase(`saving ${values.out}`);
  await saveModel(model, values.out);
  progress.finish();

  const { info } = model;
  console.log(`trained ${info.id} (${info.engine}) on ${rows.length} readings of ${features.join(', ')} (${info.trainingSize} feature rows: ${info.features.join(', ')}) in ${trainMs.toFixed(1)} ms`);
  console.log(`${info.trees} trees, ψ = ${Math.min(info.sampleSize, info.trainingSize)}, seed ${info.seed}`);
  const how = model.contamination === undefined ? 'fixed' : `contamination ${model.contamination}`;
  console.log(`threshold ${model.threshold.toFixed(4)} (${how})`);
  console.log(`saved to ${values.out}`);
  console.log(
    JSON.stringify({
      out: values.out,
      id: info.id,
      engine: info.engine,
      trees: info.trees,
      sampleSize: info.sampleSize,
      seed: info.seed,
      features: info.features,
      readings: rows.length,
      trainingSize: info.trainingSize,
      threshold: model.threshold,
      contamination: model.contamination ?? null,
      train_ms: Number(trainMs.toFixed(2)),
    }),
  );
}

/** Each row's event time from `column` (ISO text, `YYYY-MM-DD hh:mm:ss`, epoch ms), or one second apart. */
function timesOf(table: CsvTable, column: string | undefined): number[] {
  if (column === undefined) return table.rows.map((_, i) => i * 1000);
  const index = table.header.indexOf(column);
  if (index < 0) throw new UsageError(`--time-column ${JSON.stringify(column)} is not a column of ${table.source} (columns: ${table.header.join(', ')})`);
  return table.rows.map((row) => {
    const t = parseTimeCell(row.cells[index]!);
    if (t === undefined) throw new Error(`${table.source}: line ${row.line}: ${JSON.stringify(row.cells[index])} is not a time`);
    return t;
  });
}

/** The detector settings the worker would run with (TIME_CONTEXT, FOREST_SHINGLE, ...), from the environment. */
function detectorSettingsFromEnv(): DetectorSettings {
  try {
    return loadConfig(process.env).detector;
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(err.message);
    throw err;
  }
}

export const train: Command = {
  summary: 'Trains a model from a CSV of readings and saves it (a model file for MODEL_PATH).',
  async run(argv) {
    try {
      await main(argv);
      return EXIT_OK;
    } catch (err) {
      const usage = err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
      console.error(`train: ${(err as Error).message}${usage ? '\n\n' + USAGE : ''}`);
      return usage ? EXIT_USAGE : EXIT_FAILURE;
    }
  },
};
