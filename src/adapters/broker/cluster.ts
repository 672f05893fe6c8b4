/**
 * Issue 11: several embedded brokers joined through Redis. aedes routes every
 * message through its emitter (`mq`); with mqemitter-redis that emitter is a
 * Redis pub/sub channel per topic, so a message published on broker A reaches
 * the subscribers connected to broker B, and a client id connecting on B
 * closes the same id on A (aedes' `$SYS/<id>/new/clients`).
 *
 * Only messages travel this way. Sessions, subscriptions, offline queues and
 * retained messages stay in each broker's store (BROKER_STORE, issue 10): with
 * the in-memory store a persistent session lives on the node the client last
 * connected to; with a shared Redis store every node sees every session.
 */
import MQEmitterRedis from 'mqemitter-redis';
import { BrokerSetupError } from './setup-error.js';

/** What aedes takes as its `mq`. */
export type ClusterEmitter = ReturnType<typeof MQEmitterRedis>;

export interface ClusterOptions {
  /** `redis://[user:password@]host:port[/db]`, or `rediss://` for TLS. */
  url: string;
  /** aedes' default emitter concurrency (100): how many messages are delivered at once. */
  concurrency?: number;
  /** How long to wait for Redis at start (default 10 s). */
  connectTimeoutMs?: number;
  /** Redis errors once joined (ioredis reconnects by itself). */
  onError?: (err: Error) => void;
}

/**
 * Connects the emitter's two Redis connections (publish and subscribe); rejects with a BrokerSetupError
 * naming the setting when Redis cannot be reached in time, instead of letting aedes wait for ever.
 */
export async function joinCluster(options: ClusterOptions): Promise<ClusterEmitter> {
  const emitter = MQEmitterRedis({
    connectionString: options.url,
    concurrency: options.concurrency ?? 100,
    // As aedes' own emitter: `a/#` also matches `a` [MQTT-4.7.1-3].
    matchEmptyLevels: true,
    // A command fails after a few retries instead of queueing for ever while Redis is away;
    // the connections themselves keep reconnecting.
    maxRetriesPerRequest: 3,
  });
  const state = (emitter as unknown as { state: NodeJS.EventEmitter }).state;
  try {
    await new Promise<void>((resolve, reject) => {
      let connected = 0;
      const onConnect = () => {
        if (++connected === 2) resolve();
      };
      state.on('subConnect', onConnect);
      state.on('pubConnect', onConnect);
      state.once('error', reject);
      setTimeout(() => reject(new Error(`no answer within ${options.connectTimeoutMs ?? 10_000} ms`)), options.connectTimeoutMs ?? 10_000).unref();
    });
  } catch (err) {
    // quit() would wait for a connection that may never come.
    const { subConn, pubConn } = emitter as unknown as { subConn: { disconnect(): void }; pubConn: { disconnect(): void } };
    subConn.disconnect();
    pubConn.disconnect();
    throw new BrokerSetupError(`cannot reach the Redis that joins the brokers ({broker.redisUrl}): ${(err as Error).message}`, 'broker.redisUrl', { cause: err });
  }
  // From here on Redis errors are reconnections, which ioredis handles; an unhandled 'error' would crash.
  state.removeAllListeners('error');
  state.on('error', (err: Error) => options.onError?.(err));
  return emitter;
}
