import type { EventEmitter } from 'node:events';
import { connect as connectTcp } from 'node:net';
import { connect as connectMqtt, type IClientOptions, type MqttClient } from 'mqtt';
import { WebSocket } from 'ws';
import type { Client } from 'aedes';
import { startBroker } from '../../src/adapters/broker/embedded-broker.js';
import { silentLogger } from '../../src/support/logger.js';
import {
  captureLogs,
  connectAs,
  refusedConnect,
  startSecuredBroker,
  tempDir,
  writeTestUsers,
} from '../helpers/broker-auth.js';
import { createResources, DEFAULT_TIMEOUT_MS, waitForEvent, waitForMessage, waitForMessages, type ReceivedMessage } from '../helpers/mqtt.js';

const resources = createResources();
afterEach(() => resources.closeAll());

/** Messages on `filter`, collected from the moment of the call. */
function collect(client: MqttClient, filter = '#'): ReceivedMessage[] {
  const seen: ReceivedMessage[] = [];
  client.on('message', (topic, payload) => {
    if (filter === '#' || topic.startsWith(filter.replace(/#$/, ''))) seen.push({ topic, payload });
  });
  return seen;
}

describe('maximum packet size', () => {
  it('when a client publishes a packet over the limit, then it is disconnected and the message goes nowhere', async () => {
    const broker = await startSecuredBroker(resources, { limits: { maxPacketBytes: 1024 } });
    const sub = await connectAs(resources, broker.url, undefined);
    await sub.subscribeAsync('t/#', { qos: 1 });
    const first = waitForMessage(sub, 't/#');

    const big = await connectAs(resources, broker.url, undefined);
    const closed = waitForEvent(big, 'close');
    big.publish('t/big', Buffer.alloc(2000, 1), { qos: 0 });
    await closed;
    const small = await connectAs(resources, broker.url, undefined);
    await small.publishAsync('t/small', Buffer.alloc(900, 2), { qos: 1 });

    expect((await first).topic).toBe('t/small');
    expect(broker.stats().oversizedPackets).toBe(1);
  });

  it('when the limit is below the smallest packet, then the broker refuses to start instead of crashing at the first connection', async () => {
    const started = startBroker({ host: '127.0.0.1', port: 0, logger: silentLogger(), limits: { maxPacketBytes: 1 } });
    void started.then((broker) => resources.add(broker, (b) => b.close()), () => undefined);
    await expect(started).rejects.toThrow(/maxPacketBytes/);
  });

  it('when a header declares a huge packet, then the connection is closed at once, without waiting for the body', async () => {
    const broker = await startSecuredBroker(resources, { limits: { maxPacketBytes: 65536 } });
    const socket = resources.add(connectTcp(broker.port, '127.0.0.1'), (s) => s.destroy());
    socket.on('error', () => undefined);
    await waitForEvent(socket as unknown as EventEmitter, 'connect');
    const closed = waitForEvent(socket as unknown as EventEmitter, 'close');
    // PUBLISH with the largest remaining length MQTT allows (268,435,455 bytes), and not one byte of it.
    socket.write(Buffer.from([0x30, 0xff, 0xff, 0xff, 0x7f]));
    await closed;
    expect(broker.stats().oversizedPackets).toBe(1);
  });

  it('when a WebSocket client sends a packet over the limit, then it is disconnected too', async () => {
    const broker = await startSecuredBroker(resources, { wsPort: 0, limits: { maxPacketBytes: 1024 } });
    const client = await connectAs(resources, broker.wsUrl!, undefined);
    const closed = waitForEvent(client, 'close');
    client.publish('t/big', Buffer.alloc(4000, 1), { qos: 0 });
    await closed;
    const ok = await connectAs(resources, broker.wsUrl!, undefined);
    await ok.publishAsync('t/small', Buffer.alloc(500), { qos: 1 });
    expect(broker.stats().oversizedPackets).toBe(1);
  });

  it('when a WebSocket frame alone is over the limit, then ws refuses it and it is counted the same way', async () => {
    const broker = await startSecuredBroker(resources, { wsPort: 0, limits: { maxPacketBytes: 1024 } });
    const socket = resources.add(new WebSocket(broker.wsUrl!, 'mqtt'), (s) => s.terminate());
    await waitForEvent(socket as unknown as EventEmitter, 'open');
    const closed = waitForEvent<[number]>(socket as unknown as EventEmitter, 'close');
    socket.send(Buffer.alloc(4000));
    expect((await closed)[0]).toBe(1009);
    expect(broker.stats().oversizedPackets).toBe(1);
  });
});

describe('maximum connections', () => {
  it('when the limit is reached, then the next connection is closed and counted; the open ones keep working', async () => {
    const { logger, lines } = captureLogs();
    const broker = await startSecuredBroker(resources, { limits: { maxConnections: 2 }, logger });
    const a = await connectAs(resources, broker.url, undefined);
    await connectAs(resources, broker.url, undefined);
    expect(broker.stats().connections).toBe(2);

    await refusedConnect(broker.url, {});
    expect(broker.stats().connectionsRefused).toBe(1);
    expect(lines).toContainEqual(expect.objectContaining({ level: 40, msg: 'connection refused: connection limit reached', maxConnections: 2 }));
    await a.publishAsync('t', 'still fine', { qos: 1 });
  });
});

describe('publish rate limit', () => {
  async function rateLimitedBroker() {
    const { file, users } = await writeTestUsers(tempDir(resources), { 'press-1': 'device', worker: 'worker', admin: 'admin' });
    const { logger, lines } = captureLogs();
    // A refill this slow cannot add a token while the test runs: exactly the burst gets through.
    const broker = await startSecuredBroker(resources, { authFile: file, logger, limits: { publishRate: { perSecond: 0.001, burst: 3 } } });
    const observer = await connectAs(resources, broker.url, users.admin!);
    await observer.subscribeAsync('factory/#', { qos: 1 });
    return { broker, users, lines, observer };
  }

  it('when a device publishes faster than its limit, then the excess is dropped, logged once and counted, and it stays connected', async () => {
    const { broker, users, lines, observer } = await rateLimitedBroker();
    const seen = collect(observer);
    const marker = waitForMessage(observer, 'factory/marker');
    const device = await connectAs(resources, broker.url, users['press-1']!);
    for (let i = 0; i < 6; i++) await device.publishAsync('factory/sensors/press-1/t', String(i), { qos: 1 });
    await (await connectAs(resources, broker.url, users.admin!)).publishAsync('factory/marker', 'end', { qos: 1 });
    await marker;

    expect(seen.filter((m) => m.topic === 'factory/sensors/press-1/t').map((m) => m.payload.toString())).toEqual(['0', '1', '2']);
    expect(broker.stats().rateLimited).toBe(3);
    expect(lines.filter((l) => l.msg === 'publish rate limit exceeded; message dropped')).toEqual([
      expect.objectContaining({ level: 40, username: 'press-1', topic: 'factory/sensors/press-1/t' }),
    ]);
    expect(device.connected).toBe(true);
  });

  it('when the worker publishes fast, then nothing is dropped: it publishes for every device', async () => {
    const { broker, users, observer } = await rateLimitedBroker();
    const all = waitForMessages(observer, 'factory/anomalies', 6);
    const worker = await connectAs(resources, broker.url, users.worker!);
    for (let i = 0; i < 6; i++) await worker.publishAsync('factory/anomalies', String(i), { qos: 1 });
    expect((await all).map((m) => m.payload.toString())).toEqual(['0', '1', '2', '3', '4', '5']);
    expect(broker.stats().rateLimited).toBe(0);
  });
});

describe('offline queue cap', () => {
  /** A client whose 'message' listener is attached before CONNECT, so nothing sent right after CONNACK is missed. */
  function persistentClient(url: string, options: IClientOptions): { client: MqttClient; seen: ReceivedMessage[]; connected: Promise<unknown> } {
    const client = resources.add(connectMqtt(url, { reconnectPeriod: 0, connectTimeout: DEFAULT_TIMEOUT_MS, clean: false, ...options }), (c) => c.endAsync(true));
    const seen = collect(client);
    return { client, seen, connected: waitForEvent(client, 'connect') };
  }

  it('when an offline client misses more than the cap, then the oldest are kept, the rest dropped, logged once and counted', async () => {
    const { logger, lines } = captureLogs();
    const broker = await startSecuredBroker(resources, { limits: { maxQueuedPerClient: 3 }, logger });
    const first = persistentClient(broker.url, { clientId: 'offline-sub' });
    await first.connected;
    await first.client.subscribeAsync('q/#', { qos: 1 });
    // Offline for the broker, not only for the client: otherwise the first message may still go to the closing connection.
    const gone = waitForEvent<[Client]>(broker.aedes as unknown as EventEmitter, 'clientDisconnect', (c) => c.id === 'offline-sub');
    await first.client.endAsync();
    await gone;

    const publisher = await connectAs(resources, broker.url, undefined);
    // aedes emits 'publish' once a message is routed, offline queues included (a PUBACK comes before that).
    let routed = 0;
    const allRouted = waitForEvent<[{ topic: string }]>(broker.aedes as unknown as EventEmitter, 'publish', (p) => p.topic === 'q/x' && ++routed === 5);
    for (let i = 0; i < 5; i++) await publisher.publishAsync('q/x', String(i), { qos: 1 });
    await allRouted;
    expect(broker.stats().queueCapped).toBe(2);
    expect(lines.filter((l) => l.msg === 'offline queue full; new messages for this client are dropped')).toEqual([
      expect.objectContaining({ level: 40, clientId: 'offline-sub', maxQueued: 3 }),
    ]);

    // clientReady: aedes has written the whole queue; a message published after it arrives after the queued ones.
    const ready = waitForEvent<[Client]>(broker.aedes as unknown as EventEmitter, 'clientReady', (c) => c.id === 'offline-sub');
    const again = persistentClient(broker.url, { clientId: 'offline-sub' });
    await again.connected;
    await ready;
    const marker = waitForMessage(again.client, 'q/marker');
    await publisher.publishAsync('q/marker', 'end', { qos: 1 });
    await marker;
    expect(again.seen.map((m) => m.payload.toString())).toEqual(['0', '1', '2', 'end']);
  });

  it('when the client is connected, then its messages are never capped', async () => {
    const broker = await startSecuredBroker(resources, { limits: { maxQueuedPerClient: 1 } });
    const online = persistentClient(broker.url, { clientId: 'online-sub' });
    await online.connected;
    await online.client.subscribeAsync('q/#', { qos: 1 });
    const all = waitForMessages(online.client, 'q/#', 5);
    const publisher = await connectAs(resources, broker.url, undefined);
    await Promise.all([0, 1, 2, 3, 4].map((i) => publisher.publishAsync('q/x', String(i), { qos: 1 })));
    expect((await all).map((m) => m.payload.toString()).sort()).toEqual(['0', '1', '2', '3', '4']);
    expect(broker.stats().queueCapped).toBe(0);
  });
});
