/** Streams for the time-context tests: a device's readings stepped through the pure stages, as the detector does. */
import { fitContextModel } from '../../../../src/core/context/model.js';
import { DEFAULT_DETECTOR_SETTINGS, type DetectorSettings } from '../../../../src/core/context/settings.js';
import { adoptModel, createContextState, type ContextState } from '../../../../src/core/context/state.js';
import { createStepResult, stepContext, type ContextModel, type Limits, type StepResult } from '../../../../src/core/context/step.js';
import { contextModelOf } from '../../../../src/core/context/model.js';
import { createIncidentState, stepIncident, type IncidentEvent, type IncidentState } from '../../../../src/core/context/incidents.js';
import { trainModel } from '../../../../src/core/model/index.js';
import { createRandom, type Random } from '../../../../src/support/random.js';

export const SECOND = 1000;

export function noLimits(dims: number): Limits {
  return { min: new Float64Array(dims).fill(-Infinity), max: new Float64Array(dims).fill(Infinity) };
}

/** A model learnt from `rows` (one second apart), as a device's warm-up would learn it. */
export function learn(rows: number[][], sensors: string[], settings: DetectorSettings = DEFAULT_DETECTOR_SETTINGS): ContextModel {
  const times = rows.map((_, i) => i * SECOND);
  const forest = fitContextModel(rows, times, {
    settings,
    sensors,
    limits: noLimits(sensors.length),
    train: (featureRows, features, context) => trainModel(featureRows, { engine: 'native', trees: 100, sampleSize: 256, seed: 7, contamination: 0.01, features, context }),
  });
  const model = contextModelOf(forest, sensors);
  if (typeof model === 'string') throw new Error(model);
  return model;
}

export interface Device {
  readonly state: ContextState;
  readonly incidents: IncidentState;
  readonly out: StepResult;
  /** Steps one reading at event time `t`; returns the incident event it caused, if any. */
  step(values: number[], t: number): IncidentEvent | undefined;
  readonly events: IncidentEvent[];
  /** Per reading stepped: was it anomalous. */
  readonly decisions: boolean[];
}

export function device(model: ContextModel, sensors: string[], settings: DetectorSettings = DEFAULT_DETECTOR_SETTINGS, name = 'line1/d1'): Device {
  const state = createContextState(settings, sensors.length, model.plan?.depth ?? 1);
  adoptModel(state, settings, model.profile, model.forest?.context?.seed);
  const incidents = createIncidentState();
  const out = createStepResult(sensors.length, model.plan?.names.length ?? 1);
  const events: IncidentEvent[] = [];
  const decisions: boolean[] = [];
  const limits = noLimits(sensors.length);
  return {
    state,
    incidents,
    out,
    events,
    decisions,
    step(values, t) {
      stepContext(settings, model, limits, state, values, t, incidents.open !== undefined, out);
      decisions.push(out.decision);
      const event = stepIncident(settings, incidents, state, out, t, name, sensors);
      if (event !== undefined) events.push(event);
      return event;
    },
  };
}

/** `n` readings of `dims` independent sensors around `means` with sds `sds`. */
export function normal(random: Random, n: number, means: number[], sds: number[]): number[][] {
  return Array.from({ length: n }, () => means.map((m, j) => m + sds[j]! * random.gaussian()));
}

export { createRandom };
