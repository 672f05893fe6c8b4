import type { IClientOptions } from 'mqtt';
import { createBackoff, reconnectWithBackoff, type ReconnectingClient } from './backoff.js';

export interface ConnectionSettings {
  url: string;
  clientId: string;
  username?: string | undefined;
  password?: string | undefined;
  /** The retained status topic; the broker publishes `offline` there if we die (Last Will). */
  statusTopic?: string;
  /** false = persistent session: the broker keeps our subscription and queues QoS 1 messages while we are away. */
  clean: boolean;
}

export const STATUS_ONLINE = 'online';
export const STATUS_OFFLINE = 'offline';

/** Reconnect delays: 0.5 s, doubling per failed attempt up to 30 s, each cut by up to 30% at random. */
export const RECONNECT_BACKOFF = { initialMs: 500, maxMs: 30_000 } as const;

/**
 * The worker's: it is one client, and what it misses while away piles up (or, on a broker without a durable
 * store, is dropped), so it comes back within ~2 s of a broker restart instead of after up to 30 s.
 */
export const WORKER_RECONNECT_BACKOFF = { initialMs: 250, maxMs: 2_000 } as const;

/** Makes a client created with these options (or any client that reconnects) back off; returns it. */
export function withReconnectBackoff<C extends ReconnectingClient>(client: C, delays: { initialMs: number; maxMs: number } = RECONNECT_BACKOFF): C {
  reconnectWithBackoff(client, createBackoff(delays));
  return client;
}

/** mqtt.js options shared by the worker and other long-lived clients. */
export function mqttClientOptions(s: ConnectionSettings): IClientOptions {
  return {
    clientId: s.clientId,
    clean: s.clean,
    ...(s.username !== undefined ? { username: s.username } : {}),
    ...(s.password !== undefined ? { password: s.password } : {}),
    // The first delay; withReconnectBackoff grows it per failed attempt.
    reconnectPeriod: RECONNECT_BACKOFF.initialMs,
    connectTimeout: 10_000,
    keepalive: 30,
    // Results are QoS 1 and stored until acknowledged; QoS 0 would be dropped offline anyway.
    queueQoSZero: false,
    // The worker subscribes itself on every connection and needs the SUBACK. mqtt.js's own resubscription
    // would go first, ignore a refusal, and make that subscribe a no-op reporting success.
    resubscribe: false,
    // A refused CONNACK (bad password, users file changed) is retried with the same backoff; a worker
    // that is refused at start fails instead (see worker.ts).
    reconnectOnConnackError: true,
    ...(s.statusTopic !== undefined
      ? { will: { topic: s.statusTopic, payload: Buffer.from(STATUS_OFFLINE), qos: 1, retain: true } }
      : {}),
  };
}
