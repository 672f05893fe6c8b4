import { FEATURES, toFeatures, type Reading } from '../domain/reading.js';
import type { AnomalyModel, ModelInfo } from '../model/types.js';

/** What the detector says about one reading; the `/predict` response and the stream share it. */
export interface Prediction {
  anomaly_score: number;
  is_anomaly: boolean;
  threshold: number;
  /** Only for anomalies: each sensor's share of the anomaly, summing to 1. */
  explanation?: Record<string, number>;
  /** Only for anomalies: each sensor's z-score against the training data. */
  z_scores?: Record<string, number>;
}

export interface ScoredReading {
  input_data: Reading;
  prediction: Prediction;
  model: ModelInfo;
}

/**
 * The scoring step: pure, synchronous, shared by the MQTT worker and `POST /predict`
 * so the two cannot drift apart. `scratch` lets a hot loop avoid an allocation.
 */
export function scoreReading(model: AnomalyModel, reading: Reading, scratch?: Float64Array): ScoredReading {
  const row = toFeatures(reading, scratch);
  const score = model.score(row);
  const prediction: Prediction = {
    anomaly_score: round(score),
    is_anomaly: score >= model.threshold,
    threshold: round(model.threshold),
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
