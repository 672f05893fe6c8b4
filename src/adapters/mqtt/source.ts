import mqtt, { type IPublishPacket, type MqttClient } from 'mqtt';
import type { Logger } from '../../support/logger.js';
import { mqttClientOptions, STATUS_OFFLINE, STATUS_ONLINE, withReconnectBackoff, WORKER_RECONNECT_BACKOFF, type BrokerConnection } from './client-options.js';
import { ConnectRefusedError, isConnackRefusal } from './connect-refused.js';
import { forceClose } from './patches/force-close.js';
import { takeOverMessages } from './patches/handle-message.js';

export interface MqttSourceOptions extends BrokerConnection {
  clientId: string;
  /** The subscription, e.g. `factory/sensors/#`. */
  filter: string;
  qos: 0 | 1 | 2;
  /** Retained `online` on connect, `offline` on a clean stop and, as the Last Will, when the process dies. */
  statusTopic: string;
  logger: Logger;
  /**
   * Handles one message: everything it publishes is written before the message is acknowledged
   * (PUBACK), so a crash never loses a reading whose results were not sent. Synchronous, except when
   * it returns a promise (a device's state to load first): the acknowledgement then waits for it.
   */
  onMessage(topic: string, payload: Buffer, retained: boolean): void | Promise<void>;
}

export interface SourceHealth {
  connected: boolean;
  subscribed: boolean;
  stopping: boolean;
}

/** Publishes on the source's connection (mqtt.js's publish signature). */
export type Publish = (topic: string, payload: string, options: { qos: 0 | 1 | 2; retain: boolean }, callback: (err?: Error) => void) => void;

export interface MqttSource {
  /** Publishes on this connection, so results travel ahead of the message's acknowledgement. */
  readonly publish: Publish;
  /** Connects and subscribes; resolves once the subscription is granted, rejects on a refusal at start. */
  start(): Promise<void>;
  /** Idempotent: says `offline`, waits for in-flight publishes up to `timeoutMs`, disconnects (the session is kept). */
  stop(timeoutMs: number): Promise<void>;
  health(): SourceHealth;
  /** Messages refused while stopping; the broker delivers them again next time. */
  leftForRedelivery(): number;
}

/**
 * The MQTT source: one persistent session (clean: false, stable client id),
 * subscribed anew on every connection, handing each message to `onMessage` and
 * acknowledging it only after that returns.
 */
export function createMqttSource(options: MqttSourceOptions): MqttSource {
  const log = options.logger.child({ component: 'mqtt-source' });
  const { url, filter, qos, statusTopic } = options;
  let client: MqttClient | undefined;
  let subscribed = false;
  let stopping: Promise<void> | undefined;
  let refused = 0;
  /** Rejects start() while it waits for its first subscription; stop() calls it so start() always settles. */
  let failStart: ((err: Error) => void) | undefined;

  const handleMessage = (packet: IPublishPacket, done: (err?: Error) => void): void => {
    if (stopping) {
      // mqtt.js refuses publishes once it is disconnecting, so no result could go out: an error
      // here skips the PUBACK and the broker keeps the reading in our session.
      refused += 1;
      return done(new Error('worker stopping'));
    }
    let pending: Promise<void> | void = undefined;
    try {
      const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
      pending = options.onMessage(packet.topic, payload, packet.retain === true);
    } catch (err) {
      // onMessage is total; this guards the connection against a bug, not against input.
      log.error({ err, topic: packet.topic }, 'unexpected error while handling a message');
    }
    if (pending === undefined) return done();
    // The handler had to wait (a device's state loaded from a shared store): mqtt.js hands over the next
    // message only after done(), so nothing overtakes this one meanwhile.
    pending.then(
      () => done(stopping ? refuse() : undefined),
      (err: unknown) => {
        log.error({ err, topic: packet.topic }, 'unexpected error while handling a message');
        done();
      },
    );
  };
  /** Results may not have gone out if a stop began meanwhile: left unacknowledged, the broker delivers it again. */
  const refuse = () => {
    refused += 1;
    return new Error('worker stopping');
  };

  const start = (): Promise<void> =>
    new Promise((resolve, reject) => {
      if (client !== undefined) return reject(new Error('already started'));
      failStart = reject;
      // Created here, not up front: mqtt.js's manualConnect would re-arm reconnection after a stop.
      const { username, password, protocolVersion, tls } = options;
      const c = mqtt.connect(url, mqttClientOptions({ url, clientId: options.clientId, username, password, protocolVersion, tls, statusTopic, clean: false }));
      client = c;
      // Issue 10: back within ~2 s of a broker restart, before devices resend their backlog.
      withReconnectBackoff(c, WORKER_RECONNECT_BACKOFF);
      takeOverMessages(c, handleMessage);
      c.on('connect', (connack) => {
        log.info({ url, clientId: options.clientId, sessionPresent: connack.sessionPresent }, 'connected');
        c.publish(statusTopic, STATUS_ONLINE, { qos: 1, retain: true });
        subscribed = false; // until this connection's SUBACK grants it
        c.subscribe(filter, { qos }, (err, granted) => {
          // 0x80 in MQTT 3.1.1; MQTT 5 has several refusal reason codes, all 0x80 and above.
          const refusedGrant = granted?.some((g) => g.qos >= 0x80);
          failStart = undefined;
          if (err || refusedGrant) {
            const error = err ?? new Error(`the broker refused the subscription to ${filter}`);
            log.error({ err: error.message, filter }, 'subscribe failed');
            return reject(error);
          }
          subscribed = true;
          log.info({ filter, qos }, 'subscribed');
          resolve();
        });
      });
      c.on('reconnect', () => log.warn({ url }, 'reconnecting to broker'));
      c.on('offline', () => {
        subscribed = false;
        log.warn({ url }, 'broker connection lost');
      });
      c.on('error', (err: Error & { code?: unknown }) => {
        if (!isConnackRefusal(err)) return log.warn({ err: err.message }, 'mqtt client error');
        const refusal = new ConnectRefusedError(url, err.message, err.code as number);
        if (failStart) {
          // At start a refusal is a setting to fix, not a passing fault: fail loudly instead of waiting forever.
          const fail = failStart;
          failStart = undefined;
          c.end(true);
          return fail(refusal);
        }
        // Later (a password changed, the broker restarted with other users), keep trying with backoff.
        log.error({ err: refusal.message, code: refusal.returnCode }, 'broker refused the connection; retrying');
      });
    });

  const stop = (timeoutMs: number): Promise<void> => {
    stopping ??= (async () => {
      failStart?.(new Error('worker stopped before it was subscribed'));
      failStart = undefined;
      if (client === undefined) return;
      // A graceful exit sends no Last Will, so say `offline` ourselves.
      if (client.connected) client.publish(statusTopic, STATUS_OFFLINE, { qos: 1, retain: true });
      const graceful = client.endAsync(false);
      const deadline = new Promise<'timeout'>((r) => setTimeout(r, timeoutMs, 'timeout').unref());
      if ((await Promise.race([graceful, deadline])) === 'timeout') log.warn({ timeoutMs }, 'in-flight publishes not acknowledged in time; closing anyway');
      await forceClose(client);
      subscribed = false;
    })();
    return stopping;
  };

  const publish: Publish = (topic, payload, publishOptions, callback) => {
    if (client === undefined) return callback(new Error('not started'));
    client.publish(topic, payload, publishOptions, callback);
  };

  return {
    publish,
    start,
    stop,
    health: () => ({ connected: client?.connected ?? false, subscribed, stopping: stopping !== undefined }),
    leftForRedelivery: () => refused,
  };
}
