/**
 * A model file trained on other sensors than the ones configured (issue 8): the worker would mis-score every
 * reading, so the start is refused as a configuration error (exit 2) in one plain line that names both
 * lists, before anything connects or listens.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { saveModel } from '../../src/adapters/files/model-files.js';
import { tempDir } from '../helpers/broker-auth.js';
import { createResources, withTimeout } from '../helpers/mqtt.js';
import { PUMP_ENV, PUMP_SENSORS, pumpRows, savePumpModel } from '../helpers/pump.js';
import { trainedModel } from '../helpers/trained-model.js';

const LAUNCHER = join(process.cwd(), 'bin', 'factory-anomaly.js');
const DEMO_SENSORS = 'temperature,humidity,sound';

/** Runs the launcher to its exit; stderr without the launcher's own build notice. */
function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [LAUNCHER, ...args], { env: { ...process.env, LOG_LEVEL: 'info', LOG_PRETTY: 'false', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  return withTimeout(exited, 30_000, `factory-anomaly ${args.join(' ')} to exit`).then(
    (code) => ({ code, stderr: stderr.replace(/^factory-anomaly: building.*\n|^dashboard: .*\n/gm, '') }),
    (err: unknown) => {
      child.kill('SIGKILL');
      throw err;
    },
  );
}

describe('a model file trained on other sensors', () => {
  const resources = createResources();
  afterAll(() => resources.closeAll());
  let pumpModel: string;
  let demoModel: string;

  beforeAll(async () => {
    const dir = tempDir(resources, 'model-mismatch-');
    pumpModel = await savePumpModel(dir, pumpRows(300, { seed: 1 }));
    demoModel = join(dir, 'demo-model.json');
    await saveModel(await trainedModel({ MODEL_TRAINING_SIZE: '1000' }), demoModel);
  });

  it('when the worker starts with the demo sensors and a pump model, then it exits 2 with one line naming both lists', async () => {
    const { code, stderr } = await run(['worker'], { MODEL_PATH: pumpModel, MQTT_URL: 'mqtt://127.0.0.1:1', HTTP_PORT: '0' });
    expect(code).toBe(2);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^worker: .*pump-model\.json: /);
    for (const name of PUMP_SENSORS) expect(lines[0]).toContain(name);
    expect(lines[0]).toContain(`the sensors configured are ${DEMO_SENSORS}`);
    expect(lines[0]).toContain('MODEL_PATH');
  });

  it('when npm start runs with the pump sensors and a demo model, then it exits 2 with one line naming both lists', async () => {
    const { code, stderr } = await run(['start'], { ...PUMP_ENV, MODEL_PATH: demoModel, MQTT_PORT: '0', MQTT_WS_PORT: '0', HTTP_PORT: '0' });
    expect(code).toBe(2);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/the model file has features temperature\S*,humidity\S*,sound\S*;/);
    expect(lines[0]).toContain(`the sensors configured are ${PUMP_SENSORS.join(',')}`);
  });
});
