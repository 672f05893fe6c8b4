import { FEATURES, toFeatures, type Reading } from '../reading.js';
import type { AnomalyModel, ModelInfo } from '../model/types.js';
import { decide } from './decide.js';

/** What the detector says about one reading; the `/predict` response and the stream share it. */
export interface Prediction {
  anomaly_score: number;
  is_anomaly: boolean;
  threshold: number;
  /** The Isolation Forest's own score; anomaly_score also reflects the z-limit guard (see decide.ts). */
  isolation_score: number;
  /** Only for anomalies: each sensor's share of the anomaly, summing to 1. */
  explanation?: Record<string, number>;
  /** Only for anomalies: each sensor's z-score against the training data. */
  z_scores?: Record<string, number>;
  /**
   * Stream results only: `ready` when the reading was scored by the model meant
   * for it, `warming_up` while its device's own model is still collecting
   * readings (MODEL_SCOPE=device) and the global model scored it instead.
   */
  status?: ModelStatus;
}

export type ModelStatus = 'ready' | 'warming_up';

export interface ScoredReading {
  input_data: Reading;
  prediction: Prediction;
  model: ModelInfo;
}

/** Default of MODEL_Z_LIMIT: normal data passes 4.5 sd on one of three sensors about twice in 100,000 readings. */
export const DEFAULT_Z_LIMIT = 4.5;

/**
 * The scoring step: pure, synchronous, shared by the MQTT worker and `POST /predict`
 * so the two cannot drift apart. `scratch` lets a hot loop avoid an allocation.
 */
export function scoreReading(
  model: AnomalyModel,
  reading: Reading,
  scratch?: Float64Array,
  zLimit: number = DEFAULT_Z_LIMIT,
): ScoredReading {
  const row = toFeatures(reading, scratch);
  const isolation = model.score(row);
  const decision = decide(isolation, row, model.stats, model.threshold, zLimit);
  const prediction: Prediction = {
    anomaly_score: round(decision.score),
    is_anomaly: decision.isAnomaly,
    threshold: round(model.threshold),
    isolation_score: round(isolation),
  };
  if (prediction.is_anomaly) {
    const { contributions, zScores } = model.explain(row);
    prediction.explanation = roundAll(contributions);
    prediction.z_scores = roundAll(zScores);
  }
  return { input_data: reading, prediction, model: model.info };
}

export { FEATURES };

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

function roundAll(values: Readonly<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(values)) out[key] = round(value);
  return out;
}
