import { contextModelOf } from '../core/context/model.js';
import type { DetectorSettings } from '../core/context/settings.js';
import { createContextState, primeContext } from '../core/context/state.js';
import { createStepResult, stepContext } from '../core/context/step.js';
import type { AnomalyModel } from '../core/model/types.js';
import type { Reading } from '../core/reading.js';
import type { SensorSchema } from '../core/sensors.js';
import { contextPrediction, type ScoredReading } from '../core/stages/score.js';
import { limitsOf } from './limits.js';

/**
 * Judges one reading with no history (POST /predict, tools): the same checks
 * as the stream, on a context primed as if the device had sat at its model's
 * training means. Changes nothing anywhere; allocates a little per call.
 */
export function scoreAlone(model: AnomalyModel, reading: Reading, settings: DetectorSettings, schema: SensorSchema): ScoredReading | string {
  const context = contextModelOf(model, schema.names);
  if (typeof context === 'string') return context;
  const dims = schema.fields.length;
  const t = reading.timestampMs ?? 0;
  // One reading has no history to calibrate the forest against: its own threshold marks the limit.
  const alone: DetectorSettings = settings.forest === undefined ? settings : { ...settings, forest: { ...settings.forest, calibrate: 'threshold' } };
  const state = primeContext(createContextState(alone, dims, context.plan?.depth ?? 1), context.profile, t);
  const step = stepContext(alone, context, limitsOf(schema), state, reading.values, t, false, createStepResult(dims, context.plan?.names.length ?? 1));
  const result = contextPrediction(reading, { step, model: context, info: model.info, schema, threshold: settings.threshold, status: 'ready', incidentId: undefined });
  delete result.prediction.status;
  return result;
}
