import type { ModelConfig } from './config.js';
import { FEATURES } from '../core/reading.js';
import type { Logger } from '../support/logger.js';
import { createDetector } from '../detector/detector.js';
import { createModelStore } from '../adapters/files/model-store.js';
import { forestTrainer } from '../detector/trainer.js';
import type { Detector, ModelRef } from '../detector/types.js';

/** The detector `npm start` and the worker service run, from MODEL_* settings; `global` is the app's model holder. */
export function detectorFromConfig(config: ModelConfig, global: ModelRef, logger: Logger): Detector {
  const { retrain } = config;
  const store =
    config.scope === 'device' && config.dir !== undefined
      ? createModelStore({ dir: config.dir, features: FEATURES, logger })
      : undefined;
  const detector = createDetector({
    scope: config.scope,
    global,
    train: forestTrainer({ ...config, features: FEATURES }),
    contamination: config.contamination,
    warmup: config.warmup,
    maxDevices: config.maxDevices,
    window: retrain.window,
    retrain: {
      everyReadings: retrain.everyReadings,
      everyMs: retrain.everyMinutes * 60_000,
      maxAnomalyShare: retrain.maxAnomalyShare,
      minRows: Math.min(retrain.window, config.sampleSize),
    },
    store,
    dims: FEATURES.length,
    logger,
  });
  logger.child({ component: 'detector' }).info(
    {
      scope: config.scope,
      ...(config.scope === 'device' ? { warmup: config.warmup, maxDevices: config.maxDevices, dir: config.dir } : {}),
      retrainEvery: retrain.everyReadings || undefined,
      retrainMinutes: retrain.everyMinutes || undefined,
    },
    'detector ready',
  );
  return detector;
}
