/** The real model the load phases score with: the one `npm start` trains, with the default settings. */
import { trainOnSimulatedReadings } from '../../src/app/model-setup.js';
import { loadConfig } from '../../src/app/config.js';
import type { ForestModel } from '../../src/core/model/index.js';

export function trainBenchModel(): ForestModel {
  const config = loadConfig({});
  if (config.simulator.sensors === undefined) throw new Error('the default sensors have simulator baselines');
  return trainOnSimulatedReadings(config, config.simulator.sensors);
}
