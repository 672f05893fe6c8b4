/**
 * Gateway batches (issue 8, part 2) through the real broker and worker: a JSON array of readings is scored
 * reading by reading, a bad element is dead-lettered alone with its index, and the array itself is bounded
 * by MAX_BATCH. The default sensors, so the demo's /predict contract is checked on the same pipeline.
 */
import type { MqttClient } from 'mqtt';
import type { Pipeline } from '../../src/app/start-pipeline.js';
import type { DeadLetter, ResultMessage } from '../../src/core/messages.js';
import { baseline, postJson } from '../helpers/http.js';
import { connectClient, createResources, waitForMessage, waitForMessages, type ReceivedMessage } from '../helpers/mqtt.js';
import { startLocalPipeline } from '../helpers/pipeline.js';

const TOPIC = 'factory/sensors/line1/gateway-1';
const json = <T>(m: ReceivedMessage) => JSON.parse(m.payload.toString()) as T;
const reading = (seq: number) => ({ timestamp: `2024-01-20T10:30:0${seq}`, temperature: 25 + seq / 10, humidity: 50, sound: 60, seq });

describe('gateway batches over MQTT', () => {
  const shared = createResources();
  const resources = createResources();
  afterEach(() => resources.closeAll());
  afterAll(() => shared.closeAll());
  let pipeline: Pipeline;
  let observer: MqttClient;
  let gateway: MqttClient;

  beforeAll(async () => {
    pipeline = await startLocalPipeline(shared, { MAX_BATCH: '3', MODEL_TRAINING_SIZE: '2000' });
  });

  beforeEach(async () => {
    observer = await connectClient(resources, pipeline.mqttUrl);
    await observer.subscribeAsync(['factory/scores/#', 'factory/errors'], { qos: 1 });
    gateway = await connectClient(resources, pipeline.mqttUrl);
  });

  it('when a batch holds two good readings around a bad one, then both are scored in order and the bad one is dead-lettered with its index', async () => {
    const results = waitForMessages(observer, 'factory/scores/line1/gateway-1', 2);
    const letter = waitForMessage(observer, 'factory/errors');
    const batch = [reading(1), { ...reading(2), humidity: 'wet' }, reading(3)];
    const before = { ...pipeline.worker!.stats() };
    await gateway.publishAsync(TOPIC, JSON.stringify(batch), { qos: 1 });

    expect((await results).map((m) => json<ResultMessage>(m).input_data)).toEqual([batch[0], batch[2]]);
    const dead = json<DeadLetter>(await letter);
    expect(dead).toMatchObject({ topic: TOPIC, code: 'invalid_reading', batch_index: 1, reason: 'reading [1]: humidity must be a number' });
    const after = pipeline.worker!.stats();
    expect([after.received - before.received, after.scored - before.scored, after.rejected - before.rejected]).toEqual([1, 2, 1]);
  });

  it('when a batch is longer than MAX_BATCH, then it is one dead letter (batch_too_large) and none of it is scored', async () => {
    const letter = waitForMessage(observer, 'factory/errors');
    const next = waitForMessage(observer, 'factory/scores/line1/gateway-1');
    await gateway.publishAsync(TOPIC, JSON.stringify([reading(1), reading(2), reading(3), reading(4)]), { qos: 1 });
    await gateway.publishAsync(TOPIC, JSON.stringify([reading(5)]), { qos: 1 });

    const dead = json<DeadLetter>(await letter);
    expect(dead).toMatchObject({ code: 'batch_too_large', reason: 'the batch holds 4 readings, the limit is 3' });
    expect(dead.batch_index).toBeUndefined();
    // The next message is the one-reading batch: nothing of the refused one was scored before it.
    expect(json<ResultMessage>(await next).input_data).toEqual(reading(5));
  });

  it('when a batch is an empty array, then it is dead-lettered as empty_batch', async () => {
    const letter = waitForMessage(observer, 'factory/errors');
    await gateway.publishAsync(TOPIC, '[]', { qos: 1 });
    expect(json<DeadLetter>(await letter)).toMatchObject({ topic: TOPIC, code: 'empty_batch', payload: '[]' });
  });

  it('when /predict gets the demo reading under the default sensors, then it answers as the original service did', async () => {
    const res = await postJson(`${pipeline.http!.url}/predict`, baseline);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ input_data: baseline, prediction: { is_anomaly: false, threshold: expect.any(Number) }, model: { features: expect.any(Array) } });
    const missing = await postJson(`${pipeline.http!.url}/predict`, { temperature: 25.5 });
    expect(missing.status).toBe(400);
    expect(missing.body.details).toEqual(['humidity is required', 'sound is required']);
  });
});
