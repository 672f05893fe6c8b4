import { withModel } from '../helpers/with-model.js';
import type { Client } from 'aedes';
import type { EmbeddedBroker } from '../../src/adapters/broker/embedded-broker.js';
import { silentLogger } from '../../src/support/logger.js';
import type { AnomalyModel } from '../../src/core/model/types.js';
import { createWorker, type Worker } from '../../src/worker/worker.js';
import {
  connectClient,
  createResources,
  startTestBroker,
  waitForEvent,
  waitForMessage,
  waitForMessages,
  withTimeout,
  type Listenable,
  type ReceivedMessage,
  CONTRACT_TOPICS,
} from '../helpers/mqtt.js';
import { trainedModel } from '../helpers/trained-model.js';

const topics = CONTRACT_TOPICS;
const baseline = { timestamp: '2024-01-20T10:30:00', temperature: 25.5, humidity: 48.2, sound: 62.1 };
const outlier = { ...baseline, temperature: 90 };
const json = (m: ReceivedMessage) => JSON.parse(m.payload.toString()) as Record<string, unknown>;

describe('worker', () => {
  const resources = createResources();
  afterEach(() => resources.closeAll());
  let model: AnomalyModel;
  beforeAll(async () => {
    model = await trainedModel();
  });

  async function setup(clientId = `worker-${Math.random().toString(36).slice(2)}`) {
    const broker = await startTestBroker(resources);
    const worker = startWorker(broker, clientId);
    await worker.start();
    const observer = await connectClient(resources, broker.url);
    await observer.subscribeAsync(['factory/anomalies', 'factory/scores/#', 'factory/errors', 'factory/status/#'], { qos: 1 });
    const device = await connectClient(resources, broker.url);
    return { broker, worker, observer, device };
  }

  function startWorker(broker: EmbeddedBroker, clientId: string): Worker {
    const worker = createWorker({
      url: broker.url,
      clientId,
      qos: 1,
      topics,
      maxPayloadBytes: 65536,
      ...withModel(() => model),
      logger: silentLogger(),
    });
    resources.add(worker, (w) => w.stop());
    return worker;
  }

  it('when an anomalous reading is published, then an anomaly with the contract fields is published', async () => {
    const { observer, device } = await setup();
    const anomaly = waitForMessage(observer, 'factory/anomalies');
    await device.publishAsync('factory/sensors/line1/press-3', JSON.stringify(outlier), { qos: 1 });
    const message = json(await anomaly);
    expect(message).toEqual({
      device: 'line1/press-3',
      topic: 'factory/sensors/line1/press-3',
      input_data: outlier,
      prediction: expect.objectContaining({
        anomaly_score: expect.any(Number),
        is_anomaly: true,
        threshold: expect.any(Number),
        explanation: expect.objectContaining({ temperature: expect.any(Number) }),
      }),
      model: expect.objectContaining({ id: model.info.id, engine: model.info.engine }),
      scored_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    const prediction = message.prediction as { anomaly_score: number; threshold: number; explanation: Record<string, number> };
    expect(prediction.anomaly_score).toBeGreaterThanOrEqual(prediction.threshold);
    const top = Object.entries(prediction.explanation).sort((a, b) => b[1] - a[1])[0];
    expect(top?.[0]).toBe('temperature');
  });

  it('when a baseline reading is published, then it is scored but is not an anomaly', async () => {
    const { observer, device } = await setup();
    const score = waitForMessage(observer, 'factory/scores/line1/press-3');
    // QoS 1 from one publisher keeps order, so the first anomaly seen must be the outlier sent second.
    const firstAnomaly = waitForMessage(observer, 'factory/anomalies');
    await device.publishAsync('factory/sensors/line1/press-3', JSON.stringify(baseline), { qos: 1 });
    await device.publishAsync('factory/sensors/line1/press-3', JSON.stringify(outlier), { qos: 1 });
    const scored = json(await score);
    expect(scored).toMatchObject({ device: 'line1/press-3', input_data: baseline, prediction: { is_anomaly: false } });
    expect(json(await firstAnomaly).input_data).toEqual(outlier);
  });

  it('when garbage arrives, then each message is dead-lettered with a reason and the next good reading is scored', async () => {
    const { worker, observer, device } = await setup();
    const garbage: Array<[string, Buffer, string]> = [
      ['invalid JSON', Buffer.from('{"temperature": 2'), 'invalid_json'],
      ['a string temperature', Buffer.from(JSON.stringify({ ...baseline, temperature: 'hot' })), 'invalid_reading'],
      ['an empty payload', Buffer.alloc(0), 'empty_payload'],
      ['binary', Buffer.from([0xde, 0xad, 0xbe, 0xef, 0xff]), 'not_utf8'],
    ];
    const letters = waitForMessages(observer, 'factory/errors', garbage.length);
    const good = waitForMessage(observer, 'factory/anomalies');
    for (const [, payload] of garbage) await device.publishAsync('factory/sensors/line2/oven-1', payload, { qos: 1 });
    await device.publishAsync('factory/sensors/line2/oven-1', JSON.stringify(outlier), { qos: 1 });

    const received = (await letters).map(json);
    expect(received.map((l) => l.code)).toEqual(garbage.map(([, , code]) => code));
    for (const letter of received) {
      expect(letter).toMatchObject({ topic: 'factory/sensors/line2/oven-1', reason: expect.stringMatching(/\w/) });
    }
    expect(received[3]).toMatchObject({ payload_encoding: 'base64', payload: '3q2+7/8=' });
    expect(json(await good).device).toBe('line2/oven-1');
    expect(worker.stats()).toMatchObject({ rejected: 4, scored: 1, anomalies: 1 });
  });

  it('when the worker connects, then its retained status is online; when its socket dies, the will says offline', async () => {
    const clientId = 'worker-status-test';
    const { broker } = await setup(clientId);
    const late = await connectClient(resources, broker.url);
    const retained = waitForMessage(late, 'factory/status/worker');
    await late.subscribeAsync('factory/status/worker', { qos: 1 });
    expect((await retained).payload.toString()).toBe('online');

    const offline = waitForMessage(late, 'factory/status/worker', (m) => m.payload.toString() === 'offline');
    const backOnline = waitForMessage(late, 'factory/status/worker', (m) => m.payload.toString() === 'online', 8000);
    const conn = (broker.aedes as unknown as { clients: Record<string, { conn: { destroy(): void } }> }).clients[clientId];
    expect(conn).toBeDefined();
    conn!.conn.destroy();
    await offline;
    // and it reconnects by itself
    await backOnline;
  });

  it('when the worker is down, then readings published meanwhile are scored after it restarts (persistent session)', async () => {
    const clientId = 'worker-session-test';
    const { broker, worker, observer, device } = await setup(clientId);
    await worker.stop();
    for (let i = 0; i < 5; i++) {
      await device.publishAsync('factory/sensors/line1/press-1', JSON.stringify({ ...baseline, seq: i }), { qos: 1 });
    }
    const scores = waitForMessages(observer, 'factory/scores/line1/press-1', 5);
    await startWorker(broker, clientId).start();
    const seqs = (await scores).map((m) => (json(m).input_data as { seq: number }).seq);
    expect(seqs).toEqual([0, 1, 2, 3, 4]);
  });

  it('when its results are still unacknowledged at the stop deadline, then stop closes the connection anyway', async () => {
    // A broker that never answers the worker's result publishes (overloaded, or a half-open connection).
    const broker = await startTestBroker(resources, {
      hooks: { authorizePublish: (_client, packet, done) => void (packet.topic.startsWith('factory/scores/') ? undefined : done(null)) },
    });
    const clientId = 'worker-stuck-results';
    const worker = startWorker(broker, clientId);
    await worker.start();
    const device = await connectClient(resources, broker.url);
    await device.publishAsync('factory/sensors/line1/press-1', JSON.stringify(baseline), { qos: 1 });
    await expect(worker.drain(() => worker.stats().scored === 1, 5000)).resolves.toBe(true);

    const gone = waitForEvent<[{ id: string }]>(broker.aedes, 'clientDisconnect', (client) => client.id === clientId);
    await worker.stop(200);
    expect(worker.health().connected).toBe(false);
    await gone;
  });

  it('when stopped while its connection is waiting for the CONNACK, then that connection is closed too', async () => {
    let release: () => void = () => undefined;
    let authenticating: (client: Client) => void = () => undefined;
    const asked = new Promise<Client>((resolve) => (authenticating = resolve));
    const broker = await startTestBroker(resources, {
      hooks: {
        authenticate: (client, _user, _password, done) => {
          release = () => done(null, true);
          authenticating(client);
        },
      },
    });
    const worker = startWorker(broker, 'worker-stopped-connecting');
    void worker.start().catch(() => undefined);
    const client = await asked;
    const closed = waitForEvent(client.conn as unknown as Listenable, 'close');
    await worker.stop(1000);
    release(); // the CONNACK arrives after the stop
    await closed;
  });

  it('when stopped before it has subscribed, then start() rejects instead of never settling', async () => {
    let authenticating: () => void = () => undefined;
    const asked = new Promise<void>((resolve) => (authenticating = resolve));
    // A broker that never answers the CONNECT (overloaded, or a password check that hangs).
    const broker = await startTestBroker(resources, { hooks: { authenticate: () => authenticating() } });
    const worker = startWorker(broker, 'worker-never-connected');
    const started = expect(withTimeout(worker.start(), 2000, 'start() to settle')).rejects.toThrow(/stopped before/);
    await asked;
    await worker.stop(1000);
    await started;
  });

  it('when stopped, then it says offline, resolves, and a second stop is harmless', async () => {
    const { worker, observer } = await setup();
    const offline = waitForMessage(observer, 'factory/status/worker', (m) => m.payload.toString() === 'offline');
    await worker.stop();
    await offline;
    await expect(worker.stop()).resolves.toBeUndefined();
    expect(worker.health()).toMatchObject({ connected: false, subscribed: false, stopping: true });
  });
});
