import type { IncomingMessage } from 'node:http';
import { isIPv6 } from 'node:net';
import type { Duplex } from 'node:stream';
import { Aedes, type AedesOptions, type Client } from 'aedes';
import type { Logger } from '../../support/logger.js';
import { createLogThrottle } from '../../support/log-throttle.js';
import type { AclTopics } from './auth/acl.js';
import { createBrokerCounters, type BrokerStats } from './broker-stats.js';
import { setupSecurity, type BrokerHooks } from './broker-security.js';
import type { Role } from './auth/acl.js';
import { ConnectionTracker } from './connection-tracker.js';
import { guardPacketSize } from './limits/packet-size.js';
import { capOfflineQueues } from './limits/offline-queue.js';
import type { RateLimit } from './limits/rate-limit.js';
import { createRetainedLedger, type RetainedLimits } from './limits/retained.js';
import type { AuthThrottleOptions } from './auth/auth-throttle.js';
import { openStore, type BrokerStore } from './store.js';
import { BrokerSetupError } from './setup-error.js';
import { closeServer, listen } from '../net/listen.js';
import { redactUrl } from '../mqtt/connect-refused.js';
import { createTcpListener } from './tcp-listener.js';
import { createTlsListener, loadTlsMaterial, type TlsOptions } from './tls-listener.js';
import { createWsListener, type WsListener } from './ws-listener.js';
import { joinCluster } from './cluster.js';
import { deliverAcrossNodes } from './patches/cluster-delivery.js';

export { ListenError, type ListenerName } from '../net/listen.js';
export { BrokerSetupError } from './setup-error.js';
export type { BrokerHooks, BrokerStats, TlsOptions, RateLimit, AclTopics, BrokerStore, RetainedLimits, AuthThrottleOptions };

export interface BrokerLimits {
  /** Largest MQTT packet in bytes, header included; a client sending a larger one is disconnected. */
  maxPacketBytes?: number;
  /** Open connections on all listeners together; more are closed as they arrive. */
  maxConnections?: number;
  /** Publish rate per connection of `device` and `viewer` users; over it, messages are dropped. */
  publishRate?: RateLimit;
  /** Messages queued per offline client with a persistent session; over it, new ones are dropped. */
  maxQueuedPerClient?: number;
  // Issue 10: hardening
  /** A socket that has not sent CONNECT within this many ms is closed (aedes' default is 30 s). */
  connectTimeoutMs?: number;
  /** Longest keep-alive in seconds; 0 (none) and more are lowered to it. */
  maxKeepaliveS?: number;
  /** Sockets one address may hold before their CONNECT is through. */
  maxPendingPerAddress?: number;
  /** Connection slots above maxConnections kept for worker and admin users (and the worker's client id). */
  reservedConnections?: number;
  /** Retained messages: count and payload bytes in all, count per user; devices retain only when allowed. */
  retained?: RetainedLimits & { devicesMayRetain: boolean };
  /** Password-guessing delays (users file only). */
  authThrottle?: AuthThrottleOptions;
}

export interface BrokerOptions {
  /** Bind address of every listener. */
  host: string;
  /** MQTT/TCP port; 0 picks a free one. */
  port: number;
  /** MQTT-over-WebSocket port; 0 picks a free one, undefined means no WebSocket listener. */
  wsPort?: number;
  logger: Logger;
  /** Users file (roles and scrypt hashes): every client must log in and the ACL applies. */
  authFile?: string;
  /** Without a users file, accept anonymous clients on a non-loopback host too (refused otherwise). */
  allowAnonymous?: boolean;
  /** The topic layout the ACL is written against; the default topics when omitted. */
  aclTopics?: AclTopics;
  /** Client ids only some roles may use (the worker's); see broker/auth/hooks.ts. */
  reservedClientIds?: ReadonlyMap<string, readonly Role[]>;
  /** MQTT over TLS, on its own port. */
  tls?: TlsOptions;
  /** Unset limits are unlimited. */
  limits?: BrokerLimits;
  /** Extra aedes hooks (tests, embedding), asked after the built-in checks; an `authenticate` here stands in for a users file. */
  hooks?: BrokerHooks;
  /** Sessions, subscriptions, queues and retained messages: in memory (the default) or in Redis. */
  store?: BrokerStore;
  /** Issue 11: joins the brokers that share this Redis, so messages published on one reach subscribers on all (cluster.ts). */
  redisUrl?: string;
}

