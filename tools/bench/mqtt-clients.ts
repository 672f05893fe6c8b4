/** The load generator's MQTT clients: plain mqtt.js, clean sessions, no reconnection, no-delay sockets. */
import type { Socket } from 'node:net';
import { connectAsync, type MqttClient } from 'mqtt';

const CONNECT_TIMEOUT_MS = 5000;

export async function connectBenchClient(url: string, clientId: string): Promise<MqttClient> {
  const client = await connectAsync(url, {
    clientId,
    clean: true,
    reconnectPeriod: 0,
    connectTimeout: CONNECT_TIMEOUT_MS,
    keepalive: 30,
  });
  // The broker sets no-delay on its side; do the same on ours so small packets are not held back (Nagle).
  (client.stream as Partial<Socket>).setNoDelay?.(true);
  return client;
}

export async function connectPublishers(url: string, count: number, runId: string): Promise<MqttClient[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => connectBenchClient(url, `bench-pub-${runId}-${i}`)));
}

/** Ends every client, forcibly: by then every reading was received or given up on. */
export async function endAll(clients: readonly MqttClient[]): Promise<void> {
  await Promise.all(clients.map((c) => c.endAsync(true).catch(() => undefined)));
}
