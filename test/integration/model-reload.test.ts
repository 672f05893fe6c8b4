import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPipeline, type Pipeline } from '../../src/app/start-pipeline.js';
import { loadConfig } from '../../src/app/config.js';
import { silentLogger } from '../../src/support/logger.js';
import { trainModel } from '../../src/core/model/index.js';
import { saveModel } from '../../src/adapters/files/model-files.js';
import { connectClient, createResources, waitForMessage, waitForMessages } from '../helpers/mqtt.js';
import { trainedModel } from '../helpers/trained-model.js';

const reading = { temperature: 25.2, humidity: 50.5, sound: 59.8 };

describe('model file and hot reload', () => {
  const resources = createResources();
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'model-reload-'));
  });
  afterEach(async () => {
    await resources.closeAll();
    rmSync(dir, { recursive: true, force: true });
  });

  async function start(modelPath: string): Promise<Pipeline> {
    const config = loadConfig({
      MQTT_PORT: '0',
      MQTT_WS_PORT: '0',
      HTTP_PORT: '0',
      SIMULATOR_ENABLED: 'false',
      MODEL_PATH: modelPath,
      MODEL_SAVE: 'true',
    });
    const pipeline = await startPipeline(config, silentLogger(), { broker: true, worker: true, simulator: false });
    return resources.add(pipeline, (p) => p.shutdown.run('test over'));
  }

  it('when MODEL_PATH does not exist, then the trained model is saved there and loaded by the next start', async () => {
    const path = join(dir, 'models', 'default.json');
    const first = await start(path);
    const trainedId = first.models.get()!.info.id;
    await first.shutdown.run('restart');
    const second = await start(path);
    expect(second.models.get()!.info).toEqual(first.models.get()!.info);
    expect(second.models.get()!.info.id).toBe(trainedId);
  });

  it('when the model file is corrupt, then startup fails naming the file', async () => {
    const path = join(dir, 'broken.json');
    writeFileSync(path, '{"schemaVersion": 1, "trees": [');
    await expect(start(path)).rejects.toThrow(path);
  });

  /** A valid model file, trained on readings in another column order (e.g. `npm run train -- --features humidity,temperature,sound`). */
  function reorderedModel() {
    const rows = Array.from({ length: 300 }, (_, i) => [50 + (i % 7), 25 + (i % 5) / 5, 60 + (i % 3)]);
    return trainModel(rows, { engine: 'native', trees: 10, sampleSize: 64, seed: 1, contamination: 0.01, features: ['humidity', 'temperature', 'sound'] });
  }

  it('when the model file names other features than temperature, humidity, sound, then startup fails naming the file', async () => {
    const path = join(dir, 'reordered.json');
    await saveModel(reorderedModel(), path);
    await expect(start(path)).rejects.toThrow(new RegExp(`${path}.*features humidity,temperature,sound`));
  });

  it('when the reloaded file names other features, then the reload fails and the old model keeps scoring every reading', async () => {
    const path = join(dir, 'model.json');
    const pipeline = await start(path);
    const oldId = pipeline.models.get()!.info.id;
    await saveModel(reorderedModel(), path);
    const response = await fetch(`${pipeline.http!.url}/model/reload`, { method: 'POST' });
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ error: 'reload_failed', message: expect.stringContaining('features') });
    expect(pipeline.models.get()!.info.id).toBe(oldId);

    const observer = await connectClient(resources, pipeline.mqttUrl);
    await observer.subscribeAsync('factory/scores/#', { qos: 1 });
    const scored = waitForMessage(observer, 'factory/scores/line1/press-1');
    const device = await connectClient(resources, pipeline.mqttUrl);
    await device.publishAsync('factory/sensors/line1/press-1', JSON.stringify(reading), { qos: 1 });
    expect(JSON.parse((await scored).payload.toString())).toMatchObject({ model: { id: oldId } });
  });

  it('when a new model is saved and reloaded mid-stream, then every reading is scored, by the old model and then the new one only', async () => {
    const path = join(dir, 'model.json');
    const pipeline = await start(path);
    const oldId = pipeline.models.get()!.info.id;
    const replacement = await trainedModel({ MODEL_SEED: '7' });
    expect(replacement.info.id).not.toBe(oldId);

    const observer = await connectClient(resources, pipeline.mqttUrl);
    await observer.subscribeAsync('factory/scores/#', { qos: 1 });
    const device = await connectClient(resources, pipeline.mqttUrl);
    const total = 400;
    const results = waitForMessages(observer, 'factory/scores/#', total, () => true, 15000);

    const sends: Promise<unknown>[] = [];
    for (let seq = 0; seq < total; seq++) {
      sends.push(device.publishAsync('factory/sensors/line1/press-1', JSON.stringify({ ...reading, seq }), { qos: 1 }));
      if (seq === total / 2) {
        await saveModel(replacement, path);
        const response = await fetch(`${pipeline.http!.url}/model/reload`, { method: 'POST' });
        expect(response.status).toBe(200);
        expect(((await response.json()) as { model: { id: string } }).model.id).toBe(replacement.info.id);
      }
    }
    await Promise.all(sends);

    const ids = (await results).map((m) => (JSON.parse(m.payload.toString()) as { model: { id: string } }).model.id);
    const seqs = (await results).map((m) => (JSON.parse(m.payload.toString()) as { input_data: { seq: number } }).input_data.seq);
    expect(new Set(seqs).size).toBe(total);
    const switchAt = ids.indexOf(replacement.info.id);
    expect(switchAt).toBeGreaterThan(0);
    expect(ids.slice(0, switchAt).every((id) => id === oldId)).toBe(true);
    expect(ids.slice(switchAt).every((id) => id === replacement.info.id)).toBe(true);
  });
});
