import type { Config } from './config.js';
import { contextModelOf } from '../core/context/model.js';
import type { AnomalyModel } from '../core/model/types.js';
import type { Logger } from '../support/logger.js';
import { createDetector } from '../detector/detector.js';
import { createModelStore } from '../adapters/files/model-store.js';
import { forestTrainer } from '../detector/trainer.js';
import type { Detector, ModelRef } from '../detector/types.js';
import type { SharedDeviceState } from '../detector/device-state.js';

/** The detector `npm start` and the worker service run, from MODEL_* settings; `global` is the app's model holder. */
export function detectorFromConfig(
  settings: Pick<Config, 'model' | 'sensors' | 'detector' | 'silence'>,
  global: ModelRef,
  logger: Logger,
  /** Issue 11: DEVICE_STATE_REDIS_URL's store, instead of MODEL_DIR (src/app/device-state.ts). */
  shared?: SharedDeviceState,
): Detector {
  const config = settings.model;
  const features = settings.sensors.names;
  // No global model (no model file, no simulator baselines): every device must learn its own.
  const scope = global.get() === undefined ? 'device' : config.scope;
  const { retrain } = config;
  const store =
    scope === 'device' && config.dir !== undefined && shared === undefined
      ? createModelStore({ dir: config.dir, misfit: (model) => misfit(model, features), logger })
      : undefined;
  const detector = createDetector({
    scope,
    schema: settings.sensors,
    settings: settings.detector,
    silence: settings.silence,
    global,
    train: forestTrainer(config),
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
    shared,
    logger,
  });
  logger.child({ component: 'detector' }).info(
    {
      scope,
      ...(scope === 'device' ? { warmup: config.warmup, maxDevices: config.maxDevices, dir: config.dir } : {}),
      retrainEvery: retrain.everyReadings || undefined,
      retrainMinutes: retrain.everyMinutes || undefined,
    },
    'detector ready',
  );
  return detector;
}

/** Why a saved model does not fit the configured sensors, or undefined. */
export function misfit(model: AnomalyModel, sensors: readonly string[]): string | undefined {
  const context = contextModelOf(model, sensors);
  return typeof context === 'string' ? context : undefined;
}