export interface EmbeddedBroker {
  readonly aedes: Aedes;
  readonly host: string;
  /** The port actually bound. */
  readonly port: number;
  /** The WebSocket port actually bound, when there is a WebSocket listener. */
  readonly wsPort?: number;
  /** The TLS port actually bound, when there is a TLS listener. */
  readonly tlsPort?: number;
  /** `mqtt://host:port` */
  readonly url: string;
  /** `ws://host:wsPort` */
  readonly wsUrl?: string;
  /** `mqtts://host:tlsPort` */
  readonly tlsUrl?: string;
  /** What was refused so far, and the current connection counts. */
  stats(): BrokerStats;
  /** Re-reads the users file (a bad file keeps the old users and rejects). Resolves with the number of users. */
  reloadUsers(): Promise<number>;
  /** Messages queued for `clientId` (its persistent session) and not yet acknowledged. */
  queued(clientId: string): number;
  /**
   * First step of shutdown: stop accepting connections, and close, unacknowledged, any client other than
   * `keepClientIds` that publishes, so nothing is acknowledged that the worker cannot score before the broker goes.
   */
  stopIntake(keepClientIds: readonly string[]): Promise<void>;
  /** Stops listening, drops every connection, closes aedes. Calling it again returns the same promise. */
  close(): Promise<void>;
}

/**
 * Starts aedes with a TCP listener, and a WebSocket and a TLS one when asked.
 * Rejects with BrokerSetupError for a setting that cannot work (unreadable
 * users or TLS file, anonymous access on a network address) before binding
 * anything, and with ListenError if a port cannot be bound.
 */
