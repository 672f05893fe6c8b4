/**
 * Issue 10, findings 1 and 9: raw CONNECTs and PUBLISHes no client library
 * sends, against the embedded broker with the worker's session behind it.
 */
import { withModel } from '../../helpers/with-model.js';
import { startBroker, type EmbeddedBroker } from '../../../src/adapters/broker/embedded-broker.js';
import { loadConfig } from '../../../src/app/config.js';
import { silentLogger } from '../../../src/support/logger.js';
import { createWorker, type Worker } from '../../../src/worker/worker.js';
import { connectClient, createResources, waitForEvent, waitForMessage } from '../../helpers/mqtt.js';
import { connectBytes, publishBytes, rawClient } from '../../helpers/raw-mqtt.js';
import { trainedModel } from '../../helpers/trained-model.js';

const config = loadConfig({});
const READING = JSON.stringify({ temperature: 25, humidity: 50, sound: 60 });

describe('hardening: protocol checks at the embedded broker', () => {
  const resources = createResources();
  afterEach(() => resources.closeAll());

  async function broker(limits: Parameters<typeof startBroker>[0]['limits'] = {}): Promise<EmbeddedBroker> {
    const b = await startBroker({ host: '127.0.0.1', port: 0, logger: silentLogger(), limits });
    return resources.add(b, (x) => x.close());
  }

  async function worker(url: string): Promise<Worker> {
    const model = await trainedModel();
    const w = createWorker({ url, clientId: `hardening-${process.pid}`, qos: 1, topics: config.topics, maxPayloadBytes: 65536, ...withModel(() => model), logger: silentLogger() });
    resources.add(w, (x) => x.stop(1000));
    await w.start();
    return w;
  }

  it.each([
    ['plain', false],
    ['retained', true],
  ])('when a client sends a %s Last Will with QoS 3 on a sensor topic and drops, then it is refused and the worker keeps scoring', async (_kind, retain) => {
    const b = await broker();
    const w = await worker(b.url);
    const attacker = await rawClient(resources, b.port, connectBytes({
      clientId: 'poison',
      will: { topic: 'factory/sensors/line1/dev1', payload: Buffer.from(READING), qos: 3, retain },
    }));
    const reply = await attacker.firstReply();
    // Then it drops the socket, as the attacker did: a will the broker had taken would be published now.
    attacker.socket.destroy();

    const viewer = await connectClient(resources, b.url);
    await viewer.subscribeAsync('factory/scores/#', { qos: 1 });
    const scored = waitForMessage(viewer, 'factory/scores/line1/press-1');
    const device = await connectClient(resources, b.url);
    await device.publishAsync('factory/sensors/line1/press-1', READING, { qos: 1 });
    await scored;
    expect(w.health()).toMatchObject({ connected: true, subscribed: true });
    expect(reply).toBe('closed');
    expect(b.stats().protocolRefused).toBe(1);
  });

  it('when a message with QoS 3 reaches the broker another way (the API), then it is dropped and counted, not queued', async () => {
    const b = await broker();
    const w = await worker(b.url);
    await new Promise<void>((resolve) => b.aedes.publish({ cmd: 'publish', topic: 'factory/sensors/line1/x', payload: Buffer.from(READING), qos: 3 as 1, retain: false, dup: false }, () => resolve()));
    const viewer = await connectClient(resources, b.url);
    await viewer.subscribeAsync('factory/scores/#', { qos: 1 });
    const scored = waitForMessage(viewer, 'factory/scores/line1/press-1');
    const device = await connectClient(resources, b.url);
    await device.publishAsync('factory/sensors/line1/press-1', READING, { qos: 1 });
    await scored;
    expect(w.stats().received).toBe(1);
    expect(b.stats().invalidMessages).toBe(1);
  });

  it('when a CONNECT has a password but no user name, then the connection is closed without a CONNACK', async () => {
    const b = await broker();
    const raw = await rawClient(resources, b.port, connectBytes({ clientId: 'pw-only', password: Buffer.from('secret') }));
    expect(await raw.firstReply()).toBe('closed');
    expect(b.stats().protocolRefused).toBe(1);
  });

  it('when a CONNECT has an empty client id and clean=false, then it gets CONNACK 2 (identifier rejected)', async () => {
    const b = await broker();
    const raw = await rawClient(resources, b.port, connectBytes({ clientId: '', clean: false }));
    expect(await raw.firstReply()).toMatchObject({ cmd: 'connack', returnCode: 2 });
  });

  it('when a topic is not valid UTF-8, then the message is dropped and counted and the subscriber never sees it', async () => {
    const b = await broker();
    const viewer = await connectClient(resources, b.url);
    await viewer.subscribeAsync('factory/#', { qos: 0 });
    const seen: string[] = [];
    viewer.on('message', (topic) => seen.push(topic));
    const raw = await rawClient(resources, b.port, connectBytes({ clientId: 'utf8' }));
    expect(await raw.firstReply()).toMatchObject({ cmd: 'connack', returnCode: 0 });
    const bad = Buffer.concat([Buffer.from('factory/sensors/line1/'), Buffer.from([0xc3, 0x28]), Buffer.from('x')]);
    raw.socket.write(publishBytes(bad, Buffer.from(READING)));
    raw.socket.write(publishBytes(Buffer.from('factory/sensors/line1/ok'), Buffer.from(READING)));
    await waitForMessage(viewer, 'factory/sensors/line1/ok');
    expect(seen).toEqual(['factory/sensors/line1/ok']);
    expect(b.stats().invalidMessages).toBe(1);
  });

  it('when a socket sends no CONNECT, then it is closed after the CONNECT timeout', async () => {
    const b = await broker({ connectTimeoutMs: 200 });
    const raw = await rawClient(resources, b.port);
    expect(await raw.firstReply(5000)).toBe('closed');
  });

  it('when a client asks for keep-alive 0 and stays silent, then the capped keep-alive closes it', async () => {
    const b = await broker({ maxKeepaliveS: 1 });
    const raw = await rawClient(resources, b.port, connectBytes({ clientId: 'silent', keepalive: 0 }));
    expect(await raw.firstReply()).toMatchObject({ cmd: 'connack', returnCode: 0 });
    // 1.5 keep-alive periods of silence, and the broker closes it; without a cap, never.
    await waitForEvent(raw.socket, 'close', () => true, 5000);
    expect(raw.socket.destroyed).toBe(true);
  });
});
