import type { Detector } from '../detector/index.js';
import type { SensorSchema } from '../core/sensors.js';
import { createMqttSink } from '../adapters/mqtt/sink.js';
import { createMqttSource, type SourceHealth } from '../adapters/mqtt/source.js';
import type { Logger } from '../support/logger.js';
import { createDrainer } from './drain.js';
import { createMessageHandler, type WorkerTopics } from './message-handler.js';
import { createWorkerStats, type WorkerStats } from './worker-stats.js';
import type { DeviceIdRules } from '../core/device-id.js';
import { createDeviceCap, type DeviceCapLimits } from './device-cap.js';
import type { PipelineObserver } from '../core/observer.js';

export type { WorkerTopics };

export interface WorkerOptions {
  url: string;
  clientId: string;
  username?: string | undefined;
  password?: string | undefined;
  qos: 0 | 1 | 2;
  topics: WorkerTopics;
  schema: SensorSchema;
  maxPayloadBytes: number;
  /** Readings a gateway may batch in one JSON array (MAX_BATCH). */
  maxBatch: number;
  /** Holds each device's model and state, and scores (src/detector); `tick` is its silence scheduler. */
  detector: Pick<Detector, 'process'> & Partial<Pick<Detector, 'tick'>>;
  /** How often the silence scheduler runs (default 1000 ms); one timer for all devices. */
  tickMs?: number;
  logger: Logger;
  now?: () => Date;
  /** Issue 10: which device ids are accepted (src/core/device-id.ts), and how many new ones (./device-cap.ts). */
  deviceRules?: DeviceIdRules | undefined;
  deviceLimits?: DeviceCapLimits | undefined;
  /** Issue 12: metrics hooks (scoring time, per-line counts, acknowledged publishes and their latency). */
  observe?: Pick<PipelineObserver, 'scored' | 'published' | 'incident'> | undefined;
}

export type WorkerHealth = SourceHealth;

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
 * The worker wires source -> stages -> sink and owns the counters: the MQTT
 * source delivers each reading, the handler runs the pure stages and the
 * detector, the sink publishes on the same connection, and only then does the
 * source acknowledge the reading.
 */
export function createWorker(options: WorkerOptions): Worker {
  const log = options.logger.child({ component: 'worker' });
  const stats = createWorkerStats();
  const drainer = createDrainer(stats, log);
  const observe = options.observe; // [issue 12 metrics]
  // Results go out on the source's own connection, ahead of the acknowledgement of their reading.
  const sink = createMqttSink((topic, payload, o, done) => source.publish(topic, payload, o, done), {
    qos: options.qos,
    logger: options.logger,
    onError: () => void (stats.publishErrors += 1),
    // [issue 12 metrics] the broker's acknowledgement of a result, timed from its reading's arrival
    ...(observe ? { onAcknowledged: (topic: string, at: number | undefined) => observe.published(topic, at === undefined ? undefined : (performance.now() - at) / 1000) } : {}),
  });
  const handle = createMessageHandler({
    topics: options.topics,
    schema: options.schema,
    maxPayloadBytes: options.maxPayloadBytes,
    maxBatch: options.maxBatch,
    detector: options.detector,
    sink,
    stats,
    log,
    now: options.now ?? (() => new Date()),
    deviceRules: options.deviceRules,
    ...(options.deviceLimits !== undefined ? { deviceCap: createDeviceCap(options.deviceLimits) } : {}),
    observe, // [issue 12 metrics]
  });
  const source = createMqttSource({
    url: options.url,
    clientId: options.clientId,
    username: options.username,
    password: options.password,
    filter: options.topics.sensors,
    qos: options.qos,
    statusTopic: options.topics.status,
    logger: options.logger,
    onMessage: (topic, payload, retained) => {
      if (retained) {
        // Issue 10: a retained reading replayed at subscription was scored when it was published; skip, count.
        stats.retainedSkipped += 1;
      } else handle(topic, payload);
      drainer.notify();
    },
  });
  const tick = options.detector.tick;
  let ticker: NodeJS.Timeout | undefined;
  let stopped: Promise<void> | undefined;
  return {
    start: async () => {
      await source.start();
      if (tick !== undefined && ticker === undefined && stopped === undefined) {
        const publish = handle.publishIncident;
        ticker = setInterval(() => {
          for (const incident of tick(Date.now())) publish(incident);
        }, options.tickMs ?? 1000);
        ticker.unref();
      }
    },
    stop: (timeoutMs = 5000) => {
      clearInterval(ticker);
      return (stopped ??= source.stop(timeoutMs).then(() => log.info({ ...stats, leftForRedelivery: source.leftForRedelivery() }, 'worker stopped')));
    },
    drain: drainer.drain,
    stats: () => stats,
    health: () => source.health(),
  };
}
