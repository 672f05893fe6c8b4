/**
 * Issue 8 end to end: a plant's own sensors (SKAB's pump, 8 fields, one name with a space) configured with
 * SENSORS, a model trained for them by the `train` command on a SKAB-shaped CSV (`;`, a datetime column),
 * and the real broker, worker and HTTP sidecar of `npm start` scoring their readings.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { MqttClient } from 'mqtt';
import type { Pipeline } from '../../src/app/start-pipeline.js';
import type { DeadLetter, ResultMessage } from '../../src/core/messages.js';
import { tempDir } from '../helpers/broker-auth.js';
import { postJson } from '../helpers/http.js';
import { connectClient, createResources, waitForMessage, waitForMessages, type ReceivedMessage } from '../helpers/mqtt.js';
import { startLocalPipeline } from '../helpers/pipeline.js';
import { PRESSURE, PUMP_ENV, PUMP_SENSORS, PUMP_START, pumpReading, pumpRows, writeSkabCsv } from '../helpers/pump.js';

const LAUNCHER = join(process.cwd(), 'bin', 'factory-anomaly.js');
const DEVICE = 'line1/pump-1';
const json = <T>(m: ReceivedMessage) => JSON.parse(m.payload.toString()) as T;
/** Live readings start after the training data ends, one second apart like SKAB's. */
const live = pumpRows(40, { seed: 2, start: PUMP_START + 3_600_000 });

describe('a worker configured with the 8 sensors of a SKAB pump', () => {
  const files = createResources();
  const resources = createResources();
  afterEach(() => resources.closeAll());
  afterAll(() => files.closeAll());
  let modelPath: string;

  beforeAll(() => {
    const dir = tempDir(files, 'custom-sensors-');
    const data = writeSkabCsv(dir, 'pump-train.csv', pumpRows(600, { seed: 1 }));
    modelPath = join(dir, 'pump-model.json');
    const train = spawnSync(process.execPath, [LAUNCHER, 'train', '--data', data, '--out', modelPath, '--time-column', 'datetime', '--delimiter', ';'], {
      encoding: 'utf8',
      env: { ...process.env, ...PUMP_ENV },
      timeout: 60_000,
    });
    expect({ code: train.status, stderr: train.stderr.replace(/^factory-anomaly: building.*\n|^dashboard: .*\n/gm, '') }).toEqual({ code: 0, stderr: '' });
    const summary = JSON.parse(train.stdout.trim().split('\n').at(-1)!) as { readings: number; features: string[] };
    expect(summary.readings).toBe(600);
    expect(summary.features).toHaveLength(8);
  }, 60_000);

  async function start(): Promise<{ pipeline: Pipeline; observer: MqttClient; device: MqttClient }> {
    const pipeline = await startLocalPipeline(resources, { ...PUMP_ENV, MODEL_PATH: modelPath });
    const observer = await connectClient(resources, pipeline.mqttUrl);
    await observer.subscribeAsync(['factory/scores/#', 'factory/errors'], { qos: 1 });
    const device = await connectClient(resources, pipeline.mqttUrl);
    return { pipeline, observer, device };
  }

  it('when 8-field readings are published, then each gets a result and a fault is explained over the 8 fields', async () => {
    const { observer, device } = await start();
    const faulty = { ...live[30]!, values: live[30]!.values.map((v, j) => (j === PRESSURE ? v + 0.5 : v)) }; // 25 sd
    const sent = [...live.slice(0, 30), faulty];
    const results = waitForMessages(observer, `factory/scores/${DEVICE}`, sent.length);
    for (const row of sent) await device.publishAsync(`factory/sensors/${DEVICE}`, JSON.stringify(pumpReading(row)), { qos: 1 });

    const received = (await results).map((m) => json<ResultMessage>(m));
    expect(received.map((r) => r.input_data.timestamp)).toEqual(sent.map((r) => new Date(r.t).toISOString()));
    expect(received.slice(0, 30).filter((r) => r.prediction.is_anomaly)).toEqual([]);
    const fault = received[30]!;
    expect(fault.model!.features).toHaveLength(8);
    expect(fault.prediction.is_anomaly).toBe(true);
    expect(Object.keys(fault.prediction.explanation!).sort()).toEqual([...PUMP_SENSORS].sort());
    expect(Object.keys(fault.prediction.z_scores!).sort()).toEqual([...PUMP_SENSORS].sort());
    const top = Object.entries(fault.prediction.explanation!).sort((a, b) => b[1] - a[1])[0]![0];
    expect(top).toBe('Pressure');
    expect(fault.prediction.z_scores!.Pressure).toBeGreaterThan(10);
  });

  it('when a reading lacks a configured field, then it is dead-lettered naming the field and the next reading is scored', async () => {
    const { observer, device } = await start();
    const incomplete = pumpReading(live[0]!);
    delete incomplete['Volume Flow RateRMS'];
    const letter = waitForMessage(observer, 'factory/errors');
    const scored = waitForMessage(observer, `factory/scores/${DEVICE}`);
    await device.publishAsync(`factory/sensors/${DEVICE}`, JSON.stringify(incomplete), { qos: 1 });
    await device.publishAsync(`factory/sensors/${DEVICE}`, JSON.stringify(pumpReading(live[1]!)), { qos: 1 });

    expect(json<DeadLetter>(await letter)).toMatchObject({ topic: `factory/sensors/${DEVICE}`, code: 'invalid_reading', reason: 'Volume Flow RateRMS is required' });
    expect(json<ResultMessage>(await scored)).toMatchObject({ device: DEVICE, input_data: { timestamp: new Date(live[1]!.t).toISOString() } });
  });

  it('when /predict gets the configured fields, then it scores them; a missing one is a 400 naming it, and so is the demo shape', async () => {
    const { pipeline } = await start();
    const url = `${pipeline.http!.url}/predict`;
    const reading = pumpReading(live[0]!);
    const ok = await postJson(url, reading);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ input_data: reading, prediction: { is_anomaly: false, anomaly_score: expect.any(Number) }, model: { features: expect.any(Array) } });

    const { Current: _current, ...withoutCurrent } = reading;
    const missing = await postJson(url, withoutCurrent);
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ error: 'invalid_reading', details: ['Current is required'] });

    const demo = await postJson(url, { temperature: 25.5, humidity: 48.2, sound: 62.1 });
    expect(demo.status).toBe(400);
    expect(demo.body.details).toEqual(PUMP_SENSORS.map((name) => `${name} is required`));
  });
});
