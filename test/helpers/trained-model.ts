import { obtainModel } from '../../src/app/model-setup.js';
import { loadConfig } from '../../src/app/config.js';
import { silentLogger } from '../../src/support/logger.js';
import type { ForestModel } from '../../src/core/model/index.js';

/** The model `npm start` trains with the default settings: the real Isolation Forest, not a stand-in. */
export async function trainedModel(env: Record<string, string> = {}): Promise<ForestModel> {
  const model = await obtainModel(loadConfig(env), silentLogger());
  if (model === undefined) throw new Error('the default sensors have simulator baselines, so a model is trained');
  return model;
}

/**
 * The simulator without its moving baselines (no warm-up, daily cycle or shared load): independent readings
 * around the default baselines, as the detector tests' `PROFILES.simulated` rows are. Tests of mechanisms
 * (retraining, reloads) train the start-up model this way so its normal is their rows' normal.
 */
export const FLAT_SIMULATOR = { SIMULATOR_WARMUP_SECONDS: '0', SIMULATOR_DAILY_AMPLITUDE: '0', SIMULATOR_LOAD_SENSORS: 'none' } as const;
