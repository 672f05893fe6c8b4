import type { Server } from 'node:net';
import { SettingError } from '../../support/setting-error.js';

/** Every listener the programs open; the entry points map each to the variable that sets its port. */
export type ListenerName = 'mqtt' | 'ws' | 'mqtts' | 'http';

const LISTENER_LABEL: Record<ListenerName, string> = {
  mqtt: 'MQTT/TCP',
  ws: 'MQTT over WebSocket',
  mqtts: 'MQTT over TLS',
  http: 'HTTP',
};

/** The setting key of a listener's port (`listen.mqtt.port`); the entry point names its variable. */
export function portSetting(listener: ListenerName): string {
  return `listen.${listener}.port`;
}

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
export class ListenError extends SettingError {
  override name = 'ListenError';
  readonly listener: ListenerName;
  readonly host: string;
  readonly port: number;
  /** The system error code (EADDRINUSE, EACCES, ...). */
  readonly errno: string;

  constructor(details: { listener: ListenerName; host: string; port: number; code: string }, options?: { cause?: unknown }) {
    const meaning = CODE_MEANING[details.code] ?? 'listen failed';
    const setting = portSetting(details.listener);
    super(
      details.code === 'EADDRINUSE' ? 'port_in_use' : 'listen_failed',
      setting,
      `cannot listen for ${LISTENER_LABEL[details.listener]} on ${details.host}:${details.port}: ${meaning} (${details.code})`,
      options,
    );
    this.listener = details.listener;
    this.host = details.host;
    this.port = details.port;
    this.errno = details.code;
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
