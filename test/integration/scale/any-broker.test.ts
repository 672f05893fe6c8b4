import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { loadConfig } from '../../../src/app/config.js';
import { startPipeline, type Pipeline } from '../../../src/app/start-pipeline.js';
import { SettingError } from '../../../src/support/setting-error.js';
import { silentLogger } from '../../../src/support/logger.js';
import { connectClient, createResources, waitForMessage } from '../../helpers/mqtt.js';
import { describeWithPrograms, scratchDir, startMosquitto } from '../../helpers/mosquitto.js';
import { numberedReading, trackResults } from '../../helpers/reliability.js';
import { generateTestPki } from '../../helpers/tls.js';

/** MQTT_URL on a real Mosquitto 2: MQTT 5, WebSocket with a password, MQTTS with a client certificate. */
describeWithPrograms(['mosquitto', 'mosquitto_passwd', 'openssl'], 'apt-get install mosquitto openssl')('any broker', () => {
  const resources = createResources();
  afterEach(() => resources.closeAll());
  const outlier = JSON.stringify({ temperature: 90, humidity: 48.2, sound: 62.1 });
  const base = { HTTP_PORT: '0', LOG_LEVEL: 'silent', SIMULATOR_ENABLED: 'false' };

  async function pipeline(env: Record<string, string>, simulator = false): Promise<Pipeline> {
    const config = loadConfig({ ...base, ...env });
    const started = await startPipeline(config, silentLogger(), { broker: false, worker: true, simulator });
    return resources.add(started, (p) => p.shutdown.run('test over'));
  }

  it('when the worker speaks MQTT 5 over WebSocket with a user name and password, then it scores readings', async () => {
    const dir = scratchDir(resources);
    const passwords = join(dir, 'passwords');
    execFileSync('mosquitto_passwd', ['-b', '-c', passwords, 'worker', 'a-long-password']);
    const mosquitto = await startMosquitto(resources, {
      dir,
      listeners: [{ name: 'ws', lines: ['protocol websockets', 'allow_anonymous false', `password_file ${passwords}`] }],
    });

    const url = `ws://127.0.0.1:${mosquitto.ports.ws}`;
    await expect(pipeline({ MQTT_URL: url, MQTT_PROTOCOL_VERSION: '5', MQTT_USERNAME: 'worker', MQTT_PASSWORD: 'wrong-password' })).rejects.toThrow(
      /refused the connection/,
    );
    const { worker } = await pipeline({ MQTT_URL: url, MQTT_PROTOCOL_VERSION: '5', MQTT_USERNAME: 'worker', MQTT_PASSWORD: 'a-long-password' });
    expect(worker!.health()).toMatchObject({ connected: true, subscribed: true });

    const observer = await connectClient(resources, mosquitto.url, { protocolVersion: 5 });
    await observer.subscribeAsync('factory/anomalies', { qos: 1 });
    const anomaly = waitForMessage(observer, 'factory/anomalies');
    await observer.publishAsync('factory/sensors/line1/press-1', outlier, { qos: 1 });
    expect(JSON.parse((await anomaly).payload.toString())).toMatchObject({ device: 'line1/press-1', prediction: { is_anomaly: true } });
  });

  it('when the broker is MQTTS and requires a client certificate, then worker and simulator connect with MQTT_CLIENT_CA, _CERT and _KEY', async () => {
    const dir = scratchDir(resources);
    const pki = generateTestPki(dir);
    const tls = ['allow_anonymous true', `cafile ${pki.files.caCert}`, `certfile ${pki.files.serverCert}`, `keyfile ${pki.files.serverKey}`, 'require_certificate true'];
    const mosquitto = await startMosquitto(resources, { dir, listeners: [{ name: 'mqtts', lines: tls }] });
    const env = {
      MQTT_URL: `mqtts://127.0.0.1:${mosquitto.ports.mqtts}`,
      MQTT_CLIENT_CA: pki.files.caCert,
      MQTT_CLIENT_CERT: join(dir, 'client.crt'),
      MQTT_CLIENT_KEY: join(dir, 'client.key'),
    };
    const observer = await connectClient(resources, mosquitto.url);
    await observer.subscribeAsync('factory/scores/#', { qos: 1 });
    const scored = waitForMessage(observer, 'factory/scores/#', () => true, 15_000);
    await pipeline({ ...env, SIMULATOR_ENABLED: 'true', SIMULATOR_RATE: '20' }, true);
    expect(JSON.parse((await scored).payload.toString())).toMatchObject({ prediction: { status: 'ready' } });

    const missing = { ...env, MQTT_CLIENT_CA: join(dir, 'no-such-ca.pem') };
    const refused = pipeline(missing);
    await expect(refused).rejects.toThrow(SettingError);
    await expect(refused).rejects.toThrow(/cannot read mqtt\.clientTls\.caFile/);
  });

  it('when an MQTT 5 worker is away, then its session keeps the readings and it scores them when it returns', async () => {
    const mosquitto = await startMosquitto(resources);
    const env = { MQTT_URL: mosquitto.url, MQTT_PROTOCOL_VERSION: '5', WORKER_ID: 'session' };
    const first = await pipeline(env);
    await first.shutdown.run('away');

    const device = await connectClient(resources, mosquitto.url);
    const expected = new Set<number>();
    for (let seq = 0; seq < 50; seq++) {
      expected.add(seq);
      await device.publishAsync('factory/sensors/line1/press-2', numberedReading(seq), { qos: 1 });
    }
    const observer = await connectClient(resources, mosquitto.url);
    await observer.subscribeAsync('factory/scores/#', { qos: 1 });
    const results = trackResults(observer);
    await pipeline(env);
    await results.waitForAll(expected, 10_000);
    expect(results.duplicates()).toBe(0);
  });
});
