/**
 * Issue 10, finding 4: with BROKER_STORE=redis a broker killed mid-stream and
 * started again loses no acknowledged reading.
 */
import { withModel } from '../../helpers/with-model.js';
import { loadConfig } from '../../../src/app/config.js';
import { silentLogger } from '../../../src/support/logger.js';
import { createWorker } from '../../../src/worker/worker.js';
import { connectClient, createResources } from '../../helpers/mqtt.js';
import { freePort, spawnTracked, type Spawned } from '../../helpers/processes.js';
import { HAS_REDIS, startRedis } from '../../helpers/redis.js';
import { PROCESS_START_TIMEOUT_MS, streamReadings, trackResults } from '../../helpers/reliability.js';
import { trainedModel } from '../../helpers/trained-model.js';

const config = loadConfig({});
if (!HAS_REDIS && process.env.CI) throw new Error('redis-server is missing: .ci/run installs it');
const describeWithRedis = HAS_REDIS ? describe : describe.skip;
if (!HAS_REDIS) console.warn('skipping the broker store tests: redis-server is not installed (apt-get install redis-server)');

describeWithRedis('hardening: broker state in Redis', () => {
  const resources = createResources();
  afterEach(() => resources.closeAll());

  function brokerProcess(port: number, store: string): Promise<Spawned> {
    const broker = spawnTracked(resources, process.execPath, ['--import', 'tsx', 'src/app/cli.ts', 'broker'], {
      ...process.env,
      MQTT_PORT: String(port),
      MQTT_WS_PORT: '',
      BROKER_STORE: store,
      LOG_LEVEL: 'info',
      LOG_PRETTY: 'false',
    });
    return broker.waitForOutput(/"msg":"ready"/, PROCESS_START_TIMEOUT_MS).then(() => broker);
  }

  it('when the broker is killed (SIGKILL) after 8,000 of 20,000 readings and restarted, then every acknowledged reading is scored (0 lost)', async () => {
    const redis = await startRedis(resources);
    const port = await freePort();
    const url = `mqtt://127.0.0.1:${port}`;
    const first = await brokerProcess(port, redis.url);

    const model = await trainedModel();
    const worker = createWorker({ url, clientId: `store-worker-${process.pid}`, qos: 1, topics: config.topics, maxPayloadBytes: 65536, ...withModel(() => model), logger: silentLogger() });
    resources.add(worker, (w) => w.stop(1000));
    await worker.start();
    // Persistent sessions with reconnection, like real clients: what is queued for them survives in Redis.
    const viewer = await connectClient(resources, url, { clientId: `store-viewer-${process.pid}`, clean: false, reconnectPeriod: 100 });
    await viewer.subscribeAsync('factory/scores/#', { qos: 1 });
    const results = trackResults(viewer);
    const device = await connectClient(resources, url, { clientId: `store-device-${process.pid}`, clean: false, reconnectPeriod: 100 });
    viewer.on('error', () => undefined);
    device.on('error', () => undefined);

    const stream = streamReadings(device, 20_000, 2000);
    await stream.waitForAccepted(8000, 30_000);
    first.child.kill('SIGKILL');
    await first.exited;
    const killedAt = stream.accepted.size;
    await brokerProcess(port, redis.url);
    await stream.done;
    await results.waitForAll(stream.accepted, 60_000);
    console.info(`broker store: SIGKILL after ${killedAt} acknowledged; ${stream.accepted.size} acknowledged in all, ${results.seen.size} scored, ${results.duplicates()} duplicate result(s)`);
    expect(stream.accepted.size).toBe(20_000);
    expect(results.seen.size).toBe(20_000);
  }, 120_000);
});
