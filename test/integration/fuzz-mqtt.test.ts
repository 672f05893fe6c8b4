import { connectClient, createResources, waitForMessage } from '../helpers/mqtt.js';
import { FUZZ_TOPICS, startFuzzTarget } from '../helpers/fuzz-mqtt.js';

const json = (payload: Buffer) => JSON.parse(payload.toString('utf8')) as Record<string, unknown>;
const reading = { temperature: 25.2, humidity: 49.8, sound: 60.4 };

describe('MQTT hostile input', () => {
  const resources = createResources();
  afterEach(() => resources.closeAll());

  it('when a valid reading carries a 10,000-level nested extra field, then it is dead-lettered with a reason, not dropped', async () => {
    const { broker, worker } = await startFuzzTarget(resources);
    const observer = await connectClient(resources, broker.url);
    await observer.subscribeAsync([FUZZ_TOPICS.errors, 'factory/scores/#'], { qos: 1 });
    const device = await connectClient(resources, broker.url);
    const deep = `{"temperature":25,"humidity":50,"sound":60,"meta":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;

    const letter = waitForMessage(observer, FUZZ_TOPICS.errors);
    const scored = waitForMessage(observer, 'factory/scores/line1/ok');
    await device.publishAsync('factory/sensors/line1/deep', deep, { qos: 1 });
    await device.publishAsync('factory/sensors/line1/ok', JSON.stringify(reading), { qos: 1 });

    expect(json((await letter).payload)).toMatchObject({
      topic: 'factory/sensors/line1/deep',
      code: 'invalid_reading',
      reason: expect.stringMatching(/nested/),
    });
    expect(json((await scored).payload)).toMatchObject({ device: 'line1/ok', input_data: reading });
    expect(worker.stats()).toMatchObject({ received: 2, rejected: 1, scored: 1, rejectedByCode: { invalid_reading: 1 } });
  });
});
