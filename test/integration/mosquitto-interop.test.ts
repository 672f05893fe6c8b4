import { loadConfig } from '../../src/app/config.js';
import { silentLogger } from '../../src/support/logger.js';
import { startPipeline, type Pipeline } from '../../src/app/start-pipeline.js';
import type { EventEmitter } from 'node:events';
import { connectClient, createResources, waitForEvent, waitForMessage } from '../helpers/mqtt.js';
import { freePort, hasCommand, spawnTracked } from '../helpers/processes.js';

/**
 * Interop with programs nobody here wrote: the Mosquitto command-line clients
 * against our embedded broker, and our worker against a real Mosquitto broker.
 * CI installs them (.ci/run); elsewhere, without them, these are skipped with a
 * message, and under CI their absence is a failure.
 */
const tools = ['mosquitto', 'mosquitto_pub', 'mosquitto_sub'];
const missing = tools.filter((t) => !hasCommand(t));
if (missing.length > 0 && process.env.CI) throw new Error(`CI must install ${missing.join(', ')} (see .ci/run)`);
if (missing.length > 0) console.warn(`Skipping Mosquitto interop tests: ${missing.join(', ')} not installed (apt-get install mosquitto mosquitto-clients)`);
const describeWithMosquitto = missing.length === 0 ? describe : describe.skip;

const outlier = JSON.stringify({ timestamp: '2024-01-20T10:30:00', temperature: 90, humidity: 48.2, sound: 62.1 });
const testEnv = {
  MQTT_PORT: '0',
  MQTT_WS_PORT: '0',
  HTTP_PORT: '0',
  SIMULATOR_ENABLED: 'false',
  LOG_LEVEL: 'silent',
};

describeWithMosquitto('Mosquitto interop', () => {
  const resources = createResources();
  afterEach(() => resources.closeAll());

  async function pipeline(env: Record<string, string>): Promise<Pipeline> {
    const started = await startPipeline(loadConfig({ ...testEnv, ...env }), silentLogger(), {
      broker: true,
      worker: true,
      simulator: true,
    });
    return resources.add(started, (p) => p.shutdown.run('test over'));
  }

  it('when mosquitto_pub sends an outlier to the embedded broker, then mosquitto_sub receives the anomaly', async () => {
    const { broker } = await pipeline({});
    const port = String(broker!.port);
    // mosquitto_sub's own output is buffered on a pipe, so the broker tells us when it has subscribed.
    const subscribed = waitForEvent<[Array<{ topic: string }>]>(broker!.aedes as unknown as EventEmitter, 'subscribe', (subs) =>
      subs.some((s) => s.topic === 'factory/anomalies'),
    );
    const sub = spawnTracked(resources, 'mosquitto_sub', ['-h', '127.0.0.1', '-p', port, '-t', 'factory/anomalies', '-q', '1', '-C', '1', '-W', '15']);
    await subscribed;
    const pub = spawnTracked(resources, 'mosquitto_pub', ['-h', '127.0.0.1', '-p', port, '-t', 'factory/sensors/line1/press-3', '-q', '1', '-m', outlier]);
    expect(await pub.exited).toBe(0);
    // Its output read to the end: the message line can come after the exit.
    expect(await sub.closed).toBe(0);
    const line = sub.output().split('\n').find((l) => l.startsWith('{'));
    expect(JSON.parse(line ?? 'null')).toMatchObject({
      device: 'line1/press-3',
      input_data: JSON.parse(outlier),
      prediction: { is_anomaly: true },
    });
  });

  it('when MQTT_URL points at a Mosquitto broker, then the worker scores readings through it', async () => {
    const port = await freePort();
    const mosquitto = spawnTracked(resources, 'mosquitto', ['-p', String(port), '-v']);
    await mosquitto.waitForOutput(/running/);
    const url = `mqtt://127.0.0.1:${port}`;
    const { broker, worker } = await pipeline({ MQTT_URL: url, MQTT_CLIENT_ID: 'worker-on-mosquitto' });
    expect(broker).toBeUndefined();
    expect(worker?.health().subscribed).toBe(true);

    const observer = await connectClient(resources, url);
    await observer.subscribeAsync('factory/anomalies', { qos: 1 });
    const anomaly = waitForMessage(observer, 'factory/anomalies');
    await observer.publishAsync('factory/sensors/line2/oven-1', outlier, { qos: 1 });
    expect(JSON.parse((await anomaly).payload.toString())).toMatchObject({ device: 'line2/oven-1', prediction: { is_anomaly: true } });
  });
});
