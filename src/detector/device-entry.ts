import type { AnomalyModel } from '../core/model/types.js';
import { createIncidentState, type IncidentState } from '../core/context/incidents.js';
import type { ContextState } from '../core/context/state.js';
import type { Adaptation } from './adaptation.js';
import type { Warmup } from './warmup.js';

/**
 * Everything the detector holds for one device, in one LRU slot: its own
 * model (device scope), its warm-up, its time context and its incident.
 * Memory, eviction and persistence of all of it are the detector's.
 */
export interface DeviceEntry {
  /** The device's own model, once trained (or restored from the store). */
  own: AnomalyModel | undefined;
  /** Device scope, until the device has its own model. */
  warmup: Warmup | undefined;
  /** Time context, primed for `contextFor`'s profile. */
  context: ContextState | undefined;
  contextFor: AnomalyModel | undefined;
  readonly incidents: IncidentState;
  /** Drift adaptation of the device's own model. */
  adaptation: Adaptation | undefined;
}

export function createEntry(own: AnomalyModel | undefined, warmup: Warmup | undefined, adaptation: Adaptation | undefined): DeviceEntry {
  return { own, warmup, context: undefined, contextFor: undefined, incidents: createIncidentState(), adaptation };
}
