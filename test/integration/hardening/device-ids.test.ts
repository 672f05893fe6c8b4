/**
 * Issue 10, findings 9 (device ids) and 10: the worker scored any topic as a
 * device, so `factory/sensors/dev1`, `dev1/../dev2` and different byte strings
 * folded into one `\ufffd` id were all "devices" (the embedded broker drops
 * those topics now, protocol.test.ts; the worker refuses them too, for other
 * brokers: test/unit/core/device-id.test.ts); and with MODEL_SCOPE=device
 * one credential could invent device ids until the real devices' models were
 * evicted. The worker runs with the shipped settings (as `npm start` builds it).
 */
import type { MqttClient } from 'mqtt';
import { loadConfig, type Config } from '../../../src/app/config.js';
import { detectorFromConfig } from '../../../src/app/detector-from-config.js';
import { deviceOptions } from '../../../src/app/device-options.js';
import { createModelHolder } from '../../../src/detector/model-holder.js';
import { silentLogger } from '../../../src/support/logger.js';
import { createWorker, type Worker } from '../../../src/worker/worker.js';
import { connectClient, createResources, startTestBroker, waitForMessages, type ReceivedMessage } from '../../helpers/mqtt.js';
import { trainedModel } from '../../helpers/trained-model.js';

const READING = JSON.stringify({ temperature: 25, humidity: 50, sound: 60 });
const json = (m: ReceivedMessage) => JSON.parse(m.payload.toString()) as Record<string, unknown> & { code?: string; reason?: string; device?: string };

describe('hardening: device ids at the worker', () => {
  const resources = createResources();
  afterEach(() => resources.closeAll());

  async function pipeline(env: Record<string, string> = {}): Promise<{ worker: Worker; device: MqttClient; viewer: MqttClient; config: Config }> {
    const config = loadConfig(env);
    const broker = await startTestBroker(resources);
    const model = await trainedModel();
    const worker = createWorker({
      url: broker.url,
      clientId: `device-ids-${process.pid}`,
      qos: 1,
      topics: config.topics,
      schema: config.sensors,
      maxPayloadBytes: config.worker.maxPayloadBytes,
      maxBatch: config.worker.maxBatch,
      detector: detectorFromConfig(config, createModelHolder(model), silentLogger()),
      logger: silentLogger(),
      ...deviceOptions(config),
    });
    resources.add(worker, (w) => w.stop(1000));
    await worker.start();
    const viewer = await connectClient(resources, broker.url);
    await viewer.subscribeAsync(['factory/scores/#', 'factory/errors'], { qos: 1 });
    const device = await connectClient(resources, broker.url);
    return { worker, device, viewer, config };
  }

  it('when readings arrive under topics that are not one <line>/<device> id, then each is dead-lettered invalid_device with the reason, and none is scored', async () => {
    const { worker, device, viewer } = await pipeline();
    const topics = [
      'factory/sensors/dev1', // no line
      'factory/sensors/dev1/../dev2', // a path trick
      'factory/sensors/line1/./dev1',
      'factory/sensors/line1/a b', // outside DEVICE_ID_PATTERN
    ];
    const answers = waitForMessages(viewer, 'factory/#', topics.length + 1);
    for (const topic of topics) await device.publishAsync(topic, READING, { qos: 1 });
    await device.publishAsync('factory/sensors/line1/press-1', READING, { qos: 1 });

    const received = (await answers).map(json);
    expect(received.slice(0, topics.length)).toEqual(topics.map((topic) => expect.objectContaining({ topic, code: 'invalid_device', reason: expect.stringMatching(/\w/) })));
    expect(received[topics.length]).toMatchObject({ device: 'line1/press-1' });
    expect(worker.stats()).toMatchObject({ received: topics.length + 1, scored: 1 });
  });

  it('when one credential invents 300 device ids with MODEL_SCOPE=device, then new ids past its cap are dead-lettered device_limit and the real devices keep their models', async () => {
    const { worker, device, viewer, config } = await pipeline({ MODEL_SCOPE: 'device', MODEL_WARMUP: '16' });
    const real = ['line2/press-1', 'line2/press-2', 'line2/press-3'];
    const warmedUp = waitForMessages(viewer, 'factory/scores/#', real.length * 17);
    for (let i = 0; i <= 16; i++) for (const id of real) await device.publishAsync(`factory/sensors/${id}`, READING, { qos: 1 });
    const ownModels = new Map((await warmedUp).slice(-real.length).map((m) => [json(m).device, (json(m).model as { id: string }).id]));
    expect([...ownModels.keys()].sort()).toEqual(real);

    const invented = 300;
    const answered = waitForMessages(viewer, 'factory/#', invented, () => true, 30_000);
    for (let i = 0; i < invented; i++) device.publish(`factory/sensors/line1/fake-${i}`, READING, { qos: 1 });
    const refused = (await answered).map(json).filter((m) => m.code === 'device_limit');

    // The finding first: the real devices are scored by the models they trained, not warming up again.
    const after = waitForMessages(viewer, 'factory/scores/#', real.length, (m) => real.includes(String(json(m).device)));
    for (const id of real) await device.publishAsync(`factory/sensors/${id}`, READING, { qos: 1 });
    for (const message of (await after).map(json)) {
      expect(message).toMatchObject({ prediction: { status: 'ready' }, model: { id: ownModels.get(String(message.device)) } });
    }
    const cap = Math.min(config.devices.maxPerLine ?? invented, invented);
    expect(refused).toHaveLength(invented - cap);
    expect(refused[0]?.reason).toMatch(/line line1 has its maximum/);
    expect(worker.stats().scored).toBe(real.length * 18 + cap);
  });
});
