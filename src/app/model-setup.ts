import { existsSync } from 'node:fs';
import type { Config } from './config.js';
import { kindsOf, type SensorSchema } from '../core/sensors.js';
import type { Logger } from '../support/logger.js';
import { SettingError } from '../support/setting-error.js';
import type { ForestModel, ModelInfo } from '../core/model/index.js';
import { contextModelOf, fitContextModel } from '../core/context/model.js';
import { limitsOf } from '../detector/limits.js';
import { forestTrainer } from '../detector/trainer.js';
import { createGenerator } from '../simulator/generator.js';
import { loadModel, saveModel } from '../adapters/files/model-files.js';
import type { SensorProfile } from '../simulator/sensor-model.js';
import type { ModelHolder } from '../detector/model-holder.js';

/** The training sample is drawn with its own seed, derived from MODEL_SEED, so it is not the live stream's. */
const TRAINING_DATA_SEED_OFFSET = 1_000_003;

/**
 * The global model the worker starts with: MODEL_PATH if that file exists (a
 * corrupt or mismatched file is an error, not a reason to train silently);
 * otherwise one trained on simulated normal readings, as the original service
 * did, when the simulator knows a baseline for every sensor; saved when
 * MODEL_SAVE is on. Without either there is no global model: each device
 * learns from its own first readings (device scope), and the log says so.
 */
export async function obtainModel(config: Pick<Config, 'model' | 'sensors' | 'simulator' | 'detector'>, logger: Logger): Promise<ForestModel | undefined> {
  const log = logger.child({ component: 'model' });
  const { model: settings, sensors, simulator } = config;
  if (settings.path !== undefined && existsSync(settings.path)) {
    const model = await loadCompatibleModel(settings.path, sensors);
    log.info({ path: settings.path, ...model.info, threshold: model.threshold }, 'model loaded');
    return model;
  }
  if (simulator.sensors === undefined) {
    log.info(
      { sensors: sensors.names, withoutBaseline: simulator.missing, warmup: settings.warmup },
      'no model file and no simulator baseline for every sensor: each device learns from its own first readings (device scope)',
    );
    return undefined;
  }
  const began = performance.now();
  const model = trainOnSimulatedReadings(config, simulator.sensors);
  log.info({ ...model.info, readings: settings.trainingSize, threshold: model.threshold, ms: Math.round(performance.now() - began) }, 'model trained on simulated normal readings');
  if (settings.save && settings.path !== undefined) {
    await saveModel(model, settings.path);
    log.info({ path: settings.path }, 'model saved');
  }
  return model;
}

/**
 * Trains the start-up model on simulated normal readings: one simulated device's healthy sequence (with the
 * simulator's baselines and load), one reading a second, through the same time-context stage the stream runs. Pure and synchronous (the
 * benchmark uses it too).
 */
export function trainOnSimulatedReadings(config: Pick<Config, 'model' | 'sensors' | 'detector' | 'simulator'>, profile: SensorProfile): ForestModel {
  const { model } = config;
  // The simulation's own healthy behaviour (warm-up, daily cycle, shared load): a model of flat noise would
  // take the live devices' moving baselines for faults.
  const { baseline, load } = config.simulator;
  const generator = createGenerator({ devices: 1, lines: 1, anomalyRate: 0, seed: model.seed + TRAINING_DATA_SEED_OFFSET, sensors: profile, baseline, load });
  const rows: number[][] = [];
  const times: number[] = [];
  for (let i = 0; i < model.trainingSize; i++) {
    const t = SIMULATED_START + i * 1000;
    // No faults (anomaly rate 0), so no dropout: every slot has a reading.
    const reading = generator.next(0, t).reading!;
    rows.push(profile.map((f) => reading[f.name] as number));
    times.push(t);
  }
  return fitContextModel(rows, times, {
    settings: config.detector,
    kinds: kindsOf(config.sensors),
    sensors: config.sensors.names,
    limits: limitsOf(config.sensors),
    train: (featureRows, features, context) => forestTrainer(model)(featureRows, { version: 1, contamination: model.contamination, features, context }),
  });
}

/** Simulated training readings are stamped from here, one second apart. */
const SIMULATED_START = Date.UTC(2024, 0, 1);

/** POST /model/reload: load MODEL_PATH again and swap it in; the old model serves until the new one is complete. */
export async function reloadModel(config: Pick<Config, 'model' | 'sensors'>, holder: ModelHolder, logger: Logger): Promise<ModelInfo> {
  if (config.model.path === undefined) throw new Error('MODEL_PATH is not set: there is no file to reload');
  const model = await loadCompatibleModel(config.model.path, config.sensors);
  holder.set(model);
  logger.child({ component: 'model' }).info({ path: config.model.path, ...model.info }, 'model reloaded');
  return model.info;
}

/**
 * Loads a model file the worker can score with: readings become rows in schema order, so a model
 * trained on other columns (or the same ones in another order) would fail or mis-score every reading.
 */
export async function loadCompatibleModel(path: string, sensors: SensorSchema): Promise<ForestModel> {
  let model: ForestModel;
  try {
    model = await loadModel(path);
  } catch (err) {
    throw new SettingError('model_file', 'model.path', (err as Error).message, { cause: err });
  }
  const fits = contextModelOf(model, sensors.names);
  if (typeof fits === 'string') {
    throw new SettingError(
      'model_mismatch',
      'model.path',
      `${path}: the model file has features ${model.info.features.join(',')}; the sensors configured are ${sensors.names.join(',')} (${fits}). ` +
        'Train a model on these sensors (train --data), or set {sensors.fields} to the model\'s',
    );
  }
  return model;
}
