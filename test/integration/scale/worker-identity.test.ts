import { loadConfig } from '../../../src/app/config.js';
import { startPipeline, type Pipeline } from '../../../src/app/start-pipeline.js';
import { DuplicateClientIdError } from '../../../src/adapters/mqtt/client-id-claim.js';
import { SettingError } from '../../../src/support/setting-error.js';
import { silentLogger } from '../../../src/support/logger.js';
import { connectClient, createResources, startTestBroker, waitForMessage } from '../../helpers/mqtt.js';
import { spawnTracked } from '../../helpers/processes.js';
import { PROCESS_START_TIMEOUT_MS } from '../../helpers/reliability.js';

/** Two workers with one client id, and WORKER_GROUP against the embedded broker: refused at start, saying why. */
describe('worker identity', () => {
  const resources = createResources();
  afterEach(() => resources.closeAll());
  const outlier = JSON.stringify({ temperature: 90, humidity: 48.2, sound: 62.1 });

  async function worker(url: string, env: Record<string, string> = {}): Promise<Pipeline> {
    const config = loadConfig({ MQTT_URL: url, HTTP_PORT: '0', SIMULATOR_ENABLED: 'false', LOG_LEVEL: 'silent', ...env });
    const pipeline = await startPipeline(config, silentLogger(), { broker: false, worker: true, simulator: false });
    return resources.add(pipeline, (p) => p.shutdown.run('test over'));
  }

  it('when a second worker starts with the defaults beside a running one, then it refuses and the first keeps scoring', async () => {
    const broker = await startTestBroker(resources);
    const first = await worker(broker.url);
    await expect(worker(broker.url)).rejects.toThrow(DuplicateClientIdError);
    await expect(worker(broker.url)).rejects.toThrow(/another worker already uses client id anomaly-worker .* give each worker its own worker\.id/);

    const observer = await connectClient(resources, broker.url);
    await observer.subscribeAsync('factory/anomalies', { qos: 1 });
    const anomaly = waitForMessage(observer, 'factory/anomalies');
    await observer.publishAsync('factory/sensors/line1/press-1', outlier, { qos: 1 });
    await anomaly;
    expect(first.worker!.health()).toMatchObject({ connected: true, subscribed: true });
    expect(first.worker!.stats().scored).toBe(1);
  });

  it('when workers have distinct WORKER_IDs, then both start; when one stops, then its id is free again', async () => {
    const broker = await startTestBroker(resources);
    const one = await worker(broker.url, { WORKER_ID: '1' });
    await worker(broker.url, { WORKER_ID: '2' });
    await one.shutdown.run('test');
    const again = await worker(broker.url, { WORKER_ID: '1' });
    expect(again.worker!.health().subscribed).toBe(true);
  });

  it('when the second worker with one WORKER_ID is a process, then it says so and exits non-zero', async () => {
    const broker = await startTestBroker(resources);
    await worker(broker.url, { WORKER_ID: '7' });
    const second = spawnTracked(resources, process.execPath, ['--import', 'tsx', 'src/app/cli.ts', 'worker'], {
      ...process.env,
      MQTT_URL: broker.url,
      WORKER_ID: '7',
      HTTP_PORT: '0',
      LOG_PRETTY: 'false',
    });
    const code = await Promise.race([second.exited, new Promise((r) => setTimeout(r, PROCESS_START_TIMEOUT_MS, 'still running'))]);
    expect(code).toBe(1);
    expect(second.output()).toMatch(/worker: another worker already uses client id anomaly-worker-7 .* give each worker its own WORKER_ID/);
  });

  it('when WORKER_GROUP is used against the embedded broker, then the start fails saying why and what to use instead', async () => {
    const broker = await startTestBroker(resources);
    const refused = worker(broker.url, { WORKER_GROUP: 'scorers' });
    await expect(refused).rejects.toThrow(SettingError);
    await expect(refused).rejects.toThrow(/refused MQTT 5, which worker\.group needs .* Aedes broker .* worker\.partition=i\/n/);
  });
});