export async function startBroker(options: BrokerOptions): Promise<EmbeddedBroker> {
  const logger = options.logger.child({ component: 'broker' });
  const limits = options.limits ?? {};
  // Checked here, once: the packet size guard is built per connection, where a bad limit would throw and crash.
  const maxPacket = limits.maxPacketBytes;
  if (maxPacket !== undefined && !(Number.isSafeInteger(maxPacket) && maxPacket >= 2)) {
    throw new RangeError(`maxPacketBytes must be an integer of at least 2 (the smallest MQTT packet), got ${maxPacket}`);
  }
  const counters = createBrokerCounters();
  const throttle = createLogThrottle(10_000);
  const tracker = new ConnectionTracker({
    maxConnections: limits.maxConnections,
    reserved: limits.reservedConnections,
    maxPendingPerAddress: limits.maxPendingPerAddress,
    onRefused: (socket, reason) => {
      if (reason === 'pending') counters.pendingRefused += 1;
      else counters.connectionsRefused += 1;
      throttle(`connection-${reason}`, (suppressed) =>
        logger.warn(
          { peer: socket.remoteAddress, maxConnections: limits.maxConnections, maxPendingPerAddress: limits.maxPendingPerAddress, suppressed },
          reason === 'pending' ? 'connection refused: too many connections from this address waiting for CONNECT' : 'connection refused: connection limit reached',
        ),
      );
    },
  });
  const retainedLedger = limits.retained === undefined ? undefined : createRetainedLedger(limits.retained);
  const security = await setupSecurity(
    {
      host: options.host,
      authFile: options.authFile,
      allowAnonymous: options.allowAnonymous,
      aclTopics: options.aclTopics,
      reservedClientIds: options.reservedClientIds,
      publishRate: limits.publishRate,
      hooks: options.hooks,
      ...(limits.maxKeepaliveS !== undefined ? { maxKeepaliveS: limits.maxKeepaliveS } : {}),
      ...(retainedLedger !== undefined && limits.retained !== undefined ? { retained: { ledger: retainedLedger, devicesMayRetain: limits.retained.devicesMayRetain } } : {}),
      ...(limits.authThrottle !== undefined ? { authThrottle: limits.authThrottle } : {}),
      admit: (client, privileged) => tracker.admit(peerSocket(client), privileged),
    },
    counters,
    logger,
  );
  const tlsMaterial = options.tls === undefined ? undefined : await loadTlsMaterial(options.tls);

  const mq = options.redisUrl === undefined ? undefined : await joinCluster({ url: options.redisUrl, onError: (err) => throttle('cluster', (suppressed) => logger.warn({ err: err.message, suppressed }, 'cluster Redis error')) });
  const store = openStore(options.store ?? { kind: 'memory' }, limits.maxQueuedPerClient ?? 1_000_000);
  const aedes = await createAedes(
    definedOnly({ ...security.aedesOptions, persistence: store.persistence, connectTimeout: limits.connectTimeoutMs, mq }),
    // Issue 11: a broker that fails to start leaves no Redis connection of the cluster open either.
    () => Promise.all([store.close(), new Promise<void>((resolve) => (mq === undefined ? resolve() : mq.close(() => resolve())))]).then(() => undefined),
  );
  if (mq !== undefined) deliverAcrossNodes(aedes, () => (counters.clusterUnstored += 1));
  security.install(aedes);
  const max = limits.maxQueuedPerClient;
  // Always counted: shutdown waits for the worker's queue to empty (see stopIntake).
  const queues = capOfflineQueues(aedes, {
    maxPerClient: max,
    onDropped: (clientId, first) => {
      counters.queueCapped += 1;
      if (first) logger.warn({ clientId, maxQueued: max }, 'offline queue full; new messages for this client are dropped');
    },
    onRoom: (clientId) => logger.info({ clientId }, 'offline queue has room again'),
  });
  const oversized = (clientId: string | undefined, declaredBytes: number | undefined) => {
    counters.oversizedPackets += 1;
    throttle('oversized', (suppressed) =>
      logger.warn({ clientId, declaredBytes, maxPacketBytes: limits.maxPacketBytes, suppressed }, 'packet too large; connection closed'),
    );
  };
  const handle = (stream: Duplex, req?: IncomingMessage): Client => {
    const max = limits.maxPacketBytes;
    // aedes sets stream.client when it takes the stream; it names the client in the log.
    if (max !== undefined) guardPacketSize(stream, max, (bytes) => oversized((stream as { client?: Client }).client?.id ?? undefined, bytes));
    return aedes.handle(stream, req);
  };

  let closing: Promise<void> | undefined;
  watch(aedes, logger, () => closing !== undefined);

  const tcp = createTcpListener({ handle }, tracker);
  let ws: WsListener | undefined;
  const tls = tlsMaterial === undefined ? undefined : createTlsListener(tlsMaterial, handle, tracker, logger);

  const shutdown = async (): Promise<void> => {
    const listenersClosed = Promise.all([closeServer(tcp), ws ? closeServer(ws.http) : undefined, tls ? closeServer(tls) : undefined]);
    ws?.wss.close();
    tracker.destroyAll();
    await listenersClosed;
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    await store.close();
  };
  const close = (): Promise<void> => (closing ??= shutdown());

  let port: number;
  let wsPort: number | undefined;
  let tlsPort: number | undefined;
  try {
    port = await listen(tcp, 'mqtt', options.host, options.port);
    if (options.wsPort !== undefined) {
      ws = createWsListener({ handle }, tracker, logger, { maxPayload: limits.maxPacketBytes, onOversized: (bytes) => oversized(undefined, bytes) });
      wsPort = await listen(ws.http, 'ws', options.host, options.wsPort);
    }
    if (tls !== undefined && options.tls !== undefined) tlsPort = await listen(tls, 'mqtts', options.host, options.tls.port);
  } catch (err) {
    await close();
    throw err;
  }

  const host = urlHost(options.host);
  const url = `mqtt://${host}:${port}`;
  const wsUrl = wsPort === undefined ? undefined : `ws://${host}:${wsPort}`;
  const tlsUrl = tlsPort === undefined ? undefined : `mqtts://${host}:${tlsPort}`;
  logger.info({ listener: 'mqtt', url, access: security.mode, ...(options.redisUrl !== undefined ? { cluster: redactUrl(options.redisUrl), brokerId: aedes.id } : {}) }, 'broker listening');
  if (wsUrl !== undefined) logger.info({ listener: 'ws', url: wsUrl }, 'broker listening');
  if (tlsUrl !== undefined) logger.info({ listener: 'mqtts', url: tlsUrl, clientCertificates: tlsMaterial?.requireClientCert }, 'broker listening');

  const stats = (): BrokerStats => ({
    ...counters,
    connections: tracker.size,
    clients: aedes.connectedClients,
    retained: { count: retainedLedger?.count ?? 0, bytes: retainedLedger?.bytes ?? 0 },
  });
  let intakeStopped: Promise<void> | undefined;
  const stopIntake = (keep: readonly string[]): Promise<void> =>
    (intakeStopped ??= (async () => {
      security.closeIntake((client) => keep.includes(client.id));
      tracker.stopAccepting();
    })());
  return {
    aedes,
    host: options.host,
    port,
    wsPort,
    tlsPort,
    url,
    wsUrl,
    tlsUrl,
    stats,
    reloadUsers: security.reloadUsers,
    queued: queues.queued,
    stopIntake,
    close,
  };
}

