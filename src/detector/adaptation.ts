import type { Period } from './retrain-policy.js';
import { createWindow, type RowWindow } from './window.js';

/** What drift adaptation keeps per model: recent unflagged readings and the counts since the last retrain. */
export interface Adaptation {
  readonly window: RowWindow;
  readonly period: Period;
}

export function createAdaptation(capacity: number, dims: number, nowMs: number, seed: readonly ArrayLike<number>[] = []): Adaptation {
  const window = createWindow(capacity, dims);
  for (const row of seed) window.push(row);
  return { window, period: { seen: 0, flagged: 0, startedAt: nowMs } };
}

/** Only readings the model did not flag are learned from: anomalies must never become normal. */
export function recordReading(adaptation: Adaptation, row: ArrayLike<number>, isAnomaly: boolean): void {
  adaptation.period.seen += 1;
  if (isAnomaly) adaptation.period.flagged += 1;
  else adaptation.window.push(row);
}

export function startPeriod(adaptation: Adaptation, nowMs: number): void {
  adaptation.period.seen = 0;
  adaptation.period.flagged = 0;
  adaptation.period.startedAt = nowMs;
}
