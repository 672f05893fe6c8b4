/**
 * Library patch (mqtt.js, pinned in package.json): close the transport
 * ourselves. mqtt.js can leave it open: a forced end is a no-op while a
 * graceful one is pending, and ending while not connected (a reconnect waiting
 * for its CONNACK) never closes that attempt's socket. Destroying
 * `client.stream` releases it; the contract test (test/unit/adapters/mqtt/patches) fails if
 * an upgrade renames or hides the stream.
 */
import { once } from 'node:events';
import type { MqttClient } from 'mqtt';

export async function forceClose(client: MqttClient): Promise<void> {
  const stream = client.stream;
  if (stream === undefined || stream.destroyed) return;
  const closed = once(stream, 'close');
  stream.destroy();
  await closed.catch(() => undefined);
}
