import type { Logger } from '../support/logger.js';
import type { AnomalyModel, ForestModel } from '../core/model/index.js';
import type { Reading } from '../core/reading.js';
import type { SensorSchema } from '../core/sensors.js';
import type { ModelStatus, ScoredReading } from '../core/stages/score.js';
import type { ModelStore } from './model-store.js';
import type { RetrainPolicy } from './retrain-policy.js';

export type ModelScope = 'global' | 'device';

/** Trains a model on rows in FEATURES order; the detector picks the version and the contamination. */
export type Trainer = (rows: readonly ArrayLike<number>[], options: { version: number; contamination: number }) => ForestModel;

/** The global model's home (the app's ModelHolder): hot reload and drift retrains both swap it here. */
export interface ModelRef {
  get(): AnomalyModel | undefined;
  set(model: AnomalyModel): void;
}

/** The model to score a device's reading with, and whether it is the device's own yet. */
export interface ModelChoice {
  readonly model: AnomalyModel | undefined;
  readonly status: ModelStatus;
}

/** What became of one valid reading. */
export type Processed = { kind: 'scored'; result: ScoredReading } | { kind: 'rejected'; code: 'model_not_ready'; reason: string };

export interface DetectorOptions {
  scope: ModelScope;
  /** The sensor fields, in model order. */
  schema: SensorSchema;
  /** MODEL_Z_LIMIT (see core/stages/decide.ts). */
  zLimit?: number;
  global: ModelRef;
  train: Trainer;
  /** MODEL_CONTAMINATION; retrains calibrate around it (see calibratedContamination). */
  contamination: number;
  /** MODEL_WARMUP: readings a device model is trained on. */
  warmup: number;
  /** MODEL_MAX_DEVICES. */
  maxDevices: number;
  /** MODEL_WINDOW: recent unflagged readings kept per model when drift adaptation is on. */
  window: number;
  retrain: RetrainPolicy;
  /** MODEL_DIR; without it, evicted device models are dropped. */
  store?: ModelStore | undefined;
  logger: Logger;
  /** Milliseconds, for MODEL_RETRAIN_MINUTES; default Date.now. */
  now?: () => number;
}

/** Counters for /health. */
export interface DetectorStats {
  scope: ModelScope;
  modelsHeld: number;
  warmingUp: number;
  /** Device models trained at the end of a warm-up. */
  deviceModelsTrained: number;
  /** Warm-ups started again because too few of their readings were usable. */
  warmupRestarts: number;
  evictions: number;
  /** Evicted device models loaded again from MODEL_DIR. */
  restored: number;
  retrains: number;
  refusedRetrains: number;
  /** Training that threw; the old model (or the warm-up) carries on. */
  trainingErrors: number;
  store?: { saved: number; saveErrors: number; loadErrors: number };
}

export interface Detector {
  /**
   * Scores one valid reading of `device` with the model and state the detector holds for it, then
   * learns from it (warm-up, drift window). The pure stages do the computing; this owns the state.
   */
  process(device: string, reading: Reading): Processed;
  /** A device's own model if it is held in memory and ready; changes nothing (for /predict). */
  deviceModel(device: string): AnomalyModel | undefined;
  /** The model for a device's next reading; in device scope this marks the device as recently used. */
  modelFor(device: string): ModelChoice;
  /**
   * What the model chosen by modelFor made of the reading, called after it was
   * scored: feeds warm-up and drift adaptation, and may train a model, which
   * then scores only later readings.
   */
  observe(device: string, row: ArrayLike<number>, isAnomaly: boolean): void;
  stats(): DetectorStats;
  /** With MODEL_DIR, saves every held device model and waits for all saves; idempotent. */
  close(): Promise<void>;
}
