import { ConfigError, loadConfig, type Config } from '../../src/app/config.js';
import type { SimulatorSettings } from '../../src/simulator/settings.js';

/** The simulator's settings from a config whose sensors all have baselines (the default three do). */
export function simulatorSettings(config: Pick<Config, 'simulator'>): SimulatorSettings {
  const { sensors } = config.simulator;
  if (sensors === undefined) throw new Error(`no simulator baseline for ${config.simulator.missing.join(', ')}`);
  return { ...config.simulator, sensors };
}

/**
 * A simulation with fixed baselines and independent sensors, as before issue 9:
 * a quiet background for tests that inject a fault of their own and must see
 * nothing else. With SIMULATOR_ANOMALY_RATE=0 it injects nothing itself.
 */
export const STATIONARY_SIMULATION = { SIMULATOR_WARMUP_SECONDS: '0', SIMULATOR_DAILY_AMPLITUDE: '0', SIMULATOR_LOAD_SENSORS: 'none' } as const;

/** The problems a configuration is refused with (none when it loads). */
export function configProblems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return [...err.problems];
    throw err;
  }
  return [];
}
