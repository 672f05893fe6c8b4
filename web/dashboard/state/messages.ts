/**
 * What the page reads from the broker, checked field by field: these are
 * messages from the network, so anything unexpected is dropped (and counted)
 * instead of breaking the page.
 */

export interface ScoreMessage {
  readonly device: string;
  /** Milliseconds since the epoch, from `scored_at` (the worker's clock). */
  readonly at: number;
  /** Numeric fields of `input_data`, the sensors. */
  readonly values: ReadonlyMap<string, number>;
  readonly score: number;
  readonly threshold: number;
  readonly isAnomaly: boolean;
  readonly status: string;
  readonly explanation?: Readonly<Record<string, number>>;
  readonly zScores?: Readonly<Record<string, number>>;
}

export interface IncidentMessage {
  readonly device: string;
  readonly id: string;
  readonly state: 'opened' | 'updated' | 'closed';
  readonly kind: string;
  readonly openedAt: number | undefined;
  readonly closedAt: number | undefined;
  readonly peakScore: number | undefined;
  readonly readings: number | undefined;
  /** Sensor -> share of the incident, largest first. */
  readonly sensors: ReadonlyArray<readonly [string, number]>;
}

export interface DeadLetterMessage {
  readonly topic: string;
  readonly code: string;
  readonly reason: string;
  readonly at: number;
}

type Json = Record<string, unknown>;

function object(value: unknown): Json | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
}

function finite(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function text(value: unknown, max = 256): string | undefined {
  return typeof value === 'string' && value.length > 0 && value.length <= max ? value : undefined;
}

function time(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** `{ sensor: number }` with the finite numbers only; undefined when none. */
function numbers(value: unknown): Record<string, number> | undefined {
  const o = object(value);
  if (o === undefined) return undefined;
  const out: Record<string, number> = {};
  let any = false;
  for (const [key, v] of Object.entries(o)) {
    const n = finite(v);
    if (n !== undefined && key !== '__proto__') {
      out[key] = n;
      any = true;
    }
  }
  return any ? out : undefined;
}

export function parseJson(payload: string): unknown {
  try {
    return JSON.parse(payload);
  } catch {
    return undefined;
  }
}

/** A result from `factory/scores/...` or `factory/anomalies`. */
export function readScore(value: unknown, now: number): ScoreMessage | undefined {
  const o = object(value);
  const prediction = object(o?.prediction);
  const input = object(o?.input_data);
  const device = text(o?.device);
  const score = finite(prediction?.anomaly_score);
  const threshold = finite(prediction?.threshold);
  if (o === undefined || prediction === undefined || input === undefined || device === undefined || score === undefined || threshold === undefined) {
    return undefined;
  }
  const values = new Map<string, number>();
  for (const [key, v] of Object.entries(input)) {
    const n = finite(v);
    // The timestamp is a number too when sent as epoch milliseconds: it is no sensor.
    if (n !== undefined && key !== 'timestamp') values.set(key, n);
  }
  const explanation = numbers(prediction.explanation);
  const zScores = numbers(prediction.z_scores);
  return {
    device,
    at: time(o.scored_at) ?? now,
    values,
    score,
    threshold,
    isAnomaly: prediction.is_anomaly === true,
    status: text(prediction.status, 32) ?? 'ready',
    ...(explanation ? { explanation } : {}),
    ...(zScores ? { zScores } : {}),
  };
}

const STATES = new Set(['opened', 'updated', 'closed']);

/** An incident event (`factory/incidents`) or a device's retained incident state (`factory/incidents/<line>/<device>`). */
export function readIncident(value: unknown): IncidentMessage | undefined {
  const o = object(value);
  const device = text(o?.device);
  const id = text(o?.incident_id);
  const state = text(o?.state, 16);
  if (o === undefined || device === undefined || id === undefined || state === undefined || !STATES.has(state)) return undefined;
  const sensors = Object.entries(numbers(o.sensors) ?? {}).sort((a, b) => b[1] - a[1]);
  return {
    device,
    id,
    state: state as IncidentMessage['state'],
    kind: text(o.kind, 64) ?? 'anomaly',
    openedAt: time(o.opened_at),
    closedAt: time(o.closed_at),
    peakScore: finite(o.peak_score),
    readings: finite(o.readings),
    sensors,
  };
}

export function readDeadLetter(value: unknown, now: number): DeadLetterMessage | undefined {
  const o = object(value);
  if (o === undefined) return undefined;
  return {
    topic: text(o.topic, 1024) ?? '?',
    code: text(o.code, 64) ?? 'unknown',
    reason: text(o.reason, 2048) ?? '',
    at: time(o.received_at) ?? now,
  };
}
