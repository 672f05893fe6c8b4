import type { Detector } from '../detector/index.js';
import type { SensorSchema } from '../core/sensors.js';
import { createMqttSink } from '../adapters/mqtt/sink.js';
import { createMqttSource, type SourceHealth } from '../adapters/mqtt/source.js';
import type { ClientTls } from '../adapters/mqtt/client-options.js';
import { claimClientId, type ClientIdClaim } from '../adapters/mqtt/client-id-claim.js';
import type { Partition } from '../core/partition.js';
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
  /** 4 = MQTT 3.1.1 (default), 5 = MQTT 5 (needed for a `$share/` group). */
  protocolVersion?: 4 | 5 | undefined;
  tls?: ClientTls | undefined;
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
  /** Score only the devices of this partition (WORKER_PARTITION); the rest are acknowledged unscored. */
  partition?: Partition | undefined;
  /** Called before a device's readings are scored; a promise delays them (see message-handler.ts). */
  prepare?: ((device: string) => Promise<void> | undefined) | undefined;
  /**
   * Before taking its session, make sure no live worker uses the same client id (see
   * adapters/mqtt/client-id-claim.ts); start() rejects with DuplicateClientIdError if one does.
   */
  claim?: { topic: string; windowMs?: number } | undefined;
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
    partition: options.partition,
    prepare: options.prepare,
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
    protocolVersion: options.protocolVersion,
    tls: options.tls,
    filter: options.topics.sensors,
    qos: options.qos,
    statusTopic: options.topics.status,
    logger: options.logger,
    onMessage: (topic, payload, retained) => {
      if (retained) {
        // Issue 10: a retained reading replayed at subscription was scored when it was published; skip, count.
        stats.retainedSkipped += 1;
        return drainer.notify();
      }
      const pending = handle(topic, payload);
      if (pending === undefined) return drainer.notify();
      return pending.then(() => drainer.notify());
    },
  });
  const tick = options.detector.tick;
  let ticker: NodeJS.Timeout | undefined;
  let stopped: Promise<void> | undefined;
  let claim: Promise<ClientIdClaim | undefined> = Promise.resolve(undefined);
  const stopping = new AbortController();
  const start = async () => {
    if (options.claim !== undefined) {
      const { url, username, password, protocolVersion, tls } = options;
      const connection = { url, username, password, protocolVersion, tls };
      claim = claimClientId({ connection, clientId: options.clientId, ...options.claim, logger: options.logger, signal: stopping.signal });
      await claim;
    }
    if (stopped !== undefined) throw new Error('worker stopped before it was subscribed');
    await source.start();
    if (tick !== undefined && ticker === undefined && stopped === undefined) {
      const publish = handle.publishIncident;
      ticker = setInterval(() => {
        for (const incident of tick(Date.now())) publish(incident);
      }, options.tickMs ?? 1000);
      ticker.unref();
    }
  };
  const stop = async (timeoutMs: number) => {
    clearInterval(ticker);
    stopping.abort();
    await source.stop(timeoutMs);
    // Released after the session is closed, so a successor cannot take the id while we still hold it.
    await (await claim.catch(() => undefined))?.release();
    log.info({ ...stats, leftForRedelivery: source.leftForRedelivery() }, 'worker stopped');
  };
  return {
    start,
    stop: (timeoutMs = 5000) => (stopped ??= stop(timeoutMs)),
    drain: drainer.drain,
    stats: () => stats,
    health: () => source.health(),
  };
}
