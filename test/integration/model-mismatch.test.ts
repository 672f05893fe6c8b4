/**
 * A model file trained on other sensors than the ones configured (issue 8): the worker would mis-score every
 * reading, so the start is refused as a configuration error (exit 2) in one plain line that names both
 * lists, before anything connects or listens.
 */
import { join } from 'node:path';
import { saveModel } from '../../src/adapters/files/model-files.js';
import { tempDir } from '../helpers/broker-auth.js';
import { createResources } from '../helpers/mqtt.js';
import { runLauncher } from '../helpers/processes.js';
import { PUMP_ENV, PUMP_SENSORS, pumpRows, savePumpModel } from '../helpers/pump.js';
import { trainedModel } from '../helpers/trained-model.js';

const DEMO_SENSORS = 'temperature,humidity,sound';
const logs = { LOG_LEVEL: 'info', LOG_PRETTY: 'false' };

describe('a model file trained on other sensors', () => {
  const files = createResources();
  const resources = createResources();
  afterEach(() => resources.closeAll());
  afterAll(() => files.closeAll());
  let pumpModel: string;
  let demoModel: string;

  beforeAll(async () => {
    const dir = tempDir(files, 'model-mismatch-');
    pumpModel = await savePumpModel(dir, pumpRows(300, { seed: 1 }));
    demoModel = join(dir, 'demo-model.json');
    await saveModel(await trainedModel({ MODEL_TRAINING_SIZE: '1000' }), demoModel);
  });

  it('when the worker starts with the demo sensors and a pump model, then it exits 2 with one line naming both lists', async () => {
    const { code, stderr } = await runLauncher(resources, ['worker'], { ...logs, MODEL_PATH: pumpModel, MQTT_URL: 'mqtt://127.0.0.1:1', HTTP_PORT: '0' });
    expect(code).toBe(2);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^worker: .*pump-model\.json: /);
    for (const name of PUMP_SENSORS) expect(lines[0]).toContain(name);
    expect(lines[0]).toContain(`the sensors configured are ${DEMO_SENSORS}`);
    expect(lines[0]).toContain('MODEL_PATH');
  });

  it('when npm start runs with the pump sensors and a demo model, then it exits 2 with one line naming both lists', async () => {
    const { code, stderr } = await runLauncher(resources, ['start'], { ...logs, ...PUMP_ENV, MODEL_PATH: demoModel, MQTT_PORT: '0', MQTT_WS_PORT: '0', HTTP_PORT: '0' });
    expect(code).toBe(2);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/the model file has features temperature\S*,humidity\S*,sound\S*;/);
    expect(lines[0]).toContain(`the sensors configured are ${PUMP_SENSORS.join(',')}`);
  });
});
