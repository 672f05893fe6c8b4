import type { Reading } from '../reading.js';
import { outOfRange, type SensorSchema } from '../sensors.js';
import type { ModelInfo } from '../model/types.js';
import { CHECK_INDEX, CHECKS } from '../context/checks.js';
import type { ContextModel, StepResult } from '../context/step.js';

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
  /** Only for anomalies: the calibrated score of each check that spoke (see core/context/checks.ts). */
  checks?: Record<string, number>;
  /** The device's open incident, when there is one (see factory/incidents). */
  incident_id?: string;
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

/** What a reading in context says, beside the result itself: which checks spoke, for the incident and the logs. */
export interface ContextPredictionInput {
  readonly step: StepResult;
  readonly model: ContextModel;
  readonly info: ModelInfo;
  readonly schema: SensorSchema;
  readonly threshold: number;
  readonly status: ModelStatus;
  /** The device's open incident, if any, after this reading. */
  readonly incidentId: string | undefined;
}

/**
 * The prediction of a reading judged in its device's context (core/context):
 * the calibrated score and verdict, the forest's own score, and for anomalies
 * which sensors and checks drove it.
 */
export function contextPrediction(reading: Reading, p: ContextPredictionInput): ScoredReading {
  const { step, schema } = p;
  const prediction: Prediction = {
    anomaly_score: round(step.score),
    is_anomaly: step.decision,
    threshold: round(p.threshold),
    isolation_score: round(step.isolation),
    status: p.status,
  };
  if (step.decision) {
    prediction.explanation = roundAll(sensorShares(step, schema));
    const z: Record<string, number> = {};
    schema.fields.forEach((f, j) => (z[f.name] = round(step.z[j]!)));
    prediction.z_scores = z;
    const checks: Record<string, number> = {};
    CHECKS.forEach((c, i) => {
      if (step.checks[i]! > 0) checks[c] = round(step.checks[i]!);
    });
    prediction.checks = checks;
  }
  schema.fields.forEach((f, j) => {
    if (step.missing[j]) (prediction.missing ??= []).push(f.name);
    if (step.checks[CHECK_INDEX.sensor_fault]! > 0 && outOfRange(f, reading.values[j]!)) {
      (prediction.sensor_faults ??= {})[f.name] = f.min !== undefined && reading.values[j]! < f.min ? 'below_min' : 'above_max';
    }
  });
  if (p.incidentId !== undefined) prediction.incident_id = p.incidentId;
  return { input_data: reading.input, prediction, model: p.info };
}

/** Each sensor's share of the anomaly: its calibrated evidence (the forest's attribution when only the forest spoke). */
function sensorShares(step: StepResult, schema: SensorSchema): Record<string, number> {
  let total = 0;
  for (const v of step.bySensor) total += v;
  const shares: Record<string, number> = {};
  schema.fields.forEach((f, j) => (shares[f.name] = total > 0 ? step.bySensor[j]! / total : 1 / schema.fields.length));
  return shares;
}
