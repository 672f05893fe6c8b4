/** Public API of the detector: which model scores a device's reading, warm-up, eviction and drift adaptation. */
export type { Detector, DetectorOptions, DetectorStats, ModelRef, ModelScope, Trainer } from './types.js';
export { createDetector } from './detector.js';
export { detectorFromConfig } from './from-config.js';
export { forestTrainer, type TrainerParams } from './trainer.js';
export { createModelStore, modelFileName, type ModelStore, type ModelStoreStats } from './model-store.js';
export { calibratedContamination, retrainDecision, type RetrainPolicy } from './retrain-policy.js';
