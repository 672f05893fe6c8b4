/**
 * The soak's load: publishers send numbered readings at QoS 1 at a steady
 * rate; one subscriber on factory/scores/# checks each number comes back,
 * counts duplicates and measures send-to-result latency, closed minute by minute.
 */
import type { MqttClient } from 'mqtt';
import { connectBenchClient, connectPublishers, endAll } from '../bench/mqtt-clients.js';
import { deviceIds, readEcho, readingPayload, readingPrefixes } from '../bench/readings.js';
import { NumberList, summarizeLatencies } from '../bench/stats.js';

export interface SoakLoadOptions {
  url: string;
  /** Readings per second, all publishers together. */
  rate: number;
  seconds: number;
  publishers: number;
  devices: number;
  /** After publishing stops, how long to wait for the last results. */
  drainMs: number;
  /** Called as each minute closes (and for a last partial minute). */
  onMinute: (row: MinuteRow) => void;
}

export interface MinuteRow {
  /** 1-based. */
  minute: number;
  /** Readings acknowledged by the broker in this minute. */
  sent: number;
  /** Results (first of their reading) received in this minute. */
  scored: number;
  duplicates: number;
  /** Send-to-result latency of this minute's results, ms. */
  p50: number;
  p99: number;
  max: number;
}

export interface SoakLoadResult {
  /** Readings the broker acknowledged. */
  sent: number;
  /** Acknowledged readings with at least one result. */
  scored: number;
  /** Acknowledged readings without a result after the drain. */
  lost: number;
  duplicates: number;
  publishErrors: number;
  minutes: MinuteRow[];
}

export interface SoakLoad {
  /** Stops publishing early (Ctrl-C); the drain and the result follow as usual. */
  stop(): void;
  readonly done: Promise<SoakLoadResult>;
}

/** Above this many readings acknowledged but not yet scored, publishing pauses: the pipeline is not keeping up. */
const MAX_OUTSTANDING = 50_000;

export async function startSoakLoad(o: SoakLoadOptions): Promise<SoakLoad> {
  const runId = Math.random().toString(36).slice(2, 8);
  const subscriber = await connectBenchClient(o.url, `soak-sub-${runId}`);
  await subscriber.subscribeAsync('factory/scores/#', { qos: 1 });
  const publishers = await connectPublishers(o.url, o.publishers, `soak-${runId}`);
  return run(o, subscriber, publishers);
}

function run(o: SoakLoadOptions, subscriber: MqttClient, publishers: MqttClient[]): SoakLoad {
  const prefixes = readingPrefixes(4096, 11);
  const topics = deviceIds(o.devices, 2).map((id) => `factory/sensors/${id}`);
  const t0 = performance.now();
  let endAt = t0 + o.seconds * 1000;
  let acked: Uint8Array = new Uint8Array(1 << 20);
  let seen: Uint8Array = new Uint8Array(1 << 20);
  let published = 0;
  let sent = 0;
  let scoredAcked = 0;
  let scored = 0;
  let duplicates = 0;
  let publishErrors = 0;
  const minutes: MinuteRow[] = [];
  let minute = { sent: 0, scored: 0, duplicates: 0, latencies: new NumberList() };
  let onChange: (() => void) | undefined;

  const closeMinute = () => {
    const latency = summarizeLatencies(minute.latencies.view());
    const row = { minute: minutes.length + 1, sent: minute.sent, scored: minute.scored, duplicates: minute.duplicates, p50: latency.p50, p99: latency.p99, max: latency.max };
    minutes.push(row);
    o.onMinute(row);
    minute = { sent: 0, scored: 0, duplicates: 0, latencies: new NumberList() };
  };

  subscriber.on('message', (_topic, payload) => {
    const now = performance.now();
    const echo = readEcho(payload);
    if (echo === undefined) return;
    seen = ensure(seen, echo.seq);
    if (seen[echo.seq] === 1) {
      duplicates += 1;
      minute.duplicates += 1;
      return;
    }
    seen[echo.seq] = 1;
    scored += 1;
    if (acked[echo.seq] === 1) scoredAcked += 1;
    minute.scored += 1;
    minute.latencies.push(now - echo.sentAt);
    onChange?.();
  });

  const send = () => {
    const seq = published++;
    const payload = readingPayload(prefixes[seq % prefixes.length]!, seq, performance.now());
    publishers[seq % publishers.length]!.publish(topics[seq % topics.length]!, payload, { qos: 1 }, (err) => {
      if (err) return void (publishErrors += 1);
      acked = ensure(acked, seq);
      acked[seq] = 1;
      sent += 1;
      minute.sent += 1;
      // A result can arrive before the PUBACK of its reading.
      if (seen[seq] === 1) scoredAcked += 1;
    });
  };

  let nextMinuteAt = t0 + 60_000;
  const pacer = setInterval(() => {
    const now = performance.now();
    // The last minute closes when the drain ends, so it includes the results of its last readings.
    if (now >= nextMinuteAt && now < endAt) {
      closeMinute();
      nextMinuteAt += 60_000;
    }
    const due = Math.floor((o.rate * (Math.min(now, endAt) - t0)) / 1000);
    while (published < due && published - scored < MAX_OUTSTANDING) send();
    if (now >= endAt) clearInterval(pacer);
  }, 1);

  const done = new Promise<SoakLoadResult>((resolve) => {
    const finish = () => {
      onChange = undefined;
      clearTimeout(drainTimer);
      clearInterval(waitEnd);
      if (minute.sent + minute.scored > 0) closeMinute();
      void endAll([subscriber, ...publishers]);
      resolve({ sent, scored: scoredAcked, lost: sent - scoredAcked, duplicates, publishErrors, minutes });
    };
    let drainTimer: NodeJS.Timeout | undefined;
    // After the last publish: finish once every acknowledged reading is back, or at the drain deadline.
    const waitEnd = setInterval(() => {
      if (performance.now() < endAt || drainTimer) return;
      drainTimer = setTimeout(finish, o.drainMs);
      onChange = () => {
        if (scoredAcked >= sent && published === sent + publishErrors) finish();
      };
      onChange();
    }, 100);
  });

  return {
    stop: () => {
      endAt = Math.min(endAt, performance.now());
    },
    done,
  };
}

function ensure(flags: Uint8Array, index: number): Uint8Array {
  if (index < flags.length) return flags;
  const bigger = new Uint8Array(Math.max(flags.length * 2, index + 1));
  bigger.set(flags);
  return bigger;
}
