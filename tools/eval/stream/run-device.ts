import { loadConfig, type Config } from '../../../src/app/config.js';
import { detectorFromConfig } from '../../../src/app/detector-from-config.js';
import type { IncidentEvent } from '../../../src/core/context/incidents.js';
import { readReading } from '../../../src/core/reading.js';
import type { Prediction } from '../../../src/core/stages/score.js';
import { createModelHolder } from '../../../src/detector/model-holder.js';
import type { RecordedRow } from '../../../src/adapters/files/recorded.js';
import { silentLogger } from '../../../src/support/logger.js';

/** One row's outcome, as the worker would publish it. */
export interface RowOutcome {
  readonly prediction: Prediction | undefined;
  readonly incident: IncidentEvent | undefined;
}

/**
 * Runs one recorded device through the worker's own detector (device scope: it learns from its first
 * `warmup` readings, then judges every later one), offline: the same stages, state, model and incidents.
 */
export function runDevice(env: Record<string, string>, device: string, rows: readonly RecordedRow[], warmup: number): RowOutcome[] {
  const config: Config = loadConfig({ ...env, MODEL_SCOPE: 'device', MODEL_WARMUP: String(warmup), MODEL_MAX_DEVICES: '1', LOG_LEVEL: 'silent' });
  const detector = detectorFromConfig(config, createModelHolder(), silentLogger());
  return rows.map((row) => {
    const read = readReading(row.reading, config.sensors);
    if (!read.ok) throw new Error(`line ${row.line}: ${read.problems.join('; ')}`);
    const outcome = detector.process(device, read.reading, row.t);
    if (outcome.kind === 'rejected') throw new Error(`line ${row.line}: ${outcome.reason}`);
    return { prediction: outcome.result.prediction, incident: outcome.incident };
  });
}
