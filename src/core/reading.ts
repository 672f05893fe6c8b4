import { fieldLabel, type SensorSchema } from './sensors.js';

/**
 * A reading as the stages see it: the object the device sent (echoed as
 * `input_data`), its values in schema order, and its event time.
 *
 * Missing optional fields: the value is NaN here; the time-context stage
 * fills it with the device's last value (or, with no history yet, the model's
 * training median) and the result lists it under `prediction.missing`.
 */
export interface Reading {
  readonly input: Record<string, unknown>;
  /** One value per schema field, in schema order; NaN where an optional field is missing. */
  readonly values: Float64Array;
  /** Event time in epoch ms from `timestamp`, when the reading has one. */
  readonly timestampMs: number | undefined;
}

export type ReadingResult = { ok: true; reading: Reading } | { ok: false; problems: string[] };

/**
 * Extra fields are echoed in results, and JSON.stringify recurses: a few
 * thousand levels of `[` (a 10 KB payload) overflow its stack. Nothing a
 * sensor sends needs more than a handful of levels.
 */
export const MAX_READING_DEPTH = 32;

/** Validates one decoded JSON value against the schema; every problem is listed. */
export function readReading(value: unknown, schema: SensorSchema): ReadingResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, problems: ['reading must be a JSON object'] };
  const input = value as Record<string, unknown>;
  const problems: string[] = [];
  const values = new Float64Array(schema.fields.length);
  schema.fields.forEach((field, i) => {
    const raw = field.path === undefined ? ownValue(input, field.name) : valueAt(input, field.path);
    if (typeof raw === 'number' && Number.isFinite(raw)) {
      values[i] = raw;
      return;
    }
    values[i] = Number.NaN;
    const label = fieldLabel(field);
    if (raw === undefined) {
      if (!field.optional) problems.push(`${label} is required`);
    } else {
      // 1e999 in JSON parses to Infinity: a number, but not one a sensor can read.
      problems.push(typeof raw === 'number' ? `${label} must be a finite number` : `${label} must be a number`);
    }
  });
  const time = eventTime(input.timestamp);
  if (typeof time === 'string') problems.push(time);
  if (nestedDeeperThan(input, MAX_READING_DEPTH)) problems.push(`reading is nested deeper than ${MAX_READING_DEPTH} levels`);
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, reading: { input, values, timestampMs: time as number | undefined } };
}

/** The result of reading a payload that may be one reading or a gateway's batch (a JSON array of readings). */
export interface BatchResult {
  /** Each element with its index in the batch (0 for a single reading). */
  readonly items: ReadonlyArray<{ index: number; result: ReadingResult }>;
  /** True when the payload was an array. */
  readonly batch: boolean;
}

export type BatchRead = { ok: true; value: BatchResult } | { ok: false; code: 'empty_batch' | 'batch_too_large'; reason: string };

/** One reading, or an array of up to `maxBatch` readings each validated on its own. */
export function readBatch(value: unknown, schema: SensorSchema, maxBatch: number): BatchRead {
  if (!Array.isArray(value)) return { ok: true, value: { batch: false, items: [{ index: 0, result: readReading(value, schema) }] } };
  if (value.length === 0) return { ok: false, code: 'empty_batch', reason: 'the batch is an empty array' };
  if (value.length > maxBatch) return { ok: false, code: 'batch_too_large', reason: `the batch holds ${value.length} readings, the limit is ${maxBatch}` };
  return { ok: true, value: { batch: true, items: value.map((element, index) => ({ index, result: readReading(element, schema) })) } };
}

/** Own properties only: `__proto__` or `constructor` in a schema never reads the prototype. */
function ownValue(object: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined;
}

function valueAt(object: Record<string, unknown>, path: readonly string[]): unknown {
  let node: unknown = object;
  for (const key of path) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
    node = ownValue(node as Record<string, unknown>, key);
  }
  return node;
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const ZONE = /(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * `timestamp`: ISO-8601 text or epoch milliseconds, optional. Text without a
 * zone is taken as UTC, so event time does not depend on the machine's zone.
 * Returns the epoch ms, undefined when absent, or the problem as text.
 */
export function eventTime(value: unknown): number | undefined | string {
  if (value === undefined) return undefined;
  if (typeof value === 'string') {
    const ms = ISO.test(value) ? Date.parse(ZONE.test(value) ? value : `${value}Z`) : Number.NaN;
    return Number.isNaN(ms) ? 'timestamp must be ISO-8601 like 2024-01-20T10:30:00' : ms;
  }
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  return 'timestamp must be ISO-8601 text or epoch milliseconds';
}

/** Level by level rather than recursively, so the check itself cannot overflow the stack. */
function nestedDeeperThan(root: object, limit: number): boolean {
  let level: object[] = [root];
  for (let depth = 1; level.length > 0; depth++) {
    if (depth > limit) return true;
    const next: object[] = [];
    for (const node of level) {
      for (const child of Object.values(node)) if (typeof child === 'object' && child !== null) next.push(child);
    }
    level = next;
  }
  return false;
}
