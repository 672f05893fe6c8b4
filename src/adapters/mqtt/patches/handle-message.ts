/**
 * Library patch (mqtt.js, pinned in package.json): take over the client's
 * `handleMessage`. mqtt.js calls it for every incoming PUBLISH and sends the
 * PUBACK only when its callback is called; an error passed to the callback
 * skips the PUBACK, so the broker keeps the message in our session. That hook
 * is what lets the worker acknowledge a reading only after its results are on
 * their way, and refuse readings while stopping. It is a documented extension
 * point, but typed loosely; the contract test (test/unit/adapters/mqtt/patches) fails if an
 * upgrade changes how it is called.
 */
import type { MqttClient, IPublishPacket } from 'mqtt';

export type MessageHandler = (packet: IPublishPacket, done: (err?: Error) => void) => void;

export function takeOverMessages(client: MqttClient, handler: MessageHandler): void {
  if (typeof client.handleMessage !== 'function') throw new Error('mqtt.js no longer has client.handleMessage: check the pinned version');
  client.handleMessage = handler as MqttClient['handleMessage'];
}
