/**
 * The page's one MQTT connection (mqtt.js over WebSocket, as a viewer):
 * subscribes to what the page shows, reconnects by itself when the broker
 * goes away, and asks for a login when the broker refuses the one it has.
 */
import mqtt, { type MqttClient } from 'mqtt';
import type { Credentials } from './credentials.js';

export type LinkState =
  | { kind: 'connecting'; url: string; attempt: number }
  | { kind: 'connected'; url: string; denied: string[] }
  | { kind: 'disconnected'; url: string; reason: string | undefined }
  | { kind: 'login'; url: string; reason: string };

export interface LinkOptions {
  url: string;
  filters: readonly string[];
  credentials: Credentials | undefined;
  onMessage(topic: string, payload: string): void;
  onState(state: LinkState): void;
}

export interface Link {
  close(): void;
}

/** CONNACK return codes meaning "who are you": bad user name or password (4), not authorized (5). */
const LOGIN_CODES = new Set([4, 5, 134, 135]);

export function openLink(o: LinkOptions): Link {
  let attempt = 0;
  const decoder = new TextDecoder();
  const client: MqttClient = mqtt.connect(o.url, {
    clientId: `dashboard-${Math.random().toString(16).slice(2, 10)}`,
    clean: true,
    protocolVersion: 4,
    reconnectPeriod: 2000,
    connectTimeout: 5000,
    keepalive: 20,
    // Subscribed on every connection below, so a broker that restarted without our session gets them again.
    resubscribe: false,
    ...(o.credentials ? { username: o.credentials.username, password: o.credentials.password } : {}),
  });
  o.onState({ kind: 'connecting', url: o.url, attempt });

  client.on('connect', () => {
    attempt = 0;
    // One filter at a time: mqtt.js fails a whole SUBSCRIBE when the broker refuses one of its filters (granted 128),
    // and a viewer not allowed one topic should still see the others.
    const denied: string[] = [];
    let pending = o.filters.length;
    for (const filter of o.filters) {
      client.subscribe(filter, { qos: 0 }, (err, granted) => {
        if (err || granted?.[0]?.qos === 128) denied.push(filter);
        if (--pending === 0) o.onState({ kind: 'connected', url: o.url, denied });
      });
    }
  });
  client.on('message', (topic, payload) => o.onMessage(topic, decoder.decode(payload)));
  client.on('reconnect', () => {
    attempt += 1;
    // Once a connection was lost (or never made), retries are still "disconnected" to an operator.
    o.onState({ kind: 'disconnected', url: o.url, reason: `retry ${attempt}` });
  });
  client.on('close', () => {
    if (!client.disconnecting) o.onState({ kind: 'disconnected', url: o.url, reason: undefined });
  });
  client.on('error', (err: Error & { code?: unknown }) => {
    if (typeof err.code === 'number' && LOGIN_CODES.has(err.code)) {
      // The same credentials would be refused again every 2 s: stop and ask.
      client.end(true);
      o.onState({ kind: 'login', url: o.url, reason: o.credentials ? 'the broker refused this user name or password' : 'it does not accept anonymous viewers' });
      return;
    }
    o.onState({ kind: 'disconnected', url: o.url, reason: err.message });
  });
  return { close: () => void client.end(true) };
}
