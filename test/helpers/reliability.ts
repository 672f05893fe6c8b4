/**
 * Helpers for the delivery tests: numbered readings streamed at a steady
 * rate, a tracker of which numbers came back as results, the worker service
 * and `npm start` as child processes, and loggers and log output the tests can wait on.
 */
import { EventEmitter } from 'node:events';
import type { MqttClient } from 'mqtt';
import { pino, type Logger } from 'pino';
import { withTimeout, type Resources } from './mqtt.js';
import { spawnTracked, type Spawned } from './processes.js';

/** Starting a child with tsx and training its model takes a few seconds on a busy two-core machine. */
export const PROCESS_START_TIMEOUT_MS = 15_000;

/** `node --import tsx src/app/cli.ts worker` against `mqttUrl`, resolved once it is subscribed and ready. */
export async function spawnWorker(
  resources: Resources,
  mqttUrl: string,
  clientId: string,
  env: Record<string, string> = {},
): Promise<Spawned> {
  const worker = spawnTracked(resources, process.execPath, ['--import', 'tsx', 'src/app/cli.ts', 'worker'], {
    ...process.env,
    MQTT_URL: mqttUrl,
    MQTT_CLIENT_ID: clientId,
    HTTP_PORT: '0',
    LOG_LEVEL: 'info',
    LOG_PRETTY: 'false',
    ...env,
  });
  // `ready` comes after the signal handlers are installed, so a SIGTERM from then on is a graceful one.
  await worker.waitForOutput(/"msg":"ready"/, PROCESS_START_TIMEOUT_MS);
  return worker;
}

/** `npm start` (`node --import tsx src/app/cli.ts start`: broker, worker, HTTP, simulator) on free ports; wait for `ready` before signalling it. */
export function spawnApp(resources: Resources, env: Record<string, string>): Spawned {
  return spawnTracked(resources, process.execPath, ['--import', 'tsx', 'src/app/cli.ts', 'start'], {
    ...process.env,
    MQTT_PORT: '0',
    MQTT_WS_PORT: '0',
    HTTP_PORT: '0',
    LOG_LEVEL: 'info',
    LOG_PRETTY: 'false',
    MQTT_CLIENT_ID: `app-${process.pid}`,
    ...env,
  });
}

/** A valid reading carrying `seq`, which the worker echoes in the result's input_data. */
export function numberedReading(seq: number): string {
  return JSON.stringify({ timestamp: Date.now(), temperature: 25 + (seq % 7) / 10, humidity: 50, sound: 60, seq });
}

export interface ReadingStream {
  /** Numbers the broker acknowledged (PUBACK). */
  readonly accepted: Set<number>;
  /** Publishes started so far. */
  published(): number;
  /** Resolves once every publish completed, acknowledged or failed. */
  readonly done: Promise<void>;
  waitForAccepted(count: number, timeoutMs: number): Promise<void>;
}

/** Publishes readings 0 .. total-1 at QoS 1 at a steady rate, paced against the start time. */
export function streamReadings(client: MqttClient, total: number, ratePerSecond: number, topic = 'factory/sensors/line1/press-1'): ReadingStream {
  const accepted = new Set<number>();
  const events = new EventEmitter();
  let next = 0;
  let completed = 0;
  const started = Date.now();
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  const ticker = setInterval(() => {
    // Ended (disconnected is set only by end()) at teardown of a test that finished first: mqtt.js would throw.
    if (client.disconnecting || client.disconnected) return clearInterval(ticker);
    const due = Math.min(total, Math.floor(((Date.now() - started) * ratePerSecond) / 1000));
    for (; next < due; next++) {
      const seq = next;
      client.publish(topic, numberedReading(seq), { qos: 1 }, (err) => {
        if (!err) accepted.add(seq);
        if (++completed === total) resolveDone();
        events.emit('change');
      });
    }
    if (next === total) clearInterval(ticker);
  }, 5);
  return {
    accepted,
    published: () => next,
    done,
    waitForAccepted: (count, timeoutMs) =>
      until(events, () => accepted.size >= count, timeoutMs, `${count} acknowledged readings`, () => `got ${accepted.size}`),
  };
}

export interface ResultTracker {
  /** Distinct `seq` values seen in results. */
  readonly seen: Set<number>;
  /** Results whose `seq` had been seen before. */
  duplicates(): number;
  waitForCount(count: number, timeoutMs: number): Promise<void>;
  /** Resolves once every number in `expected` has a result; the error names what is missing. */
  waitForAll(expected: ReadonlySet<number>, timeoutMs: number): Promise<void>;
}

/** Counts results on `filter` (subscribe first) by the `seq` they echo. */
export function trackResults(observer: MqttClient): ResultTracker {
  const seen = new Set<number>();
  const events = new EventEmitter();
  let duplicates = 0;
  observer.on('message', (_topic, payload) => {
    const seq = (JSON.parse(payload.toString()) as { input_data?: { seq?: unknown } }).input_data?.seq;
    if (typeof seq !== 'number') return;
    if (seen.has(seq)) duplicates += 1;
    else seen.add(seq);
    events.emit('change');
  });
  const missing = (expected: ReadonlySet<number>) => [...expected].filter((seq) => !seen.has(seq));
  return {
    seen,
    duplicates: () => duplicates,
    waitForCount: (count, timeoutMs) => until(events, () => seen.size >= count, timeoutMs, `${count} results`, () => `got ${seen.size}`),
    waitForAll: (expected, timeoutMs) =>
      until(events, () => missing(expected).length === 0, timeoutMs, `results for ${expected.size} readings`, () => {
        const absent = missing(expected);
        return `${absent.length} missing, first ${absent.slice(0, 10).join(', ')}`;
      }),
  };
}

/** Resolves when `condition` holds, checked now and on every `change` event of `events`. */
function until(events: EventEmitter, condition: () => boolean, timeoutMs: number, what: string, progress: () => string): Promise<void> {
  if (condition()) return Promise.resolve();
  let check: () => void = () => undefined;
  const reached = new Promise<void>((resolve) => {
    check = () => {
      if (condition()) resolve();
    };
    events.on('change', check);
  });
  return withTimeout(reached, timeoutMs, what)
    .catch((err: Error) => {
      throw new Error(`${err.message} (${progress()})`);
    })
    .finally(() => events.off('change', check));
}

export type LogRecord = Record<string, unknown> & { msg?: string; component?: string };

/** A pino logger whose records a test can wait for. */
export function capturingLogger(): { logger: Logger; records: LogRecord[]; waitFor(match: (r: LogRecord) => boolean, count: number, timeoutMs: number): Promise<void> } {
  const records: LogRecord[] = [];
  const events = new EventEmitter();
  const logger = pino({ level: 'debug' }, { write: (line: string) => (records.push(JSON.parse(line) as LogRecord), events.emit('change')) });
  const count = (match: (r: LogRecord) => boolean) => records.filter(match).length;
  return {
    logger,
    records,
    waitFor: (match, n, timeoutMs) => until(events, () => count(match) >= n, timeoutMs, `${n} matching log records`, () => `got ${count(match)}`),
  };
}

/** JSON log records of a child's output with message `msg`. */
export function logRecords(output: string, msg: string): LogRecord[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{') && line.includes(`"msg":"${msg}"`))
    .map((line) => JSON.parse(line) as LogRecord);
}
