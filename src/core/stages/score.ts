import type { Reading } from '../reading.js';
import { outOfRange, type SensorSchema } from '../sensors.js';
import type { AnomalyModel, ModelInfo } from '../model/types.js';
import { decide } from './decide.js';

/** What the detector says about one reading; the `/predict` response and the stream share it. */
export interface Prediction {
  anomaly_score: number;
  is_anomaly: boolean;
  threshold: number;
  /** The Isolation Forest's own score; anomaly_score also reflects the per-sensor checks. */
  isolation_score: number;
  /** Only for anomalies: each sensor's share of the anomaly, summing to 1. */
  explanation?: Record<string, number>;
  /** Only for anomalies: each sensor's z-score against the training data. */
  z_scores?: Record<string, number>;
  /** Sensors reading outside their physical range (SENSOR_SCHEMA min/max): a sensor fault, scored as an anomaly. */
  sensor_faults?: Record<string, 'below_min' | 'above_max'>;
  /** Optional sensors missing from the reading, filled in before scoring (see reading.ts). */
  missing?: string[];
  /**
   * Stream results only: `ready` when the reading was scored by the model meant
   * for it, `warming_up` while its device's own model is still collecting
   * readings (MODEL_SCOPE=device) and the global model scored it instead.
   */
  status?: ModelStatus;
}

export type ModelStatus = 'ready' | 'warming_up';

export interface ScoredReading {
  input_data: Record<string, unknown>;
  prediction: Prediction;
  /** The model that scored the reading; null while a device warms up with no model to score it yet. */
  model: ModelInfo | null;
}

/** Default of MODEL_Z_LIMIT: normal data passes 4.5 sd on one of three sensors about twice in 100,000 readings. */
export const DEFAULT_Z_LIMIT = 4.5;

export interface ScoreOptions {
  readonly schema: SensorSchema;
  readonly zLimit?: number;
  /** Reused feature row, so a hot loop does not allocate one per reading. */
  readonly scratch?: Float64Array;
}

/**
 * The scoring step: pure, synchronous, shared by the MQTT worker, `POST /predict`,
 * replay and evaluation, so they cannot drift apart.
 */
export function scoreReading(model: AnomalyModel, reading: Reading, options: ScoreOptions): ScoredReading {
  const { schema } = options;
  const dims = schema.fields.length;
  const row = options.scratch !== undefined && options.scratch.length === dims ? options.scratch : new Float64Array(dims);
  let missing: string[] | undefined;
  let faults: Record<string, 'below_min' | 'above_max'> | undefined;
  for (let j = 0; j < dims; j++) {
    const value = reading.values[j]!;
    const field = schema.fields[j]!;
    if (Number.isNaN(value)) {
      row[j] = model.stats[j]!.median;
      (missing ??= []).push(field.name);
      continue;
    }
    row[j] = value;
    if (outOfRange(field, value)) (faults ??= {})[field.name] = field.min !== undefined && value < field.min ? 'below_min' : 'above_max';
  }
  const isolation = model.score(row);
  const decision = decide(isolation, row, model.stats, model.threshold, options.zLimit ?? DEFAULT_Z_LIMIT);
  // A reading outside the physical range is a sensor fault whatever the forest thinks of it.
  const score = faults === undefined ? decision.score : Math.max(decision.score, model.threshold + (1 - model.threshold) / 2);
  const prediction: Prediction = {
    anomaly_score: round(score),
    is_anomaly: score >= model.threshold,
    threshold: round(model.threshold),
    isolation_score: round(isolation),
  };
  if (prediction.is_anomaly) {
    const { contributions, zScores } = model.explain(row);
    prediction.explanation = roundAll(contributions);
    prediction.z_scores = roundAll(zScores);
  }
  if (faults !== undefined) prediction.sensor_faults = faults;
  if (missing !== undefined) prediction.missing = missing;
  return { input_data: reading.input, prediction, model: model.info };
}

export function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

function roundAll(values: Readonly<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(values)) out[key] = round(value);
  return out;
}

/**
 * A device warming up with no model at all (no model file, no global model): the reading is judged
 * only against its sensors' physical ranges until the device's own model is trained.
 */
export function warmingUp(reading: Reading, schema: SensorSchema): ScoredReading {
  const prediction: Prediction = { anomaly_score: 0, is_anomaly: false, threshold: 1, isolation_score: 0, status: 'warming_up' };
  schema.fields.forEach((field, j) => {
    const value = reading.values[j]!;
    if (Number.isNaN(value)) (prediction.missing ??= []).push(field.name);
    else if (outOfRange(field, value)) (prediction.sensor_faults ??= {})[field.name] = field.min !== undefined && value < field.min ? 'below_min' : 'above_max';
  });
  if (prediction.sensor_faults !== undefined) {
    prediction.anomaly_score = 1;
    prediction.is_anomaly = true;
  }
  return { input_data: reading.input, prediction, model: null };
}
