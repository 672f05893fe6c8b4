import type { IClientOptions } from 'mqtt';
import { createBackoff, reconnectWithBackoff, type ReconnectingClient } from './backoff.js';

/** PEM material for mqtts:// and wss:// brokers: a CA to trust instead of the system's, a client certificate. */
export interface ClientTls {
  ca?: Buffer | undefined;
  cert?: Buffer | undefined;
  key?: Buffer | undefined;
}

/** How to reach and log in to a broker: shared by the worker, the simulator and the client-id claim. */
export interface BrokerConnection {
  url: string;
  username?: string | undefined;
  password?: string | undefined;
  /** 4 = MQTT 3.1.1 (the default), 5 = MQTT 5. */
  protocolVersion?: 4 | 5 | undefined;
  tls?: ClientTls | undefined;
}

/** MQTT 5 ends a session when the connection ends unless told otherwise: "never" keeps 3.1.1's clean=false meaning. */
const SESSION_NEVER_EXPIRES = 0xffffffff;

/** mqtt.js options for a connection's version, credentials and TLS; every client of ours starts from these. */
export function connectionOptions(c: BrokerConnection): IClientOptions {
  return {
    ...(c.username !== undefined ? { username: c.username } : {}),
    ...(c.password !== undefined ? { password: c.password } : {}),
    ...(c.protocolVersion === 5 ? { protocolVersion: 5 } : {}),
    ...(c.tls?.ca !== undefined ? { ca: c.tls.ca } : {}),
    ...(c.tls?.cert !== undefined ? { cert: c.tls.cert } : {}),
    ...(c.tls?.key !== undefined ? { key: c.tls.key } : {}),
  };
}

export interface ConnectionSettings extends BrokerConnection {
  clientId: string;
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
    ...connectionOptions(s),
    clientId: s.clientId,
    clean: s.clean,
    ...(s.protocolVersion === 5 && !s.clean ? { properties: { sessionExpiryInterval: SESSION_NEVER_EXPIRES } } : {}),
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
