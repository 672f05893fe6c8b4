import { event, type IncidentEvent, type OpenIncident } from '../core/context/incidents.js';
import { createSilenceTracker, type SilenceOptions } from './silence.js';

/**
 * Silence as incidents: a device falling silent opens an incident of kind
 * `silent` (on the arrival clock: event time does not move while nothing
 * arrives), closed by its next reading.
 */
export interface Silence {
  /** A reading arrived; returns the closing event when the device had been silent. */
  heard(device: string, nowMs: number): IncidentEvent | undefined;
  due(nowMs: number): IncidentEvent[];
  silent(): number;
}

export function createSilence(options: SilenceOptions, sensors: readonly string[]): Silence {
  const tracker = createSilenceTracker(options);
  const open = new Map<string, OpenIncident>();
  let count = 0;
  return {
    heard(device, nowMs) {
      if (!tracker.heard(device, nowMs)) return undefined;
      const incident = open.get(device);
      if (incident === undefined) return undefined;
      open.delete(device);
      return event(device, incident, 'closed', nowMs, sensors);
    },
    due(nowMs) {
      return tracker.due(nowMs).map(({ device, lastMs }) => {
        count += 1;
        const incident: OpenIncident = {
          id: `${device}#silent-${count}`,
          kind: 'silent',
          openedAt: lastMs,
          peak: 1,
          readings: 0,
          checks: 0,
          spoke: 0,
          sensors: new Float64Array(sensors.length),
        };
        open.set(device, incident);
        return event(device, incident, 'opened', undefined, sensors);
      });
    },
    silent: () => tracker.silent(),
  };
}
