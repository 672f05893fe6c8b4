import { existsSync } from 'node:fs';
import type { ModelConfig, SimulatorConfig } from './config.js';
import { FEATURES } from '../core/reading.js';
import type { Logger } from '../support/logger.js';
import { trainModel, type ForestModel, type ModelInfo } from '../core/model/index.js';
import { loadModel, saveModel } from '../adapters/files/model-files.js';
import { normalReadings } from '../simulator/generator.js';
import type { ModelHolder } from '../detector/model-holder.js';

/** The training sample is drawn with its own seed, derived from MODEL_SEED, so it is not the live stream's. */
const TRAINING_DATA_SEED_OFFSET = 1_000_003;

/**
 * The model the worker starts with: MODEL_PATH if that file exists (a corrupt
 * file is an error, not a reason to train silently), otherwise one trained on
 * simulated normal readings, as the original service did; saved when MODEL_SAVE is on.
 */
export async function obtainModel(config: ModelConfig, simulator: SimulatorConfig, logger: Logger): Promise<ForestModel> {
  const log = logger.child({ component: 'model' });
  if (config.path !== undefined && existsSync(config.path)) {
    const model = await loadCompatibleModel(config.path);
    log.info({ path: config.path, ...model.info, threshold: model.threshold }, 'model loaded');
    return model;
  }
  const began = performance.now();
  const model = trainOnSimulatedReadings(config, simulator);
  log.info(
    { ...model.info, threshold: model.threshold, ms: Math.round(performance.now() - began) },
    'model trained on simulated normal readings',
  );
  if (config.save && config.path !== undefined) {
    await saveModel(model, config.path);
    log.info({ path: config.path }, 'model saved');
  }
  return model;
}

/** Trains the start-up model on simulated normal readings: pure and synchronous (the benchmark uses it too). */
export function trainOnSimulatedReadings(config: ModelConfig, simulator: SimulatorConfig): ForestModel {
  const rows = normalReadings(simulator, config.trainingSize, config.seed + TRAINING_DATA_SEED_OFFSET);
  return trainModel(rows, {
    engine: config.engine,
    trees: config.trees,
    sampleSize: config.sampleSize,
    seed: config.seed,
    contamination: config.contamination,
    ...(config.threshold !== undefined ? { threshold: config.threshold } : {}),
    features: FEATURES,
  });
}

/** POST /model/reload: load MODEL_PATH again and swap it in; the old model serves until the new one is complete. */
export async function reloadModel(config: ModelConfig, holder: ModelHolder, logger: Logger): Promise<ModelInfo> {
  if (config.path === undefined) throw new Error('MODEL_PATH is not set: there is no file to reload');
  const model = await loadCompatibleModel(config.path);
  holder.set(model);
  logger.child({ component: 'model' }).info({ path: config.path, ...model.info }, 'model reloaded');
  return model.info;
}

/**
 * Loads a model file the worker can score with: readings become rows in FEATURES order, so a model
 * trained on other columns (or the same ones in another order) would fail or mis-score every reading.
 */
async function loadCompatibleModel(path: string): Promise<ForestModel> {
  const model = await loadModel(path);
  const features = model.info.features.join(',');
  if (features !== FEATURES.join(',')) {
    throw new Error(`${path}: model file has features ${features}; the worker scores ${FEATURES.join(',')} (in that order)`);
  }
  return model;
}
