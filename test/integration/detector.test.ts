import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MqttClient } from 'mqtt';
import { startPipeline } from '../../src/app/start-pipeline.js';
import { loadConfig } from '../../src/app/config.js';
import { createDetector, forestTrainer } from '../../src/detector/index.js';
import { modelFileName } from '../../src/adapters/files/model-store.js';
import { DEFAULT_SENSORS } from '../../src/core/sensors.js';
import { silentLogger } from '../../src/support/logger.js';
import type { ForestModel } from '../../src/core/model/index.js';
import type { ResultMessage } from '../../src/core/messages.js';
import { createWorker } from '../../src/worker/worker.js';
import { connectClient, createResources, startTestBroker, waitForMessages, type ReceivedMessage, CONTRACT_TOPICS } from '../helpers/mqtt.js';
import { FLAT_SIMULATOR, trainedModel } from '../helpers/trained-model.js';
import { PROFILES, readings, type Row } from '../unit/detector/harness.js';

const topics = CONTRACT_TOPICS;
const OVEN = 'line-hot/oven-1';
const PACKER = 'line-cool/packer-1';
const result = (m: ReceivedMessage) => JSON.parse(m.payload.toString()) as ResultMessage;
const payload = (row: Row, seq: number) => JSON.stringify({ temperature: row[0], humidity: row[1], sound: row[2], seq });

/** Publishes in order (QoS 1 from one client keeps it) and resolves with the results of exactly these readings. */
async function send(device: MqttClient, observer: MqttClient, sends: Array<[string, Row]>, timeoutMs = 10_000) {
  const byDevice = new Map<string, number>();
  for (const [name] of sends) byDevice.set(name, (byDevice.get(name) ?? 0) + 1);
  const waits = [...byDevice].map(([name, n]) => waitForMessages(observer, `factory/scores/${name}`, n, () => true, timeoutMs));
  for (const [i, [name, row]] of sends.entries()) await device.publishAsync(`factory/sensors/${name}`, payload(row, i), { qos: 1 });
  const received = (await Promise.all(waits)).flat().map(result);
  return (name: string) => received.filter((r) => r.device === name);
}

