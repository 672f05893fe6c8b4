/**
 * The eval:live observer: one MQTT client that collects the simulator's ground
 * truth, the worker's anomalies and incident events, and counts its results.
 * Arrival times are mapped to simulated time, the time the readings carry.
 */
import { connectAsync, type MqttClient } from 'mqtt';
import type { Flagged, Injected } from './live-metrics.js';
import type { IncidentEvent, TruthMessage } from './incident-inputs.js';

export interface ObserverTopics {
  injected: string;
  anomalies: string;
  /** Prefix of every result (`<prefix>/#`); undefined when results are not published. */
  scores: string | undefined;
  /** Incident events (not the retained per-device state below it). */
  incidents: string;
}

/** An incident event with the simulated time the observer received it. */
export type ObservedIncidentEvent = IncidentEvent & { observedMs: number };

export interface LiveObservations {
  truth: TruthMessage[];
  flagged: Flagged[];
  incidentEvents: ObservedIncidentEvent[];
  /** Results seen on the scores topics. */
  scored: number;
  /** Messages that could not be read as JSON objects. */
  unreadable: number;
}

export interface LiveObserver {
  readonly seen: LiveObservations;
  close(): Promise<void>;
}

/** `simulatedNow` maps the observer's clock to simulated time (the simulator's time scale). */
export async function observeLive(url: string, topics: ObserverTopics, simulatedNow: () => number): Promise<LiveObserver> {
  const client: MqttClient = await connectAsync(url, { clientId: `eval-live-observer-${process.pid}` });
  const seen: LiveObservations = { truth: [], flagged: [], incidentEvents: [], scored: 0, unreadable: 0 };
  client.on('message', (topic, payload) => {
    let body: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(payload.toString());
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
      body = parsed as Record<string, unknown>;
    } catch {
      seen.unreadable += 1;
      return;
    }
    if (topic === topics.injected) seen.truth.push(body as unknown as TruthMessage);
    else if (topic === topics.incidents) seen.incidentEvents.push({ ...(body as unknown as IncidentEvent), observedMs: simulatedNow() });
    else if (topic === topics.anomalies) {
      const input = body.input_data as { timestamp: string };
      seen.flagged.push({ device: body.device as string, timestamp: input.timestamp, receivedAt: simulatedNow() });
    } else seen.scored += 1;
  });
  const filters = [topics.injected, topics.anomalies, topics.incidents, ...(topics.scores === undefined ? [] : [`${topics.scores}/#`])];
  await client.subscribeAsync(filters, { qos: 1 });
  return { seen, close: () => client.endAsync() };
}

/** Reading markers (and messages from before markers existed): the per-reading ground truth. */
export function readingTruth(truth: readonly TruthMessage[]): Injected[] {
  return truth.filter((t) => t.marker === undefined || t.marker === 'reading');
}

/**
 * The events of incidents first seen by `untilMs` (simulated time). When the
 * simulator stops every device falls silent, and the incidents that follow are
 * about the end of the run, not about the devices.
 */
export function incidentsSeenBy(events: readonly ObservedIncidentEvent[], untilMs: number): ObservedIncidentEvent[] {
  const late = new Set<string>();
  const seen = new Set<string>();
  for (const e of events) {
    const key = `${e.device}\u0000${e.incident_id}`;
    if (!seen.has(key) && e.observedMs > untilMs) late.add(key);
    seen.add(key);
  }
  return events.filter((e) => !late.has(`${e.device}\u0000${e.incident_id}`));
}

/**
 * Incidents of kind `silent` are judged on the arrival clock (a silent device
 * sends no timestamps), and their `opened_at` says when the device was last
 * heard, not when the incident was raised. With simulated time running faster
 * than the wall clock, those times are on another clock than the episodes'. So
 * a silent incident is placed where the observer saw it: opened when its first
 * event arrived, closed when its `closed` event arrived, in simulated time.
 */
export function silentOnObserverClock(events: readonly ObservedIncidentEvent[]): ObservedIncidentEvent[] {
  const firstSeen = new Map<string, number>();
  return events.map((e) => {
    if (e.kind !== 'silent') return e;
    const key = `${e.device}\u0000${e.incident_id}`;
    if (!firstSeen.has(key)) firstSeen.set(key, e.observedMs);
    return { ...e, opened_at: firstSeen.get(key)!, closed_at: e.state === 'closed' ? e.observedMs : null };
  });
}
