/**
 * The ground truth the simulator publishes on TOPIC_INJECTED, one message per
 * marker. `{device, timestamp, kind}` is the original contract (one message per
 * anomalous reading); issue 9 added episodes: each fault has an id and a
 * `start` and an `end` marker, so an evaluator can tell faults apart and
 * knows when a silent device (a dropout, which has no readings) was silent.
 */
import type { FaultKind } from './settings.js';

/**
 * `start`: the fault's first reading (for a dropout, the first reading not sent);
 * `reading`: one reading that is anomalous on its own;
 * `end`: the fault's last reading (for a dropout, the last reading not sent).
 */
export type TruthMarker = 'start' | 'reading' | 'end';

export interface InjectedAnomaly {
  device: string;
  /** Simulated time of the reading the marker is about (ISO-8601, like the reading's own timestamp). */
  timestamp: string;
  kind: FaultKind;
  /** `<device>#<n>`: the device's n-th fault, unique within a run. */
  fault_id: string;
  marker: TruthMarker;
  /** On `start`: the sensors the fault acts on (for a correlation break, the decoupled one first). */
  sensors?: string[];
}

export interface FaultLabel {
  readonly device: string;
  readonly kind: FaultKind;
  readonly id: string;
}

export function marker(label: FaultLabel, timestamp: string, kind: TruthMarker, sensors?: readonly string[]): InjectedAnomaly {
  const truth: InjectedAnomaly = { device: label.device, timestamp, kind: label.kind, fault_id: label.id, marker: kind };
  if (sensors !== undefined) truth.sensors = [...sensors];
  return truth;
}

export function faultId(device: string, n: number): string {
  return `${device}#${n}`;
}
