import { connectAsync, type IClientOptions } from 'mqtt';
import { dueAfter, type ReplayPace } from '../../core/replay-schedule.js';

/** One row to publish: its topic, event time and payload. */
export interface ReplayRow {
  readonly topic: string;
  readonly t: number;
  readonly payload: string;
}

export interface ReplayOptions {
  readonly url: string;
  readonly client?: IClientOptions;
  readonly qos: 0 | 1 | 2;
  readonly pace: ReplayPace;
  /** Publishes awaiting their acknowledgement at most (the pace of `max`); default 1000. */
  readonly maxInflight?: number;
  readonly onProgress?: (published: number, total: number) => void;
  /** Stops early (Ctrl-C): resolves with what was published. */
  readonly signal?: AbortSignal;
}

export interface ReplaySummary {
  rows: number;
  published: number;
  failed: number;
  seconds: number;
  /** Readings per second over the run. */
  rate: number;
  stopped: boolean;
}

/**
 * Publishes recorded rows in order over MQTT, paced as asked; resolves once
 * every publish is acknowledged (QoS 1 and 2) or written (QoS 0).
 */
export async function replayRows(rows: readonly ReplayRow[], options: ReplayOptions): Promise<ReplaySummary> {
  const client = await connectAsync(options.url, { clientId: `replay-${Math.random().toString(16).slice(2, 10)}`, reconnectPeriod: 1000, ...options.client });
  const maxInflight = options.maxInflight ?? 1000;
  const started = performance.now();
  const t0 = rows[0]?.t ?? 0;
  let published = 0;
  let failed = 0;
  let inflight = 0;
  let wake: (() => void) | undefined;
  const settled = () => {
    inflight--;
    wake?.();
  };
  try {
    for (let i = 0; i < rows.length; i++) {
      if (options.signal?.aborted) break;
      const row = rows[i]!;
      const wait = dueAfter(options.pace, i, row.t, t0) - (performance.now() - started);
      if (wait > 1) await sleep(wait, options.signal);
      while (inflight >= maxInflight) await new Promise<void>((resolve) => (wake = resolve));
      inflight++;
      client.publish(row.topic, row.payload, { qos: options.qos }, (err) => {
        if (err) failed++;
        else published++;
        settled();
        options.onProgress?.(published + failed, rows.length);
      });
    }
    while (inflight > 0) await new Promise<void>((resolve) => (wake = resolve));
  } finally {
    await client.endAsync();
  }
  const seconds = (performance.now() - started) / 1000;
  return { rows: rows.length, published, failed, seconds: Math.round(seconds * 100) / 100, rate: Math.round(published / Math.max(seconds, 1e-3)), stopped: options.signal?.aborted === true };
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
