import { withModel } from '../helpers/with-model.js';
import { startupErrorLine } from '../../src/app/run-service.js';
import { ConnectRefusedError } from '../../src/adapters/mqtt/connect-refused.js';
import { silentLogger } from '../../src/support/logger.js';
import { createWorker } from '../../src/worker/worker.js';
import { startSecuredBroker, tempDir, writeTestUsers } from '../helpers/broker-auth.js';
import { createResources, CONTRACT_TOPICS } from '../helpers/mqtt.js';
import { openNetHandles, spawnTracked } from '../helpers/processes.js';
import { createTestModel } from '../helpers/test-model.js';

const topics = CONTRACT_TOPICS;

describe('worker credentials', () => {
  const resources = createResources();
  afterEach(() => resources.closeAll());

  function workerAs(url: string, username: string, password: string) {
    const worker = createWorker({
      url,
      clientId: 'anomaly-worker',
      username,
      password,
      qos: 1,
      topics,
      maxPayloadBytes: 65536,
      ...withModel(() => createTestModel()),
      logger: silentLogger(),
    });
    return resources.add(worker, (w) => w.stop());
  }

  async function securedBroker() {
    const { file, users } = await writeTestUsers(tempDir(resources), { worker: 'worker' });
    const broker = await startSecuredBroker(resources, { authFile: file });
    return { broker, worker: users.worker! };
  }

  it('when the broker refuses the password at start, then start() rejects naming the settings, and nothing stays open', async () => {
    const { broker } = await securedBroker();
    const worker = workerAs(broker.url, 'worker', 'not-the-password');
    const error = await worker.start().then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(ConnectRefusedError);
    expect((error as ConnectRefusedError).returnCode).toBe(4);
    expect(startupErrorLine(error)).toMatch(/check MQTT_USERNAME, MQTT_PASSWORD and MQTT_CLIENT_ID$/);
    await worker.stop();
    await resources.closeAll();
    expect(openNetHandles()).toEqual([]);
  });

  it('when the worker process is refused at start, then it exits 1 and says what to check (not a silent exit 0)', async () => {
    const { broker } = await securedBroker();
    const app = spawnTracked(resources, process.execPath, ['--import', 'tsx', 'src/app/cli.ts', 'worker'], {
      ...process.env,
      MQTT_URL: broker.url,
      MQTT_USERNAME: 'worker',
      MQTT_PASSWORD: 'not-the-password',
      HTTP_PORT: '0',
      LOG_PRETTY: 'false',
    });
    expect(await app.exited).toBe(1);
    expect(app.output()).toMatch(/^worker: the broker at .* refused the connection: .*; check MQTT_USERNAME, MQTT_PASSWORD and MQTT_CLIENT_ID$/m);
  });

  it('when the credentials are right, then the worker starts', async () => {
    const { broker, worker: user } = await securedBroker();
    const worker = workerAs(broker.url, user.username, user.password);
    await worker.start();
    expect(worker.health()).toMatchObject({ connected: true, subscribed: true });
  });
});
