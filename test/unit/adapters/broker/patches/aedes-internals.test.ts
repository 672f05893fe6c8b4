/**
 * Contract tests of the aedes patches (src/adapters/broker/patches): each
 * fails loudly when an upgrade of aedes or its persistences changes what the
 * patch relies on.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Aedes, type PublishPacket } from 'aedes';
import RedisPersistence from 'aedes-persistence-redis/asyncPersistence.js';
import { interceptPublish } from '../../../../../src/adapters/broker/patches/publish-hook.js';
import { hookOutgoingQueues } from '../../../../../src/adapters/broker/patches/outgoing-queues.js';
import { withNodeStreams } from '../../../../../src/adapters/broker/patches/redis-streams.js';

/** Read from node_modules: aedes' exports map hides its package.json from require. */
const versionOf = (name: string) => (JSON.parse(readFileSync(join(process.cwd(), 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
const packet = (topic: string): PublishPacket => ({ cmd: 'publish', topic, payload: Buffer.from('x'), qos: 1, retain: false, dup: false });

describe('aedes internals the patches rely on', () => {
  it('when the pinned versions are installed, then they are the ones the patches were written for', () => {
    expect(versionOf('aedes')).toBe('1.2.0');
    expect(versionOf('aedes-persistence')).toBe('11.0.0');
    expect(versionOf('aedes-persistence-redis')).toBe('12.0.0');
  });

  it('when a message is published through the API, then the publish hook sees it and may drop it', async () => {
    const aedes = await Aedes.createBroker();
    try {
      const seen: string[] = [];
      interceptPublish(aedes, (p) => (seen.push(p.topic), p.topic === 'drop' ? undefined : p));
      const delivered: string[] = [];
      aedes.subscribe('#', (p: PublishPacket, cb: () => void) => (delivered.push(p.topic), cb()), () => undefined);
      await new Promise<void>((r) => aedes.publish(packet('drop'), () => r()));
      await new Promise<void>((r) => aedes.publish(packet('keep'), () => r()));
      expect(seen).toEqual(expect.arrayContaining(['drop', 'keep']));
      expect(delivered).toContain('keep');
      expect(delivered).not.toContain('drop');
    } finally {
      await new Promise<void>((r) => aedes.close(() => r()));
    }
  });

  it('when a message is queued for an offline persistent session, then the outgoing-queue hook is asked for that client', async () => {
    const aedes = await Aedes.createBroker();
    try {
      const admitted: string[] = [];
      hookOutgoingQueues(aedes, { admit: (id) => (admitted.push(id), true), removed: () => undefined });
      const persistence = (aedes as unknown as { persistence: { addSubscriptions(c: unknown, s: unknown): Promise<void>; } }).persistence;
      await persistence.addSubscriptions({ id: 'offline' }, [{ topic: 'a/#', qos: 1 }]);
      await new Promise<void>((r) => aedes.publish(packet('a/b'), () => r()));
      expect(admitted).toEqual(['offline']);
    } finally {
      await new Promise<void>((r) => aedes.close(() => r()));
    }
  });

  it('when aedes-persistence-redis 12 builds a retained stream, then it is not a Node stream unless wrapped (aedes calls .pipe on it)', () => {
    const persistence = new RedisPersistence({ lazyConnect: true });
    const raw = (persistence as unknown as { createRetainedStreamCombi(p: string[]): unknown }).createRetainedStreamCombi(['a/#']);
    expect(raw).not.toBeInstanceOf(Readable);
    const wrapped = withNodeStreams(persistence) as unknown as { createRetainedStreamCombi(p: string[]): unknown };
    expect(wrapped.createRetainedStreamCombi(['a/#'])).toBeInstanceOf(Readable);
    void persistence.destroy().catch(() => undefined);
  });
});
