import { once } from 'node:events';
import mqtt, { type MqttClient } from 'mqtt';
import type { Logger } from '../support/logger.js';
import type { AnomalyModel } from '../core/model/types.js';
import type { Detector } from '../detector/index.js';
import { mqttClientOptions, STATUS_OFFLINE, STATUS_ONLINE, withReconnectBackoff, WORKER_RECONNECT_BACKOFF } from '../adapters/mqtt/client-options.js';
import { createDrainer } from './drain.js';
import { createMessageHandler } from './message-handler.js';
import { createWorkerStats, type WorkerStats } from './worker-stats.js';
import { ConnectRefusedError, isConnackRefusal } from '../adapters/mqtt/connect-refused.js';
import type { DeviceIdRules } from '../core/device-id.js';
import type { DeviceCap } from '../core/device-cap.js';

export interface WorkerTopics {
  sensors: string;
  anomalies: string;
  /** Prefix for every result; undefined switches per-reading results off. */
  scores: string | undefined;
  errors: string;
  status: string;
}

export interface WorkerOptions {
  url: string;
  clientId: string;
  username?: string | undefined;
  password?: string | undefined;
  qos: 0 | 1 | 2;
  topics: WorkerTopics;
  maxPayloadBytes: number;
  /** MODEL_Z_LIMIT; see pipeline/decide.ts. */
  zLimit?: number;
  /** Read on every message, so a reloaded model takes effect at once and atomically. */
  getModel: () => AnomalyModel | undefined;
  /** Per-device models, warm-up and drift adaptation (src/detector); without it getModel() scores every reading. */
  detector?: Pick<Detector, 'modelFor' | 'observe'>;
  logger: Logger;
  now?: () => Date;
  /** Issue 10: device-id rules and caps (src/core/device-id.ts, device-cap.ts). */
  deviceRules?: DeviceIdRules;
  deviceCap?: DeviceCap;
}

export interface WorkerHealth {
  connected: boolean;
  subscribed: boolean;
  stopping: boolean;
}

export interface Worker {
  /** Connects and subscribes; resolves once the subscription is granted. */
  start(): Promise<void>;
  /**
   * Idempotent: publishes `offline`, waits for in-flight publishes, disconnects (the session is kept).
   * Readings that arrive meanwhile are left unacknowledged, so the broker keeps them for the next start.
   */
  stop(timeoutMs?: number): Promise<void>;
  /**
   * Resolves true once `until()` holds (checked now, after every message and every 50 ms), false after
   * `timeoutMs`. For shutdown: let the worker catch up with what the broker still has for it.
   */
  drain(until: () => boolean, timeoutMs: number): Promise<boolean>;
  stats(): Readonly<WorkerStats>;
  health(): WorkerHealth;
}

/**
 * The MQTT worker: sensor readings in, results out. Each message is processed
 * synchronously inside mqtt.js's handleMessage, so its results are written to
 * the socket before the PUBACK that acknowledges the reading: a reading is
 * acknowledged only once its results are on their way to the broker.
 */
