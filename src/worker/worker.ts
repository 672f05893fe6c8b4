import mqtt, { type MqttClient } from 'mqtt';
import type { Logger } from '../logger.js';
import type { AnomalyModel } from '../model/types.js';
import { deadLetter, resultMessage } from '../pipeline/messages.js';
import { processMessage, type ModelChoice, type ProcessContext } from '../pipeline/process-message.js';
import { toFeatures } from '../domain/reading.js';
import type { Detector } from '../detector/index.js';
import { filterPrefix, scoreTopic } from '../topics.js';
import { createLogThrottle } from '../io/log-throttle.js';
import { mqttClientOptions, STATUS_OFFLINE, STATUS_ONLINE, withReconnectBackoff } from '../io/mqtt-options.js';
import { countRejected, createWorkerStats, type WorkerStats } from './worker-stats.js';

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
  const throttle = createLogThrottle(5000);
  const sensorPrefix = filterPrefix(topics.sensors);
  const scratch = new Float64Array(3);
  let client: MqttClient | undefined;
  let subscribed = false;
  let stopping: Promise<void> | undefined;
  /** Readings refused while stopping; the broker sends them again. */
  let leftForRedelivery = 0;
  const drainChecks = new Set<() => void>();
  const detector = options.detector;
  const modelFor = detector
    ? (device: string) => detector.modelFor(device)
    : (): ModelChoice => ({ model: options.getModel(), status: 'ready' });

  const publish = (topic: string, payload: string, retain = false): void => {
    client?.publish(topic, payload, { qos, retain }, (err) => {
      if (!err) return;
      stats.publishErrors += 1;
      log.warn({ topic, err: err.message }, 'publish failed');
    });
  };

  const handle = (topic: string, payload: Buffer): void => {
    stats.received += 1;
    const context: ProcessContext = {
      sensorPrefix,
      maxPayloadBytes: options.maxPayloadBytes,
      model: options.getModel(),
      ...(options.zLimit !== undefined ? { zLimit: options.zLimit } : {}),
      scratch,
      modelFor,
    };
    const at = now();
    const outcome = processMessage(topic, payload, context);
    if (outcome.kind === 'rejected') {
      countRejected(stats, outcome.code);
      publish(topics.errors, JSON.stringify(deadLetter(topic, payload, outcome.code, outcome.reason, at)));
      throttle(outcome.code, (suppressed) =>
        log.warn({ topic, code: outcome.code, reason: outcome.reason, suppressed }, 'message rejected'),
      );
      return;
    }
    stats.scored += 1;
    stats.lastScoredAt = at.toISOString();
    const message = resultMessage(outcome.device, topic, outcome.result, at);
    const text = JSON.stringify(message);
    if (topics.scores !== undefined) publish(scoreTopic(topics.scores, outcome.device), text);
    if (message.prediction.is_anomaly) {
      stats.anomalies += 1;
      publish(topics.anomalies, text);
      log.info(
        {
          device: outcome.device,
          score: message.prediction.anomaly_score,
          status: message.prediction.status,
          explanation: message.prediction.explanation,
        },
        'anomaly',
      );
    }
    // After the result is out: a model trained or retrained here scores only later readings.
    detector?.observe(outcome.device, toFeatures(outcome.result.input_data, scratch), message.prediction.is_anomaly);
  };

  const start = (): Promise<void> =>
    new Promise((resolve, reject) => {
      if (client) return reject(new Error('worker already started'));
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
      withReconnectBackoff(c);
      c.handleMessage = (packet, done) => {
        if (stopping) {
          // mqtt.js refuses publishes once it is disconnecting, so no result could go out: an error
          // here skips the PUBACK and the broker keeps the reading in our session.
          leftForRedelivery += 1;
          return done(new Error('worker stopping'));
        }
        try {
          handle(packet.topic, typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload);
        } catch (err) {
          // processMessage is total; this guards the worker against a bug, not against input.
          log.error({ err, topic: packet.topic }, 'unexpected error while handling a message');
        }
        done();
        for (const check of drainChecks) check();
      };
      c.on('connect', (connack) => {
        log.info({ url: options.url, clientId: options.clientId, sessionPresent: connack.sessionPresent }, 'connected');
        publish(topics.status, STATUS_ONLINE, true);
        c.subscribe(topics.sensors, { qos }, (err) => {
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
      c.on('offline', () => log.warn({ url: options.url }, 'broker connection lost'));
      c.on('error', (err) => log.warn({ err: err.message }, 'mqtt client error'));
    });

  const stop = (timeoutMs = 5000): Promise<void> => {
    stopping ??= (async () => {
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
        await c.endAsync(true);
      }
      subscribed = false;
      log.info({ ...stats, leftForRedelivery }, 'worker stopped');
    })();
    return stopping;
  };

  const drain = (until: () => boolean, timeoutMs: number): Promise<boolean> => {
    const began = Date.now();
    const receivedBefore = stats.received;
    return new Promise<boolean>((resolve) => {
      const check = () => {
        if (until()) finish(true);
      };
      const poll = setInterval(check, 50).unref();
      const timer = setTimeout(() => finish(false), timeoutMs).unref();
      const finish = (drained: boolean) => {
        clearInterval(poll);
        clearTimeout(timer);
        drainChecks.delete(check);
        const fields = { ms: Date.now() - began, caughtUp: stats.received - receivedBefore, received: stats.received, timeoutMs };
        if (drained) log.info(fields, 'drained');
        else log.warn(fields, 'drain timed out');
        resolve(drained);
      };
      drainChecks.add(check);
      check();
    });
  };

  return {
    start,
    stop,
    drain,
    stats: () => stats,
    health: () => ({ connected: client?.connected ?? false, subscribed, stopping: stopping !== undefined }),
  };
}
