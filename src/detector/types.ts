import type { Logger } from '../support/logger.js';
import type { AnomalyModel, ForestModel } from '../core/model/index.js';
import type { ModelChoice } from '../core/stages/process-message.js';
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

export interface DetectorOptions {
  scope: ModelScope;
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
  dims: number;
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