export function createWorker(options: WorkerOptions): Worker {
  const log = options.logger.child({ component: 'worker' });
  const now = options.now ?? (() => new Date());
  const { topics, qos } = options;
  const stats = createWorkerStats();
  let client: MqttClient | undefined;
  let subscribed = false;
  let stopping: Promise<void> | undefined;
  /** Rejects start() while it waits for its first subscription; stop() calls it so start() always settles. */
  let failStart: ((err: Error) => void) | undefined;
  /** Readings refused while stopping; the broker sends them again. */
  let leftForRedelivery = 0;
  const drainer = createDrainer(stats, log);

  const publish = (topic: string, payload: string, retain = false): void => {
    client?.publish(topic, payload, { qos, retain }, (err) => {
      if (!err) return;
      stats.publishErrors += 1;
      log.warn({ topic, err: err.message }, 'publish failed');
    });
  };

  const handle = createMessageHandler({
    topics,
    maxPayloadBytes: options.maxPayloadBytes,
    zLimit: options.zLimit,
    getModel: options.getModel,
    detector: options.detector,
    publish: (topic, payload) => publish(topic, payload),
    stats,
    log,
    now,
    deviceRules: options.deviceRules,
    deviceCap: options.deviceCap,
  });

  const start = (): Promise<void> =>
    new Promise((resolve, reject) => {
      if (client) return reject(new Error('worker already started'));
      failStart = reject;
      const c = mqtt.connect(
        options.url,
        mqttClientOptions({
          url: options.url,
          clientId: options.clientId,
          username: options.username,
          password: options.password,
          statusTopic: topics.status,
          clean: false,
        }),
      );
      client = c;
      // Issue 10: the worker retries at most every 2 s, so after a broker restart it is back within ~2 s.
      withReconnectBackoff(c, WORKER_RECONNECT_BACKOFF);
      c.handleMessage = (packet, done) => {
        if (stopping) {
          // mqtt.js refuses publishes once it is disconnecting, so no result could go out: an error
          // here skips the PUBACK and the broker keeps the reading in our session.
          leftForRedelivery += 1;
          return done(new Error('worker stopping'));
        }
        if (packet.retain) {
          // Issue 10: a retained message replayed at subscription was scored when it was published; skip, count.
          stats.retainedSkipped += 1;
          done();
          return;
        }
        try {
          handle(packet.topic, typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload);
        } catch (err) {
          // processMessage is total; this guards the worker against a bug, not against input.
          log.error({ err, topic: packet.topic }, 'unexpected error while handling a message');
        }
        done();
        drainer.notify();
      };
      c.on('connect', (connack) => {
        log.info({ url: options.url, clientId: options.clientId, sessionPresent: connack.sessionPresent }, 'connected');
        publish(topics.status, STATUS_ONLINE, true);
        subscribed = false; // until this connection's SUBACK grants it
        c.subscribe(topics.sensors, { qos }, (err) => {
          failStart = undefined;
          if (err) {
            log.error({ err: err.message, filter: topics.sensors }, 'subscribe failed');
            return reject(err);
          }
          subscribed = true;
          log.info({ filter: topics.sensors, qos }, 'subscribed');
          resolve();
        });
      });
      c.on('reconnect', () => log.warn({ url: options.url }, 'reconnecting to broker'));
      c.on('offline', () => {
        subscribed = false;
        log.warn({ url: options.url }, 'broker connection lost');
      });
      c.on('error', (err: Error & { code?: unknown }) => {
        if (!isConnackRefusal(err)) return log.warn({ err: err.message }, 'mqtt client error');
        const refused = new ConnectRefusedError(options.url, err.message, err.code as number);
        if (failStart) {
          // At start a refusal is a setting to fix, not a passing fault: fail loudly instead of waiting forever.
          const fail = failStart;
          failStart = undefined;
          c.end(true);
          return fail(refused);
        }
        // Later (a password changed, the broker restarted with other users), keep trying with backoff.
        log.error({ err: refused.message, code: refused.code }, 'broker refused the connection; retrying');
      });
    });

  const stop = (timeoutMs = 5000): Promise<void> => {
    stopping ??= (async () => {
      failStart?.(new Error('worker stopped before it was subscribed'));
      failStart = undefined;
      const c = client;
      if (!c) return;
      if (c.connected) {
        // A graceful exit sends no Last Will, so say `offline` ourselves.
        c.publish(topics.status, STATUS_OFFLINE, { qos: 1, retain: true });
      }
      const graceful = c.endAsync(false);
      const deadline = new Promise<'timeout'>((r) => setTimeout(r, timeoutMs, 'timeout').unref());
      if ((await Promise.race([graceful, deadline])) === 'timeout') {
        log.warn({ timeoutMs }, 'in-flight publishes not acknowledged in time; closing anyway');
      }
      // mqtt.js can leave the transport open: a forced end is a no-op while the graceful one is pending, and
      // ending while not connected (a reconnect waiting for its CONNACK) never closes that attempt's socket.
      const stream = c.stream;
      if (!stream.destroyed) {
        const closed = once(stream, 'close');
        stream.destroy();
        await closed.catch(() => undefined);
      }
      subscribed = false;
      log.info({ ...stats, leftForRedelivery }, 'worker stopped');
    })();
    return stopping;
  };

  return {
    start,
    stop,
    drain: drainer.drain,
    stats: () => stats,
    health: () => ({ connected: client?.connected ?? false, subscribed, stopping: stopping !== undefined }),
  };
}
