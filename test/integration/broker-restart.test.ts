import { simulatorSettings } from '../helpers/settings.js';
import { withModel } from '../helpers/with-model.js';
import { startBroker, type EmbeddedBroker } from '../../src/adapters/broker/embedded-broker.js';
import { loadConfig } from '../../src/app/config.js';
import { silentLogger, type Logger } from '../../src/support/logger.js';
import { startSimulator } from '../../src/simulator/simulator.js';
import { createWorker, type Worker } from '../../src/worker/worker.js';
import { connectClient, createResources, waitForMessage, type ReceivedMessage } from '../helpers/mqtt.js';
import { capturingLogger, type LogRecord } from '../helpers/reliability.js';
import { trainedModel } from '../helpers/trained-model.js';

const config = loadConfig({});
const scoredAfter = (ms: number) => (m: ReceivedMessage) =>
  Date.parse((JSON.parse(m.payload.toString()) as { input_data: { timestamp: string } }).input_data.timestamp) > ms;
const retried = (component: string) => (r: LogRecord) => r.component === component && r.msg === 'reconnecting to broker';

describe('broker restart', () => {
  const resources = createResources();
  afterEach(() => resources.closeAll());

  async function broker(port: number): Promise<EmbeddedBroker> {
    const b = await startBroker({ host: '127.0.0.1', port, logger: silentLogger() });
    return resources.add(b, (x) => x.close());
  }

  /** A started worker on `url` with the real model, stopped at teardown. */
  async function startedWorker(url: string, clientId: string, logger: Logger): Promise<Worker> {
    const model = await trainedModel();
    const worker = createWorker({ url, clientId, qos: 1, topics: config.topics, maxPayloadBytes: 65536, ...withModel(() => model), logger });
    resources.add(worker, (w) => w.stop(1000));
    await worker.start();
    return worker;
  }

  it('when the broker goes away and a new one starts on the same port, then worker and simulator retry, reconnect and new readings are scored', async () => {
    const log = capturingLogger();
    const first = await broker(0);
    const worker = await startedWorker(first.url, `worker-restart-${process.pid}`, log.logger);
    const simulator = await startSimulator({
      url: first.url,
      config: { ...simulatorSettings(config), devices: 2, rate: 25 },
      topics: { sensors: config.topics.sensors, injected: config.topics.injected },
      qos: 1,
      logger: log.logger,
    });
    resources.add(simulator, (s) => s.stop());
    const before = await connectClient(resources, first.url);
    before.on('error', () => undefined); // the reset when the broker goes is expected
    await before.subscribeAsync('factory/scores/#', { qos: 1 });
    await waitForMessage(before, 'factory/scores/#');

    await first.close();
    const downAt = Date.now();
    // Two failed attempts each: the broker really is gone and both keep trying (0.35-0.5 s, then 0.7-1 s apart).
    await log.waitFor(retried('mqtt-source'), 2, 10_000);
    await log.waitFor(retried('simulator'), 2, 10_000);
    expect(worker.health().connected).toBe(false);

    const second = await broker(first.port);
    const restartedAt = Date.now();
    const after = await connectClient(resources, second.url);
    await after.subscribeAsync('factory/scores/#', { qos: 1 });
    await waitForMessage(after, 'factory/scores/#', scoredAfter(restartedAt), 15_000);

    expect(worker.health()).toMatchObject({ connected: true, subscribed: true });
    expect(simulator.stats()).toMatchObject({ connected: true, dropped: expect.any(Number) });
    expect(simulator.stats().dropped).toBeGreaterThan(0); // readings due while the broker was down
    // The new broker's in-memory store knows nothing of the old session: the worker subscribed afresh.
    const connects = log.records.filter((r) => r.component === 'mqtt-source' && r.msg === 'connected');
    expect(connects.map((r) => r.sessionPresent)).toEqual([false, false]);

    const attempts = log.records.filter(retried('mqtt-source')).map((r) => Number(r.time) - downAt);
    console.info(`broker restart: worker reconnect attempts at ${attempts.join(', ')} ms after the broker went down`);
    await simulator.stop();
    await worker.stop(1000);
  });

  it('when the new broker refuses its subscription, then health stops reporting the worker subscribed (and ready)', async () => {
    const log = capturingLogger();
    const first = await broker(0);
    const worker = await startedWorker(first.url, `worker-refused-${process.pid}`, log.logger);
    expect(worker.health()).toMatchObject({ connected: true, subscribed: true });

    await first.close();
    // Restarted with other access rules: the worker may connect but no longer read sensors.
    const second = await startBroker({
      host: '127.0.0.1',
      port: first.port,
      logger: silentLogger(),
      hooks: { authorizeSubscribe: (_client, _subscription, done) => done(null, null) },
    });
    resources.add(second, (b) => b.close());
    await log.waitFor((r) => r.component === 'mqtt-source' && r.msg === 'subscribe failed', 1, 10_000);
    expect(worker.health()).toMatchObject({ connected: true, subscribed: false });
  });
});
