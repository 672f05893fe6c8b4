import type { Config } from '../../src/app/config.js';
import type { SimulatorSettings } from '../../src/simulator/settings.js';

/** The simulator's settings from a config whose sensors all have baselines (the default three do). */
export function simulatorSettings(config: Pick<Config, 'simulator'>): SimulatorSettings {
  const { sensors } = config.simulator;
  if (sensors === undefined) throw new Error(`no simulator baseline for ${config.simulator.missing.join(', ')}`);
  return { ...config.simulator, sensors };
}
