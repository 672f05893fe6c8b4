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
import { quietQuit } from './patches/emitter-quit.js';
import { BrokerSetupError } from './setup-error.js';

/** The part of ioredis' client used here. */
interface RedisConnection {
  readonly status: string;
  once(event: 'ready', listener: () => void): unknown;
  disconnect(): void;
}

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
  const { state, subConn, pubConn } = emitter as unknown as { state: NodeJS.EventEmitter; subConn: RedisConnection; pubConn: RedisConnection };
  quietQuit(subConn);
  quietQuit(pubConn);
  // One listener for the emitter's whole life (an 'error' without one would crash the process): at start a
  // Redis error fails the join, later ones are reconnections that ioredis handles and we only report.
  let onError: (err: Error) => void = () => undefined;
  state.on('error', (err: Error) => onError(err));
  const timeoutMs = options.connectTimeoutMs ?? 10_000;
  try {
    await new Promise<void>((resolve, reject) => {
      // 'ready', not mqemitter-redis' 'connect': a SUBSCRIBE sent before ioredis' ready check (INFO) would put the
      // connection in subscriber mode under that check, which then fails and the subscriptions are lost.
      let ready = 0;
      const onReady = () => {
        if (++ready === 2) resolve();
      };
      for (const connection of [subConn, pubConn]) {
        if (connection.status === 'ready') onReady();
        else connection.once('ready', onReady);
      }
      onError = reject;
      setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs).unref();
    });
  } catch (err) {
    onError = () => undefined;
    // quit() would wait for a connection that may never come.
    subConn.disconnect();
    pubConn.disconnect();
    throw new BrokerSetupError(`cannot reach the Redis that joins the brokers ({broker.redisUrl}): ${(err as Error).message}`, 'broker.redisUrl', { cause: err });
  }
  onError = (err) => options.onError?.(err);
  return emitter;
}
