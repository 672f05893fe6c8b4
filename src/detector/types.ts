import type { Logger } from '../support/logger.js';
import type { AnomalyModel } from '../core/model/index.js';
import type { IncidentEvent } from '../core/context/incidents.js';
import type { DetectorSettings } from '../core/context/settings.js';
import type { Limits } from '../core/context/step.js';
import type { Reading } from '../core/reading.js';
import type { SensorSchema } from '../core/sensors.js';
import type { ScoredReading } from '../core/stages/score.js';
import type { ModelStore } from './model-store.js';
import type { SharedDeviceState } from './device-state.js';
import type { RetrainPolicy } from './retrain-policy.js';
import type { Trainer } from './trainer.js';

export type { Trainer };
export type ModelScope = 'global' | 'device';

/** The global model's home (the app's ModelHolder): hot reload and drift retrains both swap it here. */
export interface ModelRef {
  get(): AnomalyModel | undefined;
  set(model: AnomalyModel): void;
}

/**
 * What became of one valid reading: its result, the incident event it caused, if any, and the close of the
 * device's silence when the reading ended one (both can happen at once: a device back with a fault).
 */
export type Processed =
  | { kind: 'scored'; result: ScoredReading; incident?: IncidentEvent | undefined; resumed?: IncidentEvent | undefined }
  | { kind: 'rejected'; code: 'model_not_ready'; reason: string };

export interface DetectorOptions {
  scope: ModelScope;
  /** The sensor fields, in model order. */
  schema: SensorSchema;
  /** How readings are judged in their device's context (core/context/settings.ts). */
  settings: DetectorSettings;
  global: ModelRef;
  train: Trainer;
  /** MODEL_CONTAMINATION; retrains calibrate around it (see calibratedContamination). */
  contamination: number;
  /** MODEL_WARMUP: readings a device model is trained on. */
  warmup: number;
  /** MODEL_MAX_DEVICES: devices whose model and state are held in memory. */
  maxDevices: number;
  /** MODEL_WINDOW: recent unflagged feature rows kept per model when drift adaptation is on. */
  window: number;
  retrain: RetrainPolicy;
  /** MODEL_DIR; without it, evicted device models are dropped. */
  store?: ModelStore | undefined;
  /**
   * Issue 11: a shared store (DEVICE_STATE_REDIS_URL) instead of MODEL_DIR. Each device's model and time
   * context go there when it is evicted and at close, and come back from there (read ahead by the worker).
   */
  shared?: SharedDeviceState | undefined;
  /** Silent devices (DEVICE_SILENCE_*): undefined = not watched. */
  silence?: { factor: number; minMs: number } | undefined;
  logger: Logger;
  /** Milliseconds, for MODEL_RETRAIN_MINUTES; default Date.now. */
  now?: () => number;
}

/** Counters for /health and /metrics. */
export interface DetectorStats {
  scope: ModelScope;
  /** Devices whose model and state are held in memory. */
  devices: number;
  modelsHeld: number;
  warmingUp: number;
  /** Device models trained at the end of a warm-up. */
  deviceModelsTrained: number;
  /** Warm-ups started again because too few of their readings were usable. */
  warmupRestarts: number;
  evictions: number;
  /** Evicted device models loaded again from MODEL_DIR (or the shared store). */
  restored: number;
  /** Time contexts taken over from the shared store. */
  contextsRestored: number;
  retrains: number;
  refusedRetrains: number;
  /** Training that threw; the old model (or the warm-up) carries on. */
  trainingErrors: number;
  incidentsOpened: number;
  incidentsClosed: number;
  openIncidents: number;
  silentDevices: number;
  /** Readings whose timestamp went backwards (scored without moving event time on). */
  outOfOrder: number;
  /** Bytes of time-context state per device (typed arrays), measured on a held device. */
  stateBytesPerDevice: number;
  store?: { saved: number; saveErrors: number; loadErrors: number };
}

export interface Detector {
  /**
   * Scores one valid reading of `device` with the model and time context the detector holds for it,
   * then learns from it (warm-up, drift window). `receivedMs` is the arrival time: the event time when
   * the reading has no timestamp, and what silence is judged on. The pure stages do the computing.
   */
  process(device: string, reading: Reading, receivedMs: number): Processed;
  /** The silence scheduler: devices that fell silent by `nowMs`, as incident events to publish. */
  tick(nowMs: number): IncidentEvent[];
  /** True when the detector holds the device's model and state in memory; changes nothing. */
  holds(device: string): boolean;
  /** A device's own model if it is held in memory and ready; changes nothing (for /predict). */
  deviceModel(device: string): AnomalyModel | undefined;
  stats(): DetectorStats;
  /** With MODEL_DIR, saves every held device model and waits for all saves; idempotent. */
  close(): Promise<void>;
}

export type { Limits };
