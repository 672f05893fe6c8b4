import { contextModelOf } from '../core/context/model.js';
import type { DetectorSettings } from '../core/context/settings.js';
import { createContextState, primeContext } from '../core/context/state.js';
import { createStepResult, stepContext, type ContextModel, type Limits, type StepResult } from '../core/context/step.js';
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
  const prepared = preparedFor(model, settings, schema);
  if (typeof prepared === 'string') return prepared;
  const { context, alone, limits, step } = prepared;
  const dims = schema.fields.length;
  const t = reading.timestampMs ?? 0;
  const state = primeContext(createContextState(alone, dims, context.plan?.depth ?? 1), context.profile, t);
  stepContext(alone, context, limits, state, reading.values, t, false, step);
  const result = contextPrediction(reading, { step, model: context, info: model.info, schema, threshold: settings.threshold, status: 'ready', incidentId: undefined });
  delete result.prediction.status;
  return result;
}

interface Prepared {
  readonly settings: DetectorSettings;
  readonly schema: SensorSchema;
  readonly context: ContextModel;
  readonly alone: DetectorSettings;
  readonly limits: Limits;
  /** Reused: scoring is synchronous and contextPrediction copies what it keeps. */
  readonly step: StepResult;
}

/** What a model needs for every request (its checks' view, the settings for a reading alone, the limits), made once per model. */
const prepared = new WeakMap<AnomalyModel, Prepared>();

function preparedFor(model: AnomalyModel, settings: DetectorSettings, schema: SensorSchema): Prepared | string {
  const known = prepared.get(model);
  if (known !== undefined && known.settings === settings && known.schema === schema) return known;
  const context = contextModelOf(model, schema.names);
  if (typeof context === 'string') return context;
  // One reading has no history to calibrate the forest against: its own threshold marks the limit.
  const alone: DetectorSettings = settings.forest === undefined ? settings : { ...settings, forest: { ...settings.forest, calibrate: 'threshold' } };
  const made = { settings, schema, context, alone, limits: limitsOf(schema), step: createStepResult(schema.fields.length, context.plan?.names.length ?? 1) };
  prepared.set(model, made);
  return made;
}
