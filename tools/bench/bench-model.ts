/** The real models and detector the phases score with: what `npm start` trains and builds, from the default settings. */
import { trainOnSimulatedReadings } from '../../src/app/model-setup.js';
import { detectorFromConfig } from '../../src/app/detector-from-config.js';
import { loadConfig, type Config } from '../../src/app/config.js';
import type { ForestModel } from '../../src/core/model/index.js';
import { createModelHolder } from '../../src/detector/model-holder.js';
import type { Detector } from '../../src/detector/index.js';
import { silentLogger } from '../../src/support/logger.js';

/** A configuration and the model `npm start` trains under it: with TIME_CONTEXT=false the forest is on raw values. */
export interface BenchSetup {
  readonly config: Config;
  readonly model: ForestModel;
}

/** `env` as the environment would give it, e.g. `{ TIME_CONTEXT: 'false' }`; the rest are the defaults. */
export function trainBenchSetup(env: Record<string, string>): BenchSetup {
  const config = loadConfig(env);
  if (config.simulator.sensors === undefined) throw new Error('the default sensors have simulator baselines');
  return { config, model: trainOnSimulatedReadings(config, config.simulator.sensors) };
}

/** A fresh detector as `npm start` builds it (global scope, its own model holder, no state yet). */
export function benchDetector(setup: BenchSetup, maxDevices?: number): Detector {
  const config = maxDevices === undefined ? setup.config : { ...setup.config, model: { ...setup.config.model, maxDevices } };
  return detectorFromConfig(config, createModelHolder(setup.model), silentLogger());
}
