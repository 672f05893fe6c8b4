/**
 * The MQTT load generator: publishers send readings at QoS 1, one subscriber
 * receives what comes back (results for the pipeline, the readings themselves
 * for the relay baseline) and measures send-to-receive latency from the
 * sent_at each reading carries. Runs in whichever process calls it.
 */
import type { MqttClient } from 'mqtt';
import { connectBenchClient, connectPublishers, endAll } from './mqtt-clients.js';
import { deviceIds, deviceReadings, readEcho, streamTime, timedPayload } from './readings.js';
import { cpuShare, median, NumberList, SecondBuckets, summarizeLatencies, type LatencySummary } from './stats.js';

/** fixed: a steady rate (readings/s); max: keep `window` readings sent but not yet received, no more. */
export type LoadMode = { kind: 'fixed'; rate: number } | { kind: 'max'; window: number };

export interface MqttLoadOptions {
  url: string;
  /** Readings go to `<publishPrefix>/<line>/<device>`. */
  publishPrefix: string;
  /** What the subscriber listens on, at QoS 1. */
  receiveFilter: string;
  mode: LoadMode;
  publishers: number;
  devices: number;
  lines: number;
  warmupSeconds: number;
  seconds: number;
  /** After the measured window, how long to wait for the last readings. */
  drainTimeoutMs: number;
  seed: number;
}

export interface MqttLoadResult {
  /** Readings published, warm-up included. */
  sent: number;
  /** Distinct readings received back, warm-up included; `missing` = sent - received after the drain. */
  received: number;
  missing: number;
  duplicates: number;
  anomalies: number;
  publishErrors: number;
  /** Readings/s sent during the measured window. */
  sendRate: number;
  /** Readings received in each full second of the measured window. */
  perSecond: number[];
  medianRate: number;
  /** Of readings sent in the measured window, milliseconds. */
  latency: LatencySummary;
  /** This process's CPU over the window, in cores. */
  cpu: number;
}

/** In fixed mode, at most this many readings may be outstanding; beyond it the rate is not reached (sendRate shows it). */
const FIXED_MODE_MAX_IN_FLIGHT = 20_000;
const PACER_TICK_MS = 1;
/** Distinct readings per device before its values start over (its event time goes on). */
const READINGS_PER_DEVICE = 2048;

export async function runMqttLoad(o: MqttLoadOptions): Promise<MqttLoadResult> {
  const runId = Math.random().toString(36).slice(2, 8);
  const prefixes = deviceReadings(o.devices, o.lines, READINGS_PER_DEVICE, o.seed);
  const topics = deviceIds(o.devices, o.lines).map((id) => `${o.publishPrefix}/${id}`);
  const clients: MqttClient[] = [];
  try {
    const subscriber = await connectBenchClient(o.url, `bench-sub-${runId}`);
    clients.push(subscriber);
    await subscriber.subscribeAsync(o.receiveFilter, { qos: 1 });
    const publishers = await connectPublishers(o.url, o.publishers, runId);
    clients.push(...publishers);
    return await drive(o, subscriber, publishers, prefixes, topics);
  } finally {
    await endAll(clients);
  }
}

function drive(
  o: MqttLoadOptions,
  subscriber: MqttClient,
  publishers: readonly MqttClient[],
  prefixes: readonly (readonly string[])[],
  topics: readonly string[],
): Promise<MqttLoadResult> {
  const t0 = performance.now();
  const measureStart = t0 + o.warmupSeconds * 1000;
  const measureEnd = measureStart + o.seconds * 1000;
  const buckets = new SecondBuckets(measureStart, o.seconds);
  const latencies = new NumberList();
  let seen: Uint8Array = new Uint8Array(1 << 16);
  let sent = 0;
  let sentInWindow = 0;
  let received = 0;
  let duplicates = 0;
  let anomalies = 0;
  let publishErrors = 0;
  let sending = true;
  let cpuFrom = process.cpuUsage();
  let stampedK = -1;
  let stamp = '';
  let cpu = 0;

  const onPublished = (err?: Error) => {
    if (err) publishErrors += 1;
  };
  const send = () => {
    const seq = sent++;
    const now = performance.now();
    if (now >= measureStart && now < measureEnd) sentInWindow += 1;
    // Device d's k-th reading: its values cycle through its prefixes, its event time only moves forward.
    const d = seq % topics.length;
    const k = Math.floor(seq / topics.length);
    if (k !== stampedK) [stampedK, stamp] = [k, streamTime(k)];
    const own = prefixes[d]!;
    const payload = timedPayload(own[k % own.length]!, stamp, seq, now);
    publishers[seq % publishers.length]!.publish(topics[d]!, payload, { qos: 1 }, onPublished);
  };

  subscriber.on('message', (_topic, payload) => {
    const now = performance.now();
    const echo = readEcho(payload);
    if (echo === undefined) return;
    if (echo.seq >= seen.length) seen = grow(seen, echo.seq);
    if (seen[echo.seq] === 1) {
      duplicates += 1;
      return;
    }
    seen[echo.seq] = 1;
    received += 1;
    if (echo.anomaly) anomalies += 1;
    buckets.add(now);
    if (echo.sentAt >= measureStart && echo.sentAt < measureEnd) latencies.push(now - echo.sentAt);
    if (sending && o.mode.kind === 'max') send();
  });

  const timers: NodeJS.Timeout[] = [];
  if (o.mode.kind === 'max') {
    for (let i = 0; i < o.mode.window; i++) send();
  } else {
    const rate = o.mode.rate;
    timers.push(
      setInterval(() => {
        const due = Math.floor((rate * (performance.now() - t0)) / 1000);
        while (sending && sent < due && sent - received < FIXED_MODE_MAX_IN_FLIGHT) send();
      }, PACER_TICK_MS),
    );
  }
  timers.push(setTimeout(() => (cpuFrom = process.cpuUsage()), measureStart - t0));

  return new Promise((resolve) => {
    timers.push(
      setTimeout(() => {
        sending = false;
        cpu = cpuShare(cpuFrom, o.seconds * 1000);
        const drainDeadline = performance.now() + o.drainTimeoutMs;
        const poll = setInterval(() => {
          if (received < sent && performance.now() < drainDeadline) return;
          clearInterval(poll);
          for (const t of timers) clearTimeout(t);
          const perSecond = buckets.rates();
          resolve({
            sent,
            received,
            missing: sent - received,
            duplicates,
            anomalies,
            publishErrors,
            sendRate: sentInWindow / o.seconds,
            perSecond,
            medianRate: median(perSecond),
            latency: summarizeLatencies(latencies.view()),
            cpu,
          });
        }, 10);
      }, measureEnd - t0),
    );
  });
}

function grow(seen: Uint8Array, index: number): Uint8Array {
  let size = seen.length;
  while (size <= index) size *= 2;
  const bigger = new Uint8Array(size);
  bigger.set(seen);
  return bigger;
}
