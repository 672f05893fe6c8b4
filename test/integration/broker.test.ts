import { createServer, Socket, type Server } from 'node:net';
import type { Client } from 'aedes';
import { startBroker, ListenError } from '../../src/adapters/broker/embedded-broker.js';
import { silentLogger } from '../../src/support/logger.js';
import {
  connectClient,
  createResources,
  startTestBroker,
  waitForEvent,
  waitForMessage,
  withTimeout,
} from '../helpers/mqtt.js';

const resources = createResources();
afterEach(async () => {
  jest.restoreAllMocks();
  await resources.closeAll();
});

describe('embedded broker', () => {
  it('when a client publishes over TCP, then a subscriber receives it', async () => {
    const broker = await startTestBroker(resources);
    expect(broker.port).toBeGreaterThan(0);
    expect(broker.url).toBe(`mqtt://127.0.0.1:${broker.port}`);
    expect(broker.wsUrl).toBeUndefined();

    const sub = await connectClient(resources, broker.url);
    await sub.subscribeAsync('factory/sensors/+/+', { qos: 1 });
    const received = waitForMessage(sub, 'factory/sensors/+/+');
    const pub = await connectClient(resources, broker.url);
    await pub.publishAsync('factory/sensors/line1/press-1', '{"temperature":25}', { qos: 1 });

    const message = await received;
    expect(message.topic).toBe('factory/sensors/line1/press-1');
    expect(message.payload.toString()).toBe('{"temperature":25}');
  });

  it('when a client publishes over WebSocket, then TCP and WebSocket subscribers receive it', async () => {
    const broker = await startTestBroker(resources, { ws: true });
    expect(broker.wsPort).toBeGreaterThan(0);
    expect(broker.wsUrl).toBe(`ws://127.0.0.1:${broker.wsPort}`);

    const tcpSub = await connectClient(resources, broker.url);
    const wsSub = await connectClient(resources, broker.wsUrl!);
    await tcpSub.subscribeAsync('t/#');
    await wsSub.subscribeAsync('t/#');
    const viaTcp = waitForMessage(tcpSub, 't/ws');
    const viaWs = waitForMessage(wsSub, 't/ws');
    const wsPub = await connectClient(resources, broker.wsUrl!);
    await wsPub.publishAsync('t/ws', 'hello');

    expect((await viaTcp).payload.toString()).toBe('hello');
    expect((await viaWs).payload.toString()).toBe('hello');
  });

  it('when a plain HTTP request reaches the WebSocket port, then it gets 426', async () => {
    const broker = await startTestBroker(resources, { ws: true });
    const res = await fetch(`http://127.0.0.1:${broker.wsPort}/`);
    expect(res.status).toBe(426);
  });

  it.each([
    ['TCP', false],
    ['WebSocket', true],
  ])('when a client connects over %s, then its server socket has no-delay set', async (_name, overWs) => {
    const setNoDelay = jest.spyOn(Socket.prototype, 'setNoDelay');
    const broker = await startTestBroker(resources, { ws: overWs });
    const connected = waitForEvent<[Client]>(broker.aedes, 'client');
    await connectClient(resources, overWs ? broker.wsUrl! : broker.url);
    const [client] = await connected;

    // Over WebSocket, client.conn is a stream; the TCP socket is under the upgrade request.
    const serverSocket = overWs ? client.req?.socket : client.conn;
    expect(serverSocket).toBeInstanceOf(Socket);
    const calls = setNoDelay.mock.contexts.flatMap((socket, i) => (socket === serverSocket ? [setNoDelay.mock.calls[i]] : []));
    expect(calls).toContainEqual([true]);
  });

  it('when the MQTT port is taken, then startBroker rejects with a ListenError naming the mqtt listener', async () => {
    const port = await occupyPort();
    const error = await startBroker({ host: '127.0.0.1', port, logger: silentLogger() }).catch((err: unknown) => err);

    expect(error).toBeInstanceOf(ListenError);
    expect(error).toMatchObject({ listener: 'mqtt', host: '127.0.0.1', port, code: 'port_in_use', errno: 'EADDRINUSE' });
    expect((error as Error).message).toContain(`127.0.0.1:${port}`);
    expect((error as Error).message).toContain('already in use');
  });

  it('when the WebSocket port is taken, then startBroker rejects with a ListenError naming the ws listener', async () => {
    const port = await occupyPort();
    const error = await startBroker({ host: '127.0.0.1', port: 0, wsPort: port, logger: silentLogger() }).catch(
      (err: unknown) => err,
    );

    expect(error).toBeInstanceOf(ListenError);
    expect(error).toMatchObject({ listener: 'ws', port, code: 'port_in_use', errno: 'EADDRINUSE' });
  });

  it('when close() is called twice with clients connected, then both calls share one promise that resolves promptly', async () => {
    const broker = await startBroker({ host: '127.0.0.1', port: 0, wsPort: 0, logger: silentLogger() });
    resources.add(broker, (b) => b.close());
    const tcpClient = await connectClient(resources, broker.url);
    const wsClient = await connectClient(resources, broker.wsUrl!);
    // A socket that never sends CONNECT: aedes does not know it, close() must still drop it.
    const silent = await openRawSocket(broker.port);
    const clientsClosed = Promise.all([
      waitForEvent(tcpClient, 'close'),
      waitForEvent(wsClient, 'close'),
      waitForEvent(silent, 'close'),
    ]);

    const first = broker.close();
    const second = broker.close();
    expect(second).toBe(first);
    await withTimeout(first, 2000, 'broker.close()');
    await withTimeout(clientsClosed, 2000, 'clients to see the connection close');
    expect(broker.aedes.closed).toBe(true);
  });

  it('when the broker is closed, then it no longer accepts connections', async () => {
    const broker = await startTestBroker(resources);
    await broker.close();
    await expect(openRawSocket(broker.port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});

/** A port some other server already listens on; the server is closed at teardown. */
async function occupyPort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  resources.add(server, (s) => new Promise((resolve) => s.close(resolve)));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no address');
  return address.port;
}

function openRawSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    socket.once('error', reject);
    socket.connect(port, '127.0.0.1', () => {
      socket.off('error', reject);
      resolve(resources.add(socket, (s) => s.destroy()));
    });
  });
}
