import { isIPv6 } from 'node:net';
import { Aedes, type AedesOptions } from 'aedes';
import type { Logger } from '../src/logger.js';
import { ConnectionTracker } from './connection-tracker.js';
import { closeServer, listen } from './listen.js';
import { createTcpListener } from './tcp-listener.js';
import { createWsListener, type WsListener } from './ws-listener.js';

export { ListenError, type ListenerName } from './listen.js';

/** Auth and ACL hooks, passed to aedes as they are (none are installed by default). */
export type BrokerHooks = Pick<AedesOptions, 'authenticate' | 'authorizePublish' | 'authorizeSubscribe'>;

export interface BrokerOptions {
  /** Bind address of both listeners. */
  host: string;
  /** MQTT/TCP port; 0 picks a free one. */
  port: number;
  /** MQTT-over-WebSocket port; 0 picks a free one, undefined means no WebSocket listener. */
  wsPort?: number;
  logger: Logger;
  hooks?: BrokerHooks;
}

export interface EmbeddedBroker {
  readonly aedes: Aedes;
  readonly host: string;
  /** The port actually bound. */
  readonly port: number;
  /** The WebSocket port actually bound, when there is a WebSocket listener. */
  readonly wsPort?: number;
  /** `mqtt://host:port` */
  readonly url: string;
  /** `ws://host:wsPort` */
  readonly wsUrl?: string;
  /** Stops listening, drops every connection, closes aedes. Calling it again returns the same promise. */
  close(): Promise<void>;
}

/** Starts aedes with a TCP listener and, when `wsPort` is set, a WebSocket one. Rejects with ListenError if a port cannot be bound. */
export async function startBroker(options: BrokerOptions): Promise<EmbeddedBroker> {
  const logger = options.logger.child({ component: 'broker' });
  const aedes = await Aedes.createBroker(definedOnly(options.hooks ?? {}));
  const tracker = new ConnectionTracker();
  let closing: Promise<void> | undefined;
  watch(aedes, logger, () => closing !== undefined);

  const tcp = createTcpListener(aedes, tracker);
  let ws: WsListener | undefined;

  const shutdown = async (): Promise<void> => {
    const listenersClosed = Promise.all([closeServer(tcp), ws ? closeServer(ws.http) : undefined]);
    ws?.wss.close();
    tracker.destroyAll();
    await listenersClosed;
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
  };
  const close = (): Promise<void> => (closing ??= shutdown());

  let port: number;
  let wsPort: number | undefined;
  try {
    port = await listen(tcp, 'mqtt', options.host, options.port);
    if (options.wsPort !== undefined) {
      ws = createWsListener(aedes, tracker, logger);
      wsPort = await listen(ws.http, 'ws', options.host, options.wsPort);
    }
  } catch (err) {
    await close();
    throw err;
  }

  const host = urlHost(options.host);
  const url = `mqtt://${host}:${port}`;
  const wsUrl = wsPort === undefined ? undefined : `ws://${host}:${wsPort}`;
  logger.info({ listener: 'mqtt', url }, 'broker listening');
  if (wsUrl !== undefined) logger.info({ listener: 'ws', url: wsUrl }, 'broker listening');

  return { aedes, host: options.host, port, wsPort, url, wsUrl, close };
}

function watch(aedes: Aedes, logger: Logger, isClosing: () => boolean): void {
  aedes.on('client', (client) => logger.debug({ clientId: client.id }, 'client connected'));
  aedes.on('clientDisconnect', (client) => logger.debug({ clientId: client.id }, 'client disconnected'));
  // Resets while closing are our own doing, not worth a warning.
  aedes.on('clientError', (client, err) =>
    logger[isClosing() ? 'debug' : 'warn']({ clientId: client.id, err }, 'client error'),
  );
  aedes.on('connectionError', (client, err) =>
    logger[isClosing() ? 'debug' : 'warn']({ clientId: client.id, err }, 'connection error before CONNECT'),
  );
}

/** aedes merges options with Object.assign, so a hook given as undefined would replace its default. */
function definedOnly(hooks: BrokerHooks): AedesOptions {
  return Object.fromEntries(Object.entries(hooks).filter(([, hook]) => hook !== undefined));
}

function urlHost(host: string): string {
  return isIPv6(host) ? `[${host}]` : host;
}
