import { z } from 'zod';

/** The sensors every reading carries, in the order the model sees them. */
export const FEATURES = ['temperature', 'humidity', 'sound'] as const;
export type Feature = (typeof FEATURES)[number];

const sensorValue = (name: string) =>
  z
    .number({
      error: (issue) =>
        issue.input === undefined
          ? `${name} is required`
          : typeof issue.input === 'number' // NaN or ±Infinity (e.g. 1e999 in JSON)
            ? `${name} must be a finite number`
            : `${name} must be a number`,
    })
    .refine(Number.isFinite, { message: `${name} must be a finite number` });

/** ISO-8601 text or epoch milliseconds; optional (the worker stamps receive time when absent). */
const timestamp = z.union(
  [
    z.string().refine((s) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(s) && !Number.isNaN(Date.parse(s)), {
      message: 'timestamp must be ISO-8601 like 2024-01-20T10:30:00',
    }),
    z.number().int().nonnegative().refine(Number.isSafeInteger),
  ],
  { error: 'timestamp must be ISO-8601 text or epoch milliseconds' },
);

export const readingSchema = z
  .object({
    timestamp: timestamp.optional(),
    temperature: sensorValue('temperature'),
    humidity: sensorValue('humidity'),
    sound: sensorValue('sound'),
  })
  // Extra fields are kept so results echo what the device sent.
  .passthrough();

export type Reading = z.output<typeof readingSchema>;

/** Why a payload was rejected: a stable code for counters and dead letters, and a human reason. */
export type RejectCode = 'empty_payload' | 'invalid_json' | 'invalid_reading';
export type ParseResult =
  | { ok: true; reading: Reading }
  /** `problems` lists each field's problem; `reason` joins them for logs and dead letters. */
  | { ok: false; code: RejectCode; reason: string; problems: readonly string[] };

/**
 * Extra fields are echoed in results, and JSON.stringify recurses: a few
 * thousand levels of `[` (a 10 KB payload) overflow its stack. Nothing a
 * sensor sends needs more than a handful of levels.
 */
export const MAX_READING_DEPTH = 32;

/** Validates an already-decoded JSON value; every problem is listed in the reason. */
export function validateReading(value: unknown): ParseResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail('invalid_reading', ['reading must be a JSON object']);
  }
  const result = readingSchema.safeParse(value);
  const reasons = result.success
    ? []
    : result.error.issues.map((issue) => {
        const field = issue.path.join('.');
        return field === '' || issue.message.startsWith(field) ? issue.message : `${field}: ${issue.message}`;
      });
  if (nestedDeeperThan(value, MAX_READING_DEPTH)) reasons.push(`reading is nested deeper than ${MAX_READING_DEPTH} levels`);
  if (result.success && reasons.length === 0) return { ok: true, reading: result.data };
  return fail('invalid_reading', reasons);
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

/** Decodes and validates a raw payload (MQTT message or HTTP body). */
export function parseReading(payload: Buffer | string): ParseResult {
  let text = typeof payload === 'string' ? payload : payload.toString('utf8');
  // Some Windows tools prepend a byte-order mark; JSON.parse rejects it. /predict strips it too.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim().length === 0) return fail('empty_payload', ['empty payload']);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return fail('invalid_json', [`invalid JSON: ${(err as Error).message}`]);
  }
  return validateReading(value);
}

function fail(code: RejectCode, problems: string[]): ParseResult {
  return { ok: false, code, reason: problems.join('; '), problems };
}

/** The model's input row, in FEATURES order. */
export function toFeatures(reading: Reading, out: Float64Array = new Float64Array(FEATURES.length)): Float64Array {
  out[0] = reading.temperature;
  out[1] = reading.humidity;
  out[2] = reading.sound;
  return out;
}
