import type { Config } from './config.js';
import type { WorkerOptions } from '../worker/worker.js';

/** Issue 10: the device ids the worker accepts (DEVICE_ID_PATTERN) and how many (MAX_DEVICES_PER_CREDENTIAL, MAX_DEVICES). */
export function deviceOptions(config: Pick<Config, 'devices'>): Required<Pick<WorkerOptions, 'deviceRules' | 'deviceLimits'>> {
  const { devices } = config;
  return {
    deviceRules: { pattern: new RegExp(devices.idPattern, 'u') },
    deviceLimits: { maxPerLine: devices.maxPerLine, maxTotal: devices.maxTotal },
  };
}
