import type { Random } from '../../src/support/random.js';

export const SENSORS = ['temperature', 'humidity', 'sound'] as const;
export type Sensor = (typeof SENSORS)[number];

export function pick<T>(r: Random, items: readonly T[]): T {
  return items[r.int(items.length)]!;
}

/** A valid reading around the simulator baselines; the timestamp is ISO text, epoch ms or absent. */
export function validReading(r: Random): Record<string, unknown> {
  const reading: Record<string, unknown> = {};
  const ts = r.int(3);
  const at = Date.UTC(2024, 0, 1) + r.int(365 * 24 * 3600) * 1000;
  if (ts === 0) reading.timestamp = new Date(at).toISOString().slice(0, 19);
  if (ts === 1) reading.timestamp = at;
  reading.temperature = round(25 + r.gaussian());
  reading.humidity = round(50 + 2 * r.gaussian());
  reading.sound = round(60 + 2 * r.gaussian());
  return reading;
}

/**
 * JSON text of `reading` with some fields given as raw JSON text (`1e999`,
 * `NaN`, a 10,000-level array), which JSON.stringify could not produce.
 */
export function withRaw(reading: Record<string, unknown>, raw: Readonly<Record<string, string>>): string {
  const placeholders: Record<string, unknown> = { ...reading };
  for (const key of Object.keys(raw)) placeholders[key] = `@@raw:${key}@@`;
  let text = JSON.stringify(placeholders);
  for (const [key, value] of Object.entries(raw)) text = text.replace(JSON.stringify(`@@raw:${key}@@`), () => value);
  return text;
}

/** 1..3 distinct sensors, in FEATURES order. */
export function someSensors(r: Random): Sensor[] {
  const mask = 1 + r.int(7);
  return SENSORS.filter((_, i) => (mask & (1 << i)) !== 0);
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_.:;!?';
const BLOCK = 4096;

/** Printable ASCII that needs no escaping in a JSON string; past 4 KiB a random block repeats, to keep 1 MiB cheap. */
export function safeText(r: Random, length: number): string {
  const block = Buffer.allocUnsafe(Math.min(length, BLOCK));
  for (let i = 0; i < block.length; i++) block[i] = ALPHABET.charCodeAt(r.int(ALPHABET.length));
  const text = block.toString('latin1');
  return length <= BLOCK ? text : text.repeat(Math.ceil(length / BLOCK)).slice(0, length);
}

export function utf8(text: string): Buffer {
  return Buffer.from(text, 'utf8');
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
