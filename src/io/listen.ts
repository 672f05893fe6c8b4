import type { Server } from 'node:net';

/** Every listener the programs open; the entry points map each to the variable that sets its port. */
export type ListenerName = 'mqtt' | 'ws' | 'mqtts' | 'http';

const LISTENER_LABEL: Record<ListenerName, string> = {
  mqtt: 'MQTT/TCP',
  ws: 'MQTT over WebSocket',
  mqtts: 'MQTT over TLS',
  http: 'HTTP',
};

/** The setting an operator changes when a listener cannot bind. */
export const PORT_VARIABLE: Record<ListenerName, string> = {
  mqtt: 'MQTT_PORT',
  ws: 'MQTT_WS_PORT',
  mqtts: 'MQTT_TLS_PORT',
  http: 'HTTP_PORT',
};

const CODE_MEANING: Record<string, string> = {
  EADDRINUSE: 'the port is already in use',
  EACCES: 'permission denied (ports below 1024 need privileges)',
  EADDRNOTAVAIL: 'the address is not available on this machine',
  ENOTFOUND: 'the host name does not resolve',
};

/**
 * A listener could not bind. Carries which one and where, so the entry point
 * can name the setting to change instead of printing a stack trace.
 */
export class ListenError extends Error {
  readonly listener: ListenerName;
  readonly host: string;
  readonly port: number;
  readonly code: string;

  constructor(details: { listener: ListenerName; host: string; port: number; code: string }, options?: { cause?: unknown }) {
    const meaning = CODE_MEANING[details.code] ?? 'listen failed';
    super(`cannot listen for ${LISTENER_LABEL[details.listener]} on ${details.host}:${details.port}: ${meaning} (${details.code})`, options);
    this.name = 'ListenError';
    this.listener = details.listener;
    this.host = details.host;
    this.port = details.port;
    this.code = details.code;
  }
}

/** Binds `server`; resolves with the actual port (port 0 picks a free one), rejects with a ListenError. */
export function listen(server: Server, listener: ListenerName, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(new ListenError({ listener, host, port, code: err.code ?? 'UNKNOWN' }, { cause: err }));
    };
    const onListening = () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/** Stops accepting; resolves once every connection on it is gone. A server that is not listening counts as closed. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
  });
}
