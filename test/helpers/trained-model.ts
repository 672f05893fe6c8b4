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