describe('per-device models over MQTT', () => {
  const resources = createResources();
  afterEach(() => resources.closeAll());
  let global: ForestModel;
  beforeAll(async () => {
    global = await trainedModel(FLAT_SIMULATOR);
  });

  it('when a hot oven line and a cool packing line warm up, then neither flags its own normal readings and each flags the other baseline', async () => {
    const broker = await startTestBroker(resources);
    const detector = createDetector({
      scope: 'device',
      global: { get: () => global, set: () => undefined },
      train: forestTrainer({ engine: 'native', trees: 100, sampleSize: 256, seed: 42 }),
      contamination: 0.005,
      warmup: 128,
      maxDevices: 10,
      window: 1024,
      retrain: { everyReadings: 0, everyMs: 0, maxAnomalyShare: 0.1, minRows: 256 },
      schema: DEFAULT_SENSORS,
      settings: loadConfig({ TIME_CONTEXT: 'false' }).detector,
      logger: silentLogger(),
    });
    const worker = createWorker({
      url: broker.url,
      clientId: 'detector-worker',
      qos: 1,
      topics,
      schema: DEFAULT_SENSORS,
      maxPayloadBytes: 65536,
      maxBatch: 500,
      detector,
      logger: silentLogger(),
    });
    resources.add(worker, (w) => w.stop());
    await worker.start();
    const observer = await connectClient(resources, broker.url);
    await observer.subscribeAsync(['factory/scores/#', 'factory/anomalies'], { qos: 1 });
    const device = await connectClient(resources, broker.url);

    const ovenWarm = readings(128, 1, PROFILES.oven);
    const packerWarm = readings(128, 2, PROFILES.packing);
    const warm = await send(device, observer, ovenWarm.flatMap((row, i): Array<[string, Row]> => [[OVEN, row], [PACKER, packerWarm[i]!]]));
    expect(warm(OVEN).map((r) => r.prediction.status)).toEqual(Array(128).fill('warming_up'));
    // Scored by the global model (25 °C ± 1): the oven is an anomaly to it throughout, the packing line mostly.
    expect(warm(OVEN).every((r) => r.prediction.is_anomaly && r.model!.id === global.info.id)).toBe(true);
    expect(warm(PACKER).filter((r) => r.prediction.is_anomaly).length).toBeGreaterThan(64);
    expect(detector.stats()).toMatchObject({ modelsHeld: 2, deviceModelsTrained: 2 });

    const ovenNormal = readings(40, 3, PROFILES.oven);
    const packerNormal = readings(40, 4, PROFILES.packing);
    const anomalies = waitForMessages(observer, 'factory/anomalies', 2, (m) => (result(m).input_data.seq as number) >= 80);
    const after = await send(device, observer, [
      ...ovenNormal.flatMap((row, i): Array<[string, Row]> => [[OVEN, row], [PACKER, packerNormal[i]!]]),
      [PACKER, readings(1, 5, PROFILES.oven)[0]!], // seq 80: an oven's normal reading on the packing line
      [OVEN, readings(1, 6, PROFILES.packing)[0]!], // seq 81: a packing line's normal reading on the oven
    ]);
    for (const name of [OVEN, PACKER]) {
      const results = after(name);
      expect(results.every((r) => r.prediction.status === 'ready' && r.model!.id !== global.info.id)).toBe(true);
      // Device models flag about 0.5% of normal readings (MODEL_CONTAMINATION); the global model flagged all of them.
      expect(results.slice(0, 40).filter((r) => r.prediction.is_anomaly).length).toBeLessThanOrEqual(2);
      expect(results[40]!.prediction.is_anomaly).toBe(true);
    }
    const published = (await anomalies).map(result);
    expect(published.map((r) => [r.device, r.prediction.status])).toEqual([
      [PACKER, 'ready'],
      [OVEN, 'ready'],
    ]);
  });

  it('when the app runs in device scope with drift adaptation and MODEL_DIR, then results show warm-up and retrain, /health counts them, and shutdown saves the model', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'detector-app-'));
    resources.add(dir, (d) => rm(d, { recursive: true, force: true }));
    const env = {
      MQTT_PORT: '0',
      MQTT_WS_PORT: '0',
      HTTP_PORT: '0',
      LOG_LEVEL: 'silent',
      SIMULATOR_ENABLED: 'false',
      MODEL_SCOPE: 'device',
      MODEL_WARMUP: '32',
      MODEL_RETRAIN_EVERY: '40',
      MODEL_WINDOW: '64',
      MODEL_DIR: dir,
    };
    const pipeline = await startPipeline(loadConfig(env), silentLogger(), { broker: true, worker: true, simulator: false });
    resources.add(pipeline, (p) => p.shutdown.run('test over'));
    const observer = await connectClient(resources, pipeline.broker!.url);
    await observer.subscribeAsync('factory/scores/#', { qos: 1 });
    const device = await connectClient(resources, pipeline.broker!.url);

    const rows = readings(32 + 40 + 1, 7, PROFILES.oven);
    const results = (await send(device, observer, rows.map((row): [string, Row] => [OVEN, row])))(OVEN);
    expect(results.map((r) => r.prediction.status)).toEqual([...Array(32).fill('warming_up'), ...Array(41).fill('ready')]);
    // The device model (version 1) is retrained from its window after 40 readings: the 41st sees version 2.
    expect(results.slice(32).map((r) => r.model!.version)).toEqual([...Array(40).fill(1), 2]);

    const health = (await (await fetch(`${pipeline.http!.url}/health`)).json()) as { detector: unknown };
    expect(health.detector).toMatchObject({ scope: 'device', modelsHeld: 1, deviceModelsTrained: 1, retrains: 1, refusedRetrains: 0 });

    await pipeline.shutdown.run('test');
    expect(await readdir(dir)).toEqual([modelFileName(OVEN)]);
  });

  it('when the broker stops acknowledging results, then shutdown still saves the device models within SHUTDOWN_TIMEOUT_MS', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'detector-stuck-'));
    resources.add(dir, (d) => rm(d, { recursive: true, force: true }));
    // An external broker that takes the worker's results but never acknowledges them.
    const broker = await startTestBroker(resources, {
      hooks: { authorizePublish: (_client, packet, done) => void (packet.topic.startsWith('factory/scores/') ? undefined : done(null)) },
    });
    const env = {
      MQTT_URL: broker.url,
      HTTP_PORT: '0',
      LOG_LEVEL: 'silent',
      SIMULATOR_ENABLED: 'false',
      MODEL_SCOPE: 'device',
      MODEL_WARMUP: '16',
      MODEL_DIR: dir,
      SHUTDOWN_TIMEOUT_MS: '2000',
    };
    const pipeline = await startPipeline(loadConfig(env), silentLogger(), { broker: false, worker: true, simulator: false });
    resources.add(pipeline, (p) => p.shutdown.run('test over'));
    const device = await connectClient(resources, broker.url);
    for (const [i, row] of readings(16, 8, PROFILES.oven).entries()) {
      await device.publishAsync(`factory/sensors/${OVEN}`, payload(row, i), { qos: 1 });
    }
    const worker = pipeline.worker!;
    await expect(worker.drain(() => worker.stats().scored === 16, 5000)).resolves.toBe(true);
    expect(pipeline.detector!.stats()).toMatchObject({ deviceModelsTrained: 1 });

    await expect(pipeline.shutdown.run('test')).resolves.toBe(true);
    expect(await readdir(dir)).toEqual([modelFileName(OVEN)]);
  });
});
