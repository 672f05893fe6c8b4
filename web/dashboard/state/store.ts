import { createHistory, type History } from './history.js';
import type { DeadLetterMessage, IncidentMessage, ScoreMessage } from './messages.js';
import { createRateMeter, type RateMeter } from './rate.js';

export interface DeviceState {
  readonly id: string;
  /** `scored_at` of the last result (the worker's clock). */
  lastSeen: number;
  /** When the page got the last result and the last anomaly (this screen's clock, for ages and ranking). */
  heardAt: number;
  anomalyHeardAt: number | undefined;
  score: number;
  threshold: number;
  status: string;
  readings: number;
  anomalies: number;
  values: ReadonlyMap<string, number>;
  /** The last anomaly, with its explanation. */
  lastAnomaly: ScoreMessage | undefined;
  readonly history: History;
}

export interface IncidentState extends IncidentMessage {
  /** When the page last heard of it. */
  readonly seenAt: number;
}

export type WorkerStatus = 'online' | 'offline' | 'unknown';

export interface StoreOptions {
  /** The configured sensors, shown first and in this order. */
  sensors: readonly string[];
  /** Results kept per device for the charts. */
  historyCapacity: number;
  /** Devices kept; the longest silent is forgotten beyond it. */
  maxDevices: number;
  /** Closed incidents kept for the "recent" list. */
  closedKept: number;
}

/**
 * Everything the page shows, fed by the MQTT messages and read by the views.
 * No DOM here: the views redraw from it at their own pace, and `version`
 * tells them whether anything changed since they last did.
 */
export interface Store {
  readonly devices: ReadonlyMap<string, DeviceState>;
  /** Configured sensors first, then the numeric fields results carried that were not configured. */
  readonly fields: readonly string[];
  readonly worker: WorkerStatus;
  readonly totals: { readonly readings: number; readonly anomalies: number; readonly deadLetters: number; readonly malformed: number };
  readonly deadLetters: readonly DeadLetterMessage[];
  readonly version: number;
  onScore(message: ScoreMessage, now: number): void;
  onIncident(message: IncidentMessage, now: number): void;
  onDeadLetter(message: DeadLetterMessage): void;
  onWorkerStatus(payload: string): void;
  /** A message that could not be read. */
  onMalformed(): void;
  /** Open incidents, the most severe first. */
  openIncidents(): IncidentState[];
  /** Closed incidents, the latest first. */
  closedIncidents(): IncidentState[];
  /** The open incident of a device, if any. */
  incidentOf(device: string): IncidentState | undefined;
  /** Readings per second over the last few seconds. */
  rate(now: number): number;
}

export function createStore(options: StoreOptions): Store {
  const devices = new Map<string, DeviceState>();
  const fields: string[] = [...options.sensors];
  const known = new Set(fields);
  const open = new Map<string, IncidentState>();
  const closed: IncidentState[] = [];
  const deadLetters: DeadLetterMessage[] = [];
  const totals = { readings: 0, anomalies: 0, deadLetters: 0, malformed: 0 };
  const meter: RateMeter = createRateMeter(10);
  let worker: WorkerStatus = 'unknown';
  let version = 0;

  const device = (id: string, at: number): DeviceState => {
    let d = devices.get(id);
    if (d === undefined) {
      if (devices.size >= options.maxDevices) forgetLongestSilent(devices);
      d = { id, lastSeen: at, heardAt: at, anomalyHeardAt: undefined, score: 0, threshold: 1, status: 'ready', readings: 0, anomalies: 0, values: new Map(), lastAnomaly: undefined, history: createHistory(options.historyCapacity) };
      devices.set(id, d);
    }
    return d;
  };

  return {
    devices,
    fields,
    get worker() {
      return worker;
    },
    totals,
    deadLetters,
    get version() {
      return version;
    },
    onScore(message, now) {
      const d = device(message.device, now);
      // Results can come twice (at-least-once delivery) or late: the charts keep time order.
      if (message.at < d.lastSeen && d.readings > 0) return;
      d.lastSeen = message.at;
      d.heardAt = now;
      d.score = message.score;
      d.threshold = message.threshold;
      d.status = message.status;
      d.values = message.values;
      d.readings += 1;
      d.history.push(message);
      if (message.isAnomaly) {
        d.anomalies += 1;
        d.lastAnomaly = message;
        d.anomalyHeardAt = now;
        totals.anomalies += 1;
      }
      for (const name of message.values.keys()) {
        if (!known.has(name)) {
          known.add(name);
          fields.push(name);
        }
      }
      totals.readings += 1;
      meter.count(now);
      version += 1;
    },
    onIncident(message, now) {
      const state: IncidentState = { ...message, seenAt: now };
      if (message.state === 'closed') {
        open.delete(message.id);
        // A retained closed state arrives again on every reconnect: keep one entry per incident.
        const at = closed.findIndex((i) => i.id === message.id);
        if (at !== -1) closed.splice(at, 1);
        closed.unshift(state);
        closed.sort((a, b) => (b.closedAt ?? b.seenAt) - (a.closedAt ?? a.seenAt));
        closed.length = Math.min(closed.length, options.closedKept);
      } else if (!closed.some((i) => i.id === message.id)) {
        open.set(message.id, state);
      }
      version += 1;
    },
    onDeadLetter(message) {
      totals.deadLetters += 1;
      deadLetters.unshift(message);
      deadLetters.length = Math.min(deadLetters.length, 20);
      version += 1;
    },
    onWorkerStatus(payload) {
      worker = payload === 'online' ? 'online' : payload === 'offline' ? 'offline' : 'unknown';
      version += 1;
    },
    onMalformed() {
      totals.malformed += 1;
    },
    openIncidents: () => [...open.values()].sort((a, b) => severity(b) - severity(a) || (a.openedAt ?? 0) - (b.openedAt ?? 0)),
    closedIncidents: () => [...closed],
    incidentOf: (id) => {
      for (const incident of open.values()) if (incident.device === id) return incident;
      return undefined;
    },
    rate: (now) => meter.rate(now),
  };
}

/** Silent devices first (nothing else tells the operator), then by peak score. */
function severity(incident: IncidentState): number {
  return (incident.kind === 'silent' ? 2 : 0) + (incident.peakScore ?? 0);
}

function forgetLongestSilent(devices: Map<string, DeviceState>): void {
  let oldest: DeviceState | undefined;
  for (const d of devices.values()) if (oldest === undefined || d.heardAt < oldest.heardAt) oldest = d;
  if (oldest !== undefined) devices.delete(oldest.id);
}
