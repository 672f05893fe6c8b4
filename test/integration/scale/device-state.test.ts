import { loadConfig } from '../../../src/app/config.js';
import { startPipeline, type Pipeline } from '../../../src/app/start-pipeline.js';
import { SettingError } from '../../../src/support/setting-error.js';
import { silentLogger } from '../../../src/support/logger.js';
import { connectClient, createResources, startTestBroker, waitForMessage, waitForMessages } from '../../helpers/mqtt.js';
import { describeWithPrograms } from '../../helpers/mosquitto.js';
import { freePort } from '../../helpers/processes.js';
import { startRedis } from '../../helpers/redis.js';

interface Result {
  device: string;
  prediction: { status: string; anomaly_score: number };
  model: { id: string };
}

/** DEVICE_STATE_REDIS_URL: a device's model moves between workers through a real redis-server. */
describeWithPrograms(['redis-server'], 'apt-get install redis-server')('device state in Redis', () => {
  const resources = createResources();
  afterEach(() => resources.closeAll());
  const WARMUP = 16;
  const reading = (i: number) => JSON.stringify({ temperature: 25 + (i % 5) / 10, humidity: 50 + (i % 3) / 10, sound: 60 + (i % 4) / 10 });

  async function worker(url: string, redisUrl: string, env: Record<string, string> = {}): Promise<Pipeline> {
    const config = loadConfig({
      MQTT_URL: url,
      HTTP_PORT: '0',
      LOG_LEVEL: 'silent',
      MODEL_SCOPE: 'device',
      MODEL_WARMUP: String(WARMUP),
      DEVICE_STATE_REDIS_URL: redisUrl,
      ...env,
    });
    const pipeline = await startPipeline(config, silentLogger(), { broker: false, worker: true, simulator: false });
    return resources.add(pipeline, (p) => p.shutdown.run('test over'));
  }

  async function setup() {
    const broker = await startTestBroker(resources);
    const redis = await startRedis(resources);
    const observer = await connectClient(resources, broker.url);
    await observer.subscribeAsync('factory/scores/#', { qos: 1 });
    const device = await connectClient(resources, broker.url);
    const send = async (name: string, count: number) => {
      for (let i = 0; i < count; i++) await device.publishAsync(`factory/sensors/line1/${name}`, reading(i), { qos: 1 });
    };
    const next = (name: string) => waitForMessage(observer, `factory/scores/line1/${name}`).then((m) => JSON.parse(m.payload.toString()) as Result);
    return { broker, redis, observer, send, next };
  }

  it('when the worker holding a device stops, then the next worker scores it with the same model, without a warm-up', async () => {
    const { broker, redis, observer, send, next } = await setup();
    const first = await worker(broker.url, redis.url, { WORKER_ID: 'a' });
    const warmup = waitForMessages(observer, 'factory/scores/line1/press-1', WARMUP + 1);
    await send('press-1', WARMUP + 1);
    const trained = JSON.parse((await warmup)[WARMUP]!.payload.toString()) as Result;
    expect(trained.prediction.status).toBe('ready');
    await first.shutdown.run('rebalance');

    await worker(broker.url, redis.url, { WORKER_ID: 'b' });
    const result = next('press-1');
    await send('press-1', 1);
    expect(await result).toMatchObject({ prediction: { status: 'ready' }, model: { id: trained.model.id } });
  });

  it('when a worker evicts a device, then a worker on another broker loads its model while the first still runs', async () => {
    const { broker, redis, observer, send, next } = await setup();
    const first = await worker(broker.url, redis.url, { WORKER_ID: 'a', MODEL_MAX_DEVICES: '1' });
    const warmup = waitForMessages(observer, 'factory/scores/line1/oven-1', WARMUP + 1);
    await send('oven-1', WARMUP + 1);
    const trained = JSON.parse((await warmup)[WARMUP]!.payload.toString()) as Result;
    // A second device takes the only slot: oven-1's model is evicted, to Redis.
    const other = next('oven-2');
    await send('oven-2', 1);
    await other;

    // Another plant hall: its own broker and worker, the same Redis.
    const hall = await startTestBroker(resources);
    const second = await worker(hall.url, redis.url, { WORKER_ID: 'b' });
    const hallObserver = await connectClient(resources, hall.url);
    await hallObserver.subscribeAsync('factory/scores/#', { qos: 1 });
    const result = waitForMessage(hallObserver, 'factory/scores/line1/oven-1');
    const device = await connectClient(resources, hall.url);
    await device.publishAsync('factory/sensors/line1/oven-1', reading(0), { qos: 1 });
    expect(JSON.parse((await result).payload.toString())).toMatchObject({ prediction: { status: 'ready' }, model: { id: trained.model.id } });
    expect(second.detector!.stats().restored).toBe(1);
    // Saved by the eviction alone: the first worker is still running and has closed nothing.
    expect(first.worker!.health().subscribed).toBe(true);
    expect(first.detector!.stats().store).toMatchObject({ saved: 1, saveErrors: 0 });
  });

  it('when a device moves to another worker, then its time context moves too: the next reading scores exactly as without the move', async () => {
    // Timestamps carried by the readings, so both runs see the same event times.
    const timed = (i: number) => JSON.stringify({ timestamp: 1_700_000_000_000 + i * 1000, temperature: 25 + (i % 5) / 10, humidity: 50, sound: 60 + (i % 3) / 5 });
    const scoreOfLast = async (moveAfter: number | undefined): Promise<{ score: number; restored: number }> => {
      const broker = await startTestBroker(resources);
      const redis = await startRedis(resources);
      const observer = await connectClient(resources, broker.url);
      await observer.subscribeAsync('factory/scores/#', { qos: 1 });
      const device = await connectClient(resources, broker.url);
      const env = { MODEL_SCOPE: 'global', WORKER_ID: 'a' };
      let current = await worker(broker.url, redis.url, env);
      const results = waitForMessages(observer, 'factory/scores/line2/pump-1', 41);
      for (let i = 0; i <= 40; i++) {
        if (i === moveAfter) {
          await current.shutdown.run('moved');
          current = await worker(broker.url, redis.url, { ...env, WORKER_ID: 'b' });
        }
        await device.publishAsync('factory/sensors/line2/pump-1', timed(i), { qos: 1 });
      }
      const last = JSON.parse((await results)[40]!.payload.toString()) as Result;
      return { score: last.prediction.anomaly_score, restored: current.detector!.stats().contextsRestored };
    };
    const moved = await scoreOfLast(40);
    const stayed = await scoreOfLast(undefined);
    expect(moved.restored).toBe(1);
    expect(stayed.restored).toBe(0);
    expect(moved.score).toBe(stayed.score);
  });

  it('when the device-state Redis cannot be reached, then the worker refuses to start, naming the variable', async () => {
    const broker = await startTestBroker(resources);
    const port = await freePort();
    const refused = worker(broker.url, `redis://127.0.0.1:${port}`);
    await expect(refused).rejects.toThrow(SettingError);
    await expect(refused).rejects.toThrow(/cannot reach the device-state Redis \(deviceState\.redisUrl\)/);
  });
});
