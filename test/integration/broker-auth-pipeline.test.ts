import { simulatorSettings } from '../helpers/settings.js';
import { startPipeline, type Pipeline } from '../../src/app/start-pipeline.js';
import { loadConfig } from '../../src/app/config.js';
import { silentLogger } from '../../src/support/logger.js';
import { startSimulator } from '../../src/simulator/simulator.js';
import { connectAs, grantedQos, startSecuredBroker, tempDir, writeTestUsers } from '../helpers/broker-auth.js';
import { createResources, waitForMessage } from '../helpers/mqtt.js';

const resources = createResources();
afterEach(() => resources.closeAll());

const testEnv = { MQTT_PORT: '0', MQTT_WS_PORT: '0', HTTP_PORT: '0', LOG_LEVEL: 'silent', SIMULATOR_ENABLED: 'false' };
const outlier = JSON.stringify({ timestamp: '2024-01-20T10:30:00', temperature: 90, humidity: 48.2, sound: 62.1 });

describe('users and roles through the composed pipeline', () => {
  it('when the worker logs in with the worker role, then a device reading becomes an anomaly a viewer can read', async () => {
    const { file, users } = await writeTestUsers(tempDir(resources), { worker: 'worker', line1: 'device', viewer: 'viewer' });
    const env = { ...testEnv, MQTT_AUTH_FILE: file, MQTT_USERNAME: 'worker', MQTT_PASSWORD: users.worker!.password };
    const pipeline: Pipeline = resources.add(
      await startPipeline(loadConfig(env), silentLogger(), { broker: true, worker: true, simulator: false }),
      (p) => p.shutdown.run('test over'),
    );
    const url = pipeline.broker!.url;

    const viewer = await connectAs(resources, url, users.viewer);
    expect(await grantedQos(viewer, 'factory/anomalies')).toBe(1);
    expect(await grantedQos(viewer, 'factory/status/#')).toBe(1);
    // The worker's retained status went through the ACL too.
    expect((await waitForMessage(viewer, 'factory/status/#')).payload.toString()).toBe('online');

    const anomaly = waitForMessage(viewer, 'factory/anomalies');
    // Device `line1` may publish under factory/sensors/line1/...: here, its press-3.
    const device = await connectAs(resources, url, users.line1);
    await device.publishAsync('factory/sensors/line1/press-3', outlier, { qos: 1 });
    expect(JSON.parse((await anomaly).payload.toString())).toMatchObject({ device: 'line1/press-3', prediction: { is_anomaly: true } });
    expect(pipeline.broker!.stats()).toMatchObject({ authFailures: 0, aclDenied: 0 });
  });

  it('when the simulator logs in with the simulator role, then it publishes readings for all its devices', async () => {
    const { file, users } = await writeTestUsers(tempDir(resources), { sim: 'simulator', worker: 'worker' });
    const broker = await startSecuredBroker(resources, { authFile: file });
    const reader = await connectAs(resources, broker.url, users.worker);
    await reader.subscribeAsync('factory/sensors/#', { qos: 1 });
    const fromLine2 = waitForMessage(reader, 'factory/sensors/line2/+');
    const simulator = await startSimulator({
      url: broker.url,
      username: 'sim',
      password: users.sim!.password,
      config: { devices: 2, lines: 2, rate: 50, anomalyRate: 0, seed: 1, sensors: simulatorSettings(loadConfig({})).sensors },
      topics: { sensors: 'factory/sensors/#', injected: 'factory/simulator/injected' },
      qos: 1,
      logger: silentLogger(),
    });
    resources.add(simulator, (s) => s.stop());
    expect((await fromLine2).topic).toBe('factory/sensors/line2/oven-2');
    expect(broker.stats().aclDenied).toBe(0);
  });
});
