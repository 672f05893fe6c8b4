/**
 * Contract test of the mqemitter-redis patch (src/adapters/broker/patches/emitter-quit.ts): it fails loudly
 * when an upgrade of mqemitter-redis or ioredis changes what the patch relies on. A fake Redis that drops the
 * connection on QUIT stands in for the race (a connection that ends before QUIT's reply is read).
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { quietQuit } from '../../../../../src/adapters/broker/patches/emitter-quit.js';

const versionOf = (name: string) => (JSON.parse(readFileSync(join(process.cwd(), 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;

/** Answers every command with +OK, and closes the connection instead of answering QUIT. */
async function droppingRedis(): Promise<{ server: Server; port: number; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('data', (data) => (/QUIT/i.test(data.toString()) ? socket.destroy() : socket.write('+OK\r\n')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port, sockets };
}

describe('mqemitter-redis and ioredis internals the quit patch relies on', () => {
  let fake: Awaited<ReturnType<typeof droppingRedis>>;
  beforeEach(async () => {
    fake = await droppingRedis();
  });
  afterEach(async () => {
    for (const socket of fake.sockets) socket.destroy();
    await new Promise<void>((resolve) => fake.server.close(() => resolve()));
  });

  it('when the pinned versions are installed, then they are the ones the patch was written for', () => {
    expect(versionOf('mqemitter-redis')).toBe('7.2.1');
    expect(versionOf('ioredis')).toBe('5.11.1');
  });

  it('when mqemitter-redis closes, then it quits both connections and leaves the promises to nobody (why the patch exists)', () => {
    const source = readFileSync(join(process.cwd(), 'node_modules', 'mqemitter-redis', 'mqemitter-redis.js'), 'utf8');
    const close = source.slice(source.indexOf('MQEmitterRedis.prototype.close'), source.indexOf('MQEmitterRedis.prototype._subTopic'));
    expect(close).toMatch(/this\.subConn\.quit\(\)\n/);
    expect(close).toMatch(/this\.pubConn\.quit\(\)\n/);
  });

  it('when a patched connection is quit and ends before the reply, then ioredis rejects the QUIT and the rejection is handled', async () => {
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', record);
    try {
      const redis = quietQuit(new Redis({ port: fake.port, host: '127.0.0.1', enableReadyCheck: false, maxRetriesPerRequest: 0, retryStrategy: () => null }));
      await new Promise((resolve) => redis.once('ready', resolve));
      const closed = new Promise((resolve) => redis.once('close', resolve));
      const reply = redis.quit(); // dropped, as mqemitter-redis drops it
      await closed;
      // An unhandled rejection is reported once the microtasks have run: one turn of the event loop.
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
      // What the patch is for: ioredis rejects a QUIT whose connection ends before the reply.
      await expect(reply).rejects.toThrow('Connection is closed.');
    } finally {
      process.off('unhandledRejection', record);
    }
  });
});
