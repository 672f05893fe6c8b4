import type { ScoreMessage } from './messages.js';

/** Columns in the shape the charts take: x in seconds, then one array per series; null is a gap. */
export interface HistoryColumns {
  readonly x: number[];
  readonly score: number[];
  readonly threshold: number[];
  /** The score where the reading was an anomaly, null elsewhere: drawn as marks. */
  readonly scoreMarks: (number | null)[];
  /** Per sensor: its values, and marks where the reading was an anomaly that sensor took part in. */
  readonly fields: ReadonlyMap<string, { values: (number | null)[]; marks: (number | null)[] }>;
}

export interface History {
  readonly size: number;
  push(message: ScoreMessage): void;
  /** Oldest first. */
  columns(fields: readonly string[]): HistoryColumns;
}

/** A sensor with this share of an anomaly's explanation (or any, without one) is marked on its chart. */
export const MARK_SHARE = 0.2;

/**
 * The last `capacity` results of one device in typed ring buffers: a fixed
 * amount of memory per device, whatever the rate, and nothing allocated per
 * reading (two arrays per sensor, made when the sensor first shows up).
 */
export function createHistory(capacity: number): History {
  const times = new Float64Array(capacity);
  const score = new Float64Array(capacity);
  const threshold = new Float64Array(capacity);
  const anomaly = new Uint8Array(capacity);
  const fields = new Map<string, { values: Float64Array; marked: Uint8Array }>();
  let next = 0;
  let size = 0;

  const column = (name: string) => {
    let field = fields.get(name);
    if (field === undefined) {
      field = { values: new Float64Array(capacity).fill(Number.NaN), marked: new Uint8Array(capacity) };
      fields.set(name, field);
    }
    return field;
  };

  return {
    get size() {
      return size;
    },
    push(message) {
      times[next] = message.at / 1000;
      score[next] = message.score;
      threshold[next] = message.threshold;
      anomaly[next] = message.isAnomaly ? 1 : 0;
      for (const field of fields.values()) {
        field.values[next] = Number.NaN;
        field.marked[next] = 0;
      }
      const explanation = message.explanation;
      for (const [name, value] of message.values) {
        const field = column(name);
        field.values[next] = value;
        field.marked[next] = message.isAnomaly && (explanation === undefined || (explanation[name] ?? 0) >= MARK_SHARE) ? 1 : 0;
      }
      next = (next + 1) % capacity;
      size = Math.min(size + 1, capacity);
    },
    columns(names) {
      const x: number[] = [];
      const s: number[] = [];
      const t: number[] = [];
      const marks: (number | null)[] = [];
      const out = new Map(names.map((name) => [name, { values: [] as (number | null)[], marks: [] as (number | null)[] }]));
      const first = (next - size + capacity) % capacity;
      for (let k = 0; k < size; k++) {
        const i = (first + k) % capacity;
        const flagged = anomaly[i] === 1;
        x.push(times[i]!);
        s.push(score[i]!);
        t.push(threshold[i]!);
        marks.push(flagged ? score[i]! : null);
        for (const [name, col] of out) {
          const field = fields.get(name);
          const v = field?.values[i];
          const value = v === undefined || Number.isNaN(v) ? null : v;
          col.values.push(value);
          col.marks.push(field?.marked[i] === 1 ? value : null);
        }
      }
      return { x, score: s, threshold: t, scoreMarks: marks, fields: out };
    },
  };
}