function watch(aedes: Aedes, logger: Logger, isClosing: () => boolean): void {
  aedes.on('client', (client) => logger.debug({ clientId: client.id }, 'client connected'));
  aedes.on('clientDisconnect', (client) => logger.debug({ clientId: client.id }, 'client disconnected'));
  // Resets while closing are our own doing, not worth a warning; refused CONNECTs (with a return code) were logged, throttled, when refused.
  const level = (err: Error) => (isClosing() || (err as { errorCode?: number }).errorCode !== undefined ? 'debug' : 'warn');
  aedes.on('clientError', (client, err) => logger[level(err)]({ clientId: client.id, err }, 'client error'));
  aedes.on('connectionError', (client, err) => logger[level(err)]({ clientId: client.id, err }, 'connection error before CONNECT'));
}

/** Redis that cannot be reached would leave aedes waiting in its setup for ever: give up after 10 s, naming the setting. */
async function createAedes(options: AedesOptions, closeStore: () => Promise<void>): Promise<Aedes> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BrokerSetupError('cannot reach the broker store set in {broker.store} within 10 s', 'broker.store')), 10_000);
  });
  try {
    return await Promise.race([Aedes.createBroker(options), timeout]);
  } catch (err) {
    await closeStore();
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

/** The socket a client came in on, as the connection tracker knows it (WebSocket clients: the HTTP request's). */
function peerSocket(client: Client): { remoteAddress?: string | undefined; remotePort?: number | undefined } {
  const conn = client.conn as { remoteAddress?: string; remotePort?: number };
  return conn.remoteAddress !== undefined ? conn : (client.req?.socket ?? {});
}

/** aedes merges options with Object.assign, so a hook given as undefined would replace its default. */
function definedOnly<T extends object>(hooks: T): T {
  return Object.fromEntries(Object.entries(hooks).filter(([, hook]) => hook !== undefined)) as T;
}

function urlHost(host: string): string {
  return isIPv6(host) ? `[${host}]` : host;
}
