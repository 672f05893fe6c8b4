/**
 * Where the broker keeps its state (sessions, subscriptions, queued QoS 1
 * messages, retained messages, wills): in this process (`memory`, lost when
 * it stops) or in Redis (`redis://host:port/db`, kept across broker restarts)
 * through aedes-persistence-redis 12, the first version with `cleanIncoming`
 * (the QoS 2 dedup entries of a clean session are dropped when it ends; 11.x
 * kept them for ever, a store any client could grow without bound).
 *
 * Issue 11's Redis-joined cluster adds an mqemitter-redis for messages
 * between brokers; this store is the other half and takes the same server.
 */
import type { AedesOptions } from 'aedes';
import RedisPersistence from 'aedes-persistence-redis/asyncPersistence.js';
import { SettingError } from '../../support/setting-error.js';
import { withNodeStreams } from './patches/redis-streams.js';

export type BrokerStore = { readonly kind: 'memory' } | { readonly kind: 'redis'; readonly url: string };

export interface OpenedStore {
  /** For aedes' options; undefined = aedes' own in-memory store. */
  readonly persistence: AedesOptions['persistence'];
  /** Disconnects from the store (aedes.close() does not). Idempotent. */
  close(): Promise<void>;
}

/** `redis://[:password@]host[:port][/db]` as ioredis options; throws SettingError('broker.store') when malformed. */
export function redisOptions(url: string): { host: string; port: number; db: number; password?: string; username?: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw badStore(url);
  }
  const db = parsed.pathname.replace(/^\//, '');
  if (parsed.protocol !== 'redis:' || parsed.hostname === '' || !/^\d*$/.test(db)) {
    throw badStore(url);
  }
  return {
    host: parsed.hostname.replace(/^\[|\]$/g, ''),
    port: parsed.port === '' ? 6379 : Number(parsed.port),
    db: db === '' ? 0 : Number(db),
    ...(parsed.password !== '' ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(parsed.username !== '' ? { username: decodeURIComponent(parsed.username) } : {}),
  };
}

/**
 * `maxSessionDelivery`: aedes-persistence-redis sends a reconnecting client at most this many queued messages
 * (default 1,000) and leaves the rest until its next reconnect, so it gets the queue cap instead.
 */
export function openStore(store: BrokerStore, maxSessionDelivery: number): OpenedStore {
  if (store.kind === 'memory') return { persistence: undefined, close: async () => undefined };
  const persistence = withNodeStreams(new RedisPersistence({
    ...redisOptions(store.url),
    maxSessionDelivery,
    // Fail a command after a few retries instead of queueing it for ever while Redis is away.
    maxRetriesPerRequest: 3,
  }));
  let closing: Promise<void> | undefined;
  return {
    persistence: persistence as unknown as AedesOptions['persistence'],
    close: () => (closing ??= persistence.destroy().catch(() => undefined)),
  };
}

function badStore(url: string): SettingError {
  return new SettingError('bad_store', 'broker.store', `{broker.store} must be memory or redis://host:port/db, got ${JSON.stringify(url)}`);
}
