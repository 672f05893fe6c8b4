import { connectAsync, type MqttClient } from 'mqtt';
import type { RejectCode as MessageRejectCode } from '../../src/core/stages/ingest.js';
import type { WorkerStats } from '../../src/worker/worker-stats.js';
import { DeadLetterCollector } from './dead-letters.js';
import { createFailures, tally, type Failures } from './failures.js';
import { checkFuzzLimit, createPayloadFuzzer } from './payloads.js';
import { publishGoodReading, wrongTopics } from './mqtt-topics.js';

export interface MqttFuzzOptions {
  url: string;
  seed: number;
  /** Malformed payloads to publish; about 1 % more messages go to wrong topics. */
  count: number;
  /** The worker's topics: sensor prefix (`factory/sensors`), dead letters, results prefix. */
  sensorPrefix: string;
  errorsTopic: string;
  scoresPrefix: string;
  /** The worker's payload limit; must sit between the fuzz size bounds. */
  maxPayloadBytes: number;
  workerStats(): Readonly<WorkerStats>;
  /** Publishes awaiting their PUBACK at once. Default 64. */
  window?: number;
  /** Give up when no dead letter arrives for this long. Default 10 s. */
  idleTimeoutMs?: number;
}

export interface MqttFuzzReport {
  /** Bad messages published: malformed payloads plus wrong topics. */
  sent: number;
  malformed: number;
  wrongTopic: number;
  deadLetters: number;
  byCode: Record<string, number>;
  byFamily: Record<string, number>;
  payloadBytes: number;
  /** The good reading published after them all came back scored. */
  goodScored: boolean;
  failureCount: number;
  failures: string[];
}

let clients = 0;

/**
 * Publishes `count` malformed payloads (QoS 1, pipelined, at most `window` in
 * flight) and a few wrong-topic messages, then checks: one dead letter each,
 * with the expected code and a reason; the worker's counters agree; a good
 * reading published afterwards is scored.
 */
export async function runMqttFuzz(options: MqttFuzzOptions): Promise<MqttFuzzReport> {
  checkFuzzLimit('maxPayloadBytes', options.maxPayloadBytes);
  const { seed, count, sensorPrefix } = options;
  const failures = createFailures();
  const fuzzPrefix = `${sensorPrefix}/fuzz/`;
  const collector = new DeadLetterCollector(fuzzPrefix, failures);
  const byFamily: Record<string, number> = {};
  const before = snapshot(options.workerStats());
  const id = `${process.pid}-${(clients += 1)}`;
  const observer = await connectAsync(options.url, { clientId: `fuzz-observer-${id}`, reconnectPeriod: 0 });
  const device = await connectAsync(options.url, { clientId: `fuzz-device-${id}`, reconnectPeriod: 0 });
  try {
    observer.on('message', (topic, payload) => {
      if (topic === options.errorsTopic) collector.onLetter(payload.toString('utf8'));
    });
    await observer.subscribeAsync([options.errorsTopic, `${options.scoresPrefix}/fuzz-good/#`], { qos: 1 });

    const publisher = windowedPublisher(device, options.window ?? 64, failures);
    const fuzzer = createPayloadFuzzer(seed);
    let payloadBytes = 0;
    for (let i = 0; i < count; i++) {
      const c = fuzzer.next();
      const topic = `${fuzzPrefix}${i}`;
      collector.expect(i, { topic, code: c.mqtt, bytes: c.bytes.length, family: c.family });
      tally(byFamily, c.family);
      payloadBytes += c.bytes.length;
      await publisher.publish(topic, c.bytes);
    }
    const wrong = wrongTopics(sensorPrefix);
    const wrongCount = Math.max(wrong.length, Math.round(count / 100));
    for (let j = 0; j < wrongCount; j++) {
      const index = count + j;
      const topic = wrong[j % wrong.length]!;
      const bytes = Buffer.from(JSON.stringify({ temperature: 25, humidity: 50, sound: 60, fuzz_case: index }));
      collector.expect(index, { topic, code: 'invalid_topic' satisfies MessageRejectCode, bytes: bytes.length, family: 'wrong-topic' });
      tally(byFamily, 'wrong-topic');
      await publisher.publish(topic, bytes);
    }
    await publisher.drain();
    await collector.seal(options.idleTimeoutMs ?? 10_000);

    const goodScored = await publishGoodReading(device, observer, options, `fuzz-good/${id}`, failures);
    checkCounters(before, snapshot(options.workerStats()), collector.byCode, count + wrongCount, goodScored, failures);
    if (Object.keys(Object.prototype).length > 0) failures.add(`Object.prototype was polluted: ${Object.keys(Object.prototype).join(', ')}`);

    return {
      sent: count + wrongCount,
      malformed: count,
      wrongTopic: wrongCount,
      deadLetters: collector.letters,
      byCode: collector.byCode,
      byFamily,
      payloadBytes,
      goodScored,
      failureCount: failures.count,
      failures: failures.list(),
    };
  } finally {
    await Promise.all([device.endAsync(true), observer.endAsync(true)]);
  }
}

/** QoS 1 publishes with a bounded number awaiting their PUBACK. */
function windowedPublisher(client: MqttClient, window: number, failures: Failures) {
  const inFlight = new Set<Promise<void>>();
  return {
    async publish(topic: string, payload: Buffer): Promise<void> {
      const p: Promise<void> = client.publishAsync(topic, payload, { qos: 1 }).then(
        () => void inFlight.delete(p),
        (err: unknown) => {
          inFlight.delete(p);
          failures.add(`publish to ${topic} failed: ${(err as Error).message}`);
        },
      );
      inFlight.add(p);
      if (inFlight.size >= window) await Promise.race(inFlight);
    },
    drain: () => Promise.all(inFlight).then(() => undefined),
  };
}

type Counters = Pick<WorkerStats, 'received' | 'scored' | 'rejected'> & { byCode: Record<string, number> };

function snapshot(stats: Readonly<WorkerStats>): Counters {
  return { received: stats.received, scored: stats.scored, rejected: stats.rejected, byCode: { ...stats.rejectedByCode } as Record<string, number> };
}

function checkCounters(before: Counters, after: Counters, letters: Record<string, number>, bad: number, goodScored: boolean, failures: Failures): void {
  const good = goodScored ? 1 : 0;
  if (after.received - before.received !== bad + good) failures.add(`worker received ${after.received - before.received}, expected ${bad + good}`);
  if (after.rejected - before.rejected !== bad) failures.add(`worker rejected ${after.rejected - before.rejected}, expected ${bad}`);
  if (after.scored - before.scored !== good) failures.add(`worker scored ${after.scored - before.scored}, expected ${good}`);
  for (const code of new Set([...Object.keys(after.byCode), ...Object.keys(letters)])) {
    const counted = (after.byCode[code] ?? 0) - (before.byCode[code] ?? 0);
    if (counted !== (letters[code] ?? 0)) failures.add(`worker counted ${counted} ${code}, dead letters say ${letters[code] ?? 0}`);
  }
}
