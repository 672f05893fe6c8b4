/**
 * What eval:live measures incidents against, read from the messages it
 * observed: fault episodes from the simulator's start and end markers, and
 * incidents from the worker's incident events. Pure.
 */

/** A ground-truth message as the simulator publishes it (only what is read here). */
export interface TruthMessage {
  device: string;
  timestamp: string;
  kind: string;
  fault_id?: string;
  marker?: string;
}

export interface Episode {
  device: string;
  faultId: string;
  kind: string;
  startMs: number;
  /** Undefined while the fault was still in progress when the run stopped. */
  endMs?: number;
}

export interface Incident {
  device: string;
  id: string;
  kind: string;
  openedMs: number;
  /** Undefined while still open. */
  closedMs?: number;
}

/** An event on factory/incidents (only what is read here). */
export interface IncidentEvent {
  device: string;
  incident_id: string;
  state: string;
  kind: string;
  /** ISO-8601 or epoch ms. */
  opened_at: string | number;
  closed_at?: string | number | null;
}

/**
 * One incident per device and incident_id, from its events in arrival order:
 * opened when first seen, closed by its `closed` event. Redelivered duplicates
 * change nothing. An event whose times cannot be read is skipped.
 */
export function incidentsFrom(events: readonly IncidentEvent[]): Incident[] {
  const byId = new Map<string, Incident>();
  for (const e of events) {
    const openedMs = timeOf(e.opened_at);
    if (openedMs === undefined) continue;
    const key = `${e.device}\u0000${e.incident_id}`;
    let incident = byId.get(key);
    if (incident === undefined) byId.set(key, (incident = { device: e.device, id: e.incident_id, kind: e.kind, openedMs }));
    const closedMs = timeOf(e.closed_at);
    if (e.state === 'closed' && closedMs !== undefined) incident.closedMs = closedMs;
  }
  return [...byId.values()];
}

function timeOf(value: string | number | null | undefined): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Episodes from start and end markers, paired by fault_id; reading markers and messages without an id are ignored. */
export function episodesFrom(truth: readonly TruthMessage[]): Episode[] {
  const byId = new Map<string, Episode>();
  for (const t of truth) {
    if (t.fault_id === undefined) continue;
    const at = Date.parse(t.timestamp);
    if (t.marker === 'start' && !byId.has(t.fault_id)) byId.set(t.fault_id, { device: t.device, faultId: t.fault_id, kind: t.kind, startMs: at });
    else if (t.marker === 'end') {
      const episode = byId.get(t.fault_id);
      if (episode !== undefined) episode.endMs = at;
    }
  }
  return [...byId.values()];
}
