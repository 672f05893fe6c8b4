import { FAMILIES } from '../../tools/fuzz/payloads.js';
import { MB, retainedBytes } from '../../tools/fuzz/heap.js';
import { runMqttFuzz } from '../../tools/fuzz/mqtt-fuzz.js';
import { runMqttViolations } from '../../tools/fuzz/mqtt-violations.js';
import { captureLogs } from '../helpers/fuzz-logs.js';
import { FUZZ_MAX_PAYLOAD_BYTES, FUZZ_TOPICS, startFuzzTarget } from '../helpers/fuzz-mqtt.js';
import { connectClient, createResources, waitForMessage } from '../helpers/mqtt.js';

const json = (payload: Buffer) => JSON.parse(payload.toString('utf8')) as Record<string, unknown>;
const reading = { temperature: 25.2, humidity: 49.8, sound: 60.4 };
const topics = { sensorPrefix: 'factory/sensors', errorsTopic: FUZZ_TOPICS.errors, scoresPrefix: 'factory/scores' };

/**
 * The bound on memory growth over the 10,000-message run, measured after a
 * full GC and including Buffers (they live outside the JS heap). The run pushes
 * about 77 MB of payloads (56 of them over 1 MiB), so a broker, worker or
 * client that kept the payloads would exceed it. Measured growth is about
 * 3 MB: 1 MB of JS heap and 2 MB held by mqtt-packet's cache of remaining-
 * length prefixes (one pooled Buffer slice per distinct packet length under
 * 16 KiB, each pinning an 8 KiB pool block: bounded, but it grows with the
 * variety of lengths, see mqttjs/mqtt-packet#163). 50 MB leaves room for that
 * cache and V8 noise. Small per-message leaks hide under it; the 100,000-
 * message run of tools/fuzz/main.ts is the one that shows them.
 */
const HEAP_GROWTH_BOUND = 50 * MB;

describe('MQTT hostile input', () => {
  const resources = createResources();
  afterEach(() => resources.closeAll());

  it('when 10,000 malformed payloads and wrong topics are published, then each gets one dead letter with a code and a reason, the counters agree, a good reading is still scored and memory returns to its baseline', async () => {
    const logs = captureLogs();
    const { broker, worker } = await startFuzzTarget(resources, logs.logger);
    const run = (seed: number, count: number) =>
      // A short idle timeout, so missing dead letters fail with a list of them rather than with the test's timeout.
      runMqttFuzz({ url: broker.url, seed, count, ...topics, maxPayloadBytes: FUZZ_MAX_PAYLOAD_BYTES, workerStats: () => worker.stats(), idleTimeoutMs: 3000 });
    await run(1, 300); // warm-up: code paths compiled, connections and buffers in place
    const baseline = retainedBytes();

    const report = await run(7, 10_000);
    const growth = retainedBytes() - baseline;

    expect(report.failures).toEqual([]);
    expect(report).toMatchObject({ malformed: 10_000, deadLetters: report.sent, goodScored: true });
    expect(report.wrongTopic).toBeGreaterThanOrEqual(100);
    expect(Object.keys(report.byFamily).sort()).toEqual([...FAMILIES.map((f) => f.name), 'wrong-topic'].sort());
    expect(Object.keys(report.byCode).sort()).toEqual(['batch_too_large', 'empty_batch', 'empty_payload', 'invalid_json', 'invalid_reading', 'invalid_topic', 'not_utf8', 'payload_too_large']);
    expect(report.byFamily.huge).toBeGreaterThanOrEqual(20);
    expect(worker.health()).toEqual({ connected: true, subscribed: true, stopping: false });
    expect(Object.keys(Object.prototype)).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // One log line per code at least (the worker throttles repeats), each with the reason.
    for (const code of Object.keys(report.byCode)) {
      expect(logs.lines).toContainEqual(expect.objectContaining({ msg: 'message rejected', code, reason: expect.stringMatching(/\w/) }));
    }
    expect(growth).toBeLessThan(HEAP_GROWTH_BOUND);
  }, 60_000);

  it('when a client publishes to wildcard, empty or 120-level topics or sends raw garbage, then the broker hangs up on it, the worker never sees it, and the publisher can reconnect and be scored', async () => {
    const { broker, worker } = await startFuzzTarget(resources);
    const report = await runMqttViolations({ url: broker.url, ...topics });
    expect(report.failures).toEqual([]);
    expect(report.attempts).toBeGreaterThanOrEqual(9);
    expect(report).toMatchObject({ refused: report.attempts, rawRefused: report.rawAttempts, goodScored: true });
    expect(worker.stats()).toMatchObject({ received: 1, scored: 1, rejected: 0 });
    expect(worker.health()).toEqual({ connected: true, subscribed: true, stopping: false });
  });

  it('when a valid reading carries a 10,000-level nested extra field, then it is dead-lettered with a reason, not dropped', async () => {
    const { broker, worker } = await startFuzzTarget(resources);
    const observer = await connectClient(resources, broker.url);
    await observer.subscribeAsync([FUZZ_TOPICS.errors, 'factory/scores/#'], { qos: 1 });
    const device = await connectClient(resources, broker.url);
    const deep = `{"temperature":25,"humidity":50,"sound":60,"meta":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;

    const letter = waitForMessage(observer, FUZZ_TOPICS.errors);
    const scored = waitForMessage(observer, 'factory/scores/line1/ok');
    await device.publishAsync('factory/sensors/line1/deep', deep, { qos: 1 });
    await device.publishAsync('factory/sensors/line1/ok', JSON.stringify(reading), { qos: 1 });

    expect(json((await letter).payload)).toMatchObject({
      topic: 'factory/sensors/line1/deep',
      code: 'invalid_reading',
      reason: expect.stringMatching(/nested/),
    });
    expect(json((await scored).payload)).toMatchObject({ device: 'line1/ok', input_data: reading });
    expect(worker.stats()).toMatchObject({ received: 2, rejected: 1, scored: 1, rejectedByCode: { invalid_reading: 1 } });
  });
});
