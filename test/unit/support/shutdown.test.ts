import { createShutdown } from '../../../src/support/shutdown.js';
import { silentLogger } from '../../../src/support/logger.js';

describe('shutdown', () => {
  it('when run, then steps run in order, one after another', async () => {
    const shutdown = createShutdown({ logger: silentLogger(), timeoutMs: 1000 });
    const order: string[] = [];
    shutdown.add({ name: 'a', run: async () => { await Promise.resolve(); order.push('a'); } });
    shutdown.add({ name: 'b', run: () => { order.push('b'); } });
    await expect(shutdown.run('test')).resolves.toBe(true);
    expect(order).toEqual(['a', 'b']);
  });

  it('when run twice, then steps run once and both calls share the result', async () => {
    const shutdown = createShutdown({ logger: silentLogger(), timeoutMs: 1000 });
    let count = 0;
    shutdown.add({ name: 'count', run: () => { count += 1; } });
    const [first, second] = await Promise.all([shutdown.run('a'), shutdown.run('b')]);
    expect([first, second, count]).toEqual([true, true, 1]);
    expect(shutdown.started).toBe(true);
  });

  it('when a step fails, then the next still runs', async () => {
    const shutdown = createShutdown({ logger: silentLogger(), timeoutMs: 1000 });
    const ran: string[] = [];
    shutdown.add({ name: 'bad', run: () => { throw new Error('boom'); } });
    shutdown.add({ name: 'good', run: () => { ran.push('good'); } });
    await expect(shutdown.run('test')).resolves.toBe(true);
    expect(ran).toEqual(['good']);
  });

  it('when a step hangs past the deadline, then run resolves false and later steps are skipped', async () => {
    const shutdown = createShutdown({ logger: silentLogger(), timeoutMs: 50 });
    const ran: string[] = [];
    let release: () => void = () => undefined;
    shutdown.add({ name: 'hang', run: () => new Promise<void>((r) => { release = r; }) });
    shutdown.add({ name: 'after', run: () => { ran.push('after'); } });
    await expect(shutdown.run('test')).resolves.toBe(false);
    release();
    await Promise.resolve();
    expect(ran).toEqual([]);
  });
});
