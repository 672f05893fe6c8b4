/**
 * Baselines that move: a warm-up curve after a device starts and a daily
 * cycle, both deterministic functions of simulated time. A detector that
 * learnt one fixed envelope sees them leave it; one that follows each
 * device's recent history does not.
 */
import type { BaselineSettings } from './settings.js';

/** Each sensor's daily cycle is shifted by this angle from the previous one's (the golden angle), so sensors do not peak together. */
const PHASE_STEP = Math.PI * (3 - Math.sqrt(5));

export const NO_BASELINE_MOTION: BaselineSettings = { warmupSeconds: 0, warmupOffset: 0, daySeconds: 86_400, dailyAmplitude: 0 };

/**
 * Offset of the warm-up at `sinceStart` seconds after the device's first
 * reading, in variations: `offset · e^(−t/τ)`, from `warmupOffset` towards 0.
 */
export function warmup(settings: BaselineSettings, sinceStart: number): number {
  if (settings.warmupSeconds <= 0 || settings.warmupOffset === 0) return 0;
  return settings.warmupOffset * Math.exp(-Math.max(0, sinceStart) / settings.warmupSeconds);
}

/** Offset of sensor `index`'s daily cycle at `sinceOrigin` seconds of simulated time, in variations. */
export function dailyCycle(settings: BaselineSettings, index: number, sinceOrigin: number): number {
  if (settings.dailyAmplitude === 0) return 0;
  return settings.dailyAmplitude * Math.sin((2 * Math.PI * sinceOrigin) / settings.daySeconds + index * PHASE_STEP);
}

/** The offset of sensor `index` from its configured base, in variations: warm-up plus daily cycle. */
export function baselineOffset(settings: BaselineSettings, index: number, sinceStart: number, sinceOrigin: number): number {
  return warmup(settings, sinceStart) + dailyCycle(settings, index, sinceOrigin);
}
