import type { AnomalyModel } from '../core/model/types.js';

/**
 * The current model, shared by the worker and `/predict`. Swapping is a single
 * reference assignment, and every message reads the reference once, so no
 * reading is ever scored by a half-loaded model.
 */
export interface ModelHolder {
  get(): AnomalyModel | undefined;
  set(model: AnomalyModel): void;
}

export function createModelHolder(initial?: AnomalyModel): ModelHolder {
  let current = initial;
  return {
    get: () => current,
    set: (model) => {
      current = model;
    },
  };
}
