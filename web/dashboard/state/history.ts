import type { ScoreMessage } from './messages.js';

/** Columns in the shape the charts take: x in seconds, then one array per series; null is a gap. */
export interface HistoryColumns {
  readonly x: number[];
  readonly score: number[];
  readonly threshold: number[];
  /** The score where the reading was an anomaly, null elsewhere: drawn as marks. */
  readonly scoreMarks: (number | null)[];
  readonly fields: ReadonlyMap<string, { values: (number | null)[]; marks: (number | null)[] }>;
}

export interface History {
  readonly size: number;
  push(message: ScoreMessage): void;
  /** Oldest first. */
  columns(fields: readonly string[]): HistoryColumns;
}

/**
 * The last `capacity` results of one device in typed ring buffers: a fixed
 * amount of memory per device, whatever the rate, and nothing allocated per
 * reading (one array per sensor, made when the sensor first shows up).
 */
export function createHistory(capacity: number): History {
  const times = new Float64Array(capacity);
  const score = new Float64Array(capacity);
  const threshold = new Float64Array(capacity);
  const anomaly = new Uint8Array(capacity);
  const fields = new Map<string, Float64Array>();
  let next = 0;
  let size = 0;

  const column = (name: string): Float64Array => {
    let values = fields.get(name);
    if (values === undefined) {
      values = new Float64Array(capacity).fill(Number.NaN);
      fields.set(name, values);
    }
    return values;
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
      for (const values of fields.values()) values[next] = Number.NaN;
      for (const [name, value] of message.values) column(name)[next] = value;
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
          const v = fields.get(name)?.[i];
          const value = v === undefined || Number.isNaN(v) ? null : v;
          col.values.push(value);
          col.marks.push(flagged ? value : null);
        }
      }
      return { x, score: s, threshold: t, scoreMarks: marks, fields: out };
    },
  };
}
