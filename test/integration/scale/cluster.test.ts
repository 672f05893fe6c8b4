import { loadConfig } from '../../../src/app/config.js';
import { startBroker, type EmbeddedBroker } from '../../../src/adapters/broker/embedded-broker.js';
import { BrokerSetupError } from '../../../src/adapters/broker/setup-error.js';
import { startPipeline } from '../../../src/app/start-pipeline.js';
import { silentLogger } from '../../../src/support/logger.js';
import mqtt from 'mqtt';
import { connectClient, createResources, waitForEvent, waitForMessage, waitForMessages, type Resources } from '../../helpers/mqtt.js';
import { describeWithPrograms } from '../../helpers/mosquitto.js';
import { freePort } from '../../helpers/processes.js';
import { startRedis } from '../../helpers/redis.js';

/** BROKER_REDIS_URL: embedded brokers joined through a real redis-server (mqemitter-redis). */
describeWithPrograms(['redis-server'], 'apt-get install redis-server')('Redis-joined brokers', () => {
  const resources = createResources();
  afterEach(() => resources.closeAll());
  const outlier = JSON.stringify({ temperature: 90, humidity: 48.2, sound: 62.1 });

  async function node(r: Resources, redisUrl: string, sharedStore = false): Promise<EmbeddedBroker> {
    const store = sharedStore ? { store: { kind: 'redis' as const, url: redisUrl } } : {};
    const broker = await startBroker({ host: '127.0.0.1', port: 0, logger: silentLogger(), redisUrl, ...store });
    return r.add(broker, (b) => b.close());
  }

  it('when a client publishes on one broker, then a subscriber on the other receives it', async () => {
    const redis = await startRedis(resources);
    const [a, b] = [await node(resources, redis.url), await node(resources, redis.url)];
    const subscriber = await connectClient(resources, a.url);
    await subscriber.subscribeAsync('factory/#', { qos: 1 });
    const received = waitForMessage(subscriber, 'factory/x/y');
    const publisher = await connectClient(resources, b.url);
    await publisher.publishAsync('factory/x/y', 'across', { qos: 1 });
    expect((await received).payload.toString()).toBe('across');
  });

  it('when a device is on broker A and the worker on broker B, then the anomaly reaches a viewer on A', async () => {
    const redis = await startRedis(resources);
    const a = await node(resources, redis.url);
    const env = { MQTT_PORT: '0', MQTT_WS_PORT: '0', HTTP_PORT: '0', SIMULATOR_ENABLED: 'false', LOG_LEVEL: 'silent', BROKER_REDIS_URL: redis.url };
    const b = await startPipeline(loadConfig(env), silentLogger(), { broker: true, worker: true, simulator: false });
    resources.add(b, (p) => p.shutdown.run('test over'));

    const viewer = await connectClient(resources, a.url);
    await viewer.subscribeAsync('factory/anomalies', { qos: 1 });
    const anomaly = waitForMessage(viewer, 'factory/anomalies');
    const device = await connectClient(resources, a.url);
    await device.publishAsync('factory/sensors/line1/press-9', outlier, { qos: 1 });
    expect(JSON.parse((await anomaly).payload.toString())).toMatchObject({ device: 'line1/press-9', prediction: { is_anomaly: true } });
    expect(b.worker!.stats().scored).toBe(1);
  });

  it('when the brokers also share a Redis store (BROKER_STORE), then a worker away from B gets what was published on A, on either node', async () => {
    const redis = await startRedis(resources);
    const [a, b] = [await node(resources, redis.url, true), await node(resources, redis.url, true)];
    const session = { clientId: 'worker-session', clean: false };
    const worker = await connectClient(resources, b.url, session);
    await worker.subscribeAsync('factory/sensors/#', { qos: 1 });
    await worker.endAsync();
    const device = await connectClient(resources, a.url);
    for (let i = 0; i < 5; i++) await device.publishAsync(`factory/sensors/line1/d-${i}`, String(i), { qos: 1 });
    // Back on the other node: its session, subscription and queue are in the shared store.
    const back = mqtt.connect(a.url, { ...session, reconnectPeriod: 0 });
    resources.add(back, (c) => c.endAsync(true));
    const received = await waitForMessages(back, 'factory/sensors/#', 5);
    expect(received.map((m) => m.payload.toString()).sort()).toEqual(['0', '1', '2', '3', '4']);
  });

  it('when a client id connects on broker B, then its older connection on broker A is closed (one session per id in the cluster)', async () => {
    const redis = await startRedis(resources);
    const [a, b] = [await node(resources, redis.url), await node(resources, redis.url)];
    const first = await connectClient(resources, a.url, { clientId: 'same-id' });
    const closed = waitForEvent(first, 'close');
    await connectClient(resources, b.url, { clientId: 'same-id' });
    await closed;
  });

  it('when Redis cannot be reached, then the broker refuses to start, naming the setting', async () => {
    const port = await freePort();
    const start = startBroker({ host: '127.0.0.1', port: 0, logger: silentLogger(), redisUrl: `redis://127.0.0.1:${port}` });
    await expect(start).rejects.toThrow(BrokerSetupError);
    await expect(start).rejects.toThrow(/cannot reach the Redis that joins the brokers \(broker\.redisUrl\)/);
  });
});
