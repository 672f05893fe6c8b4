/** Public API of the detector: which model scores a device's reading, warm-up, eviction and drift adaptation. */
export type { Detector, DetectorOptions, DetectorStats, ModelRef, ModelScope, Trainer } from './types.js';
export { createDetector } from './detector.js';
export { forestTrainer, type TrainerParams } from './trainer.js';
export type { ModelStore, ModelStoreStats } from './model-store.js';
export { calibratedContamination, retrainDecision, type RetrainPolicy } from './retrain-policy.js';
