import type { Detector } from '../detector/index.js';
import type { IncidentEvent } from '../core/context/incidents.js';

/** One message in; also publishes incident events that do not come with a reading (silent devices). */
export type MessageHandler = ((topic: string, payload: Buffer) => void | Promise<void>) & { publishIncident(incident: IncidentEvent): void };
import { deadLetter, resultMessage } from '../core/messages.js';
import type { SensorSchema } from '../core/sensors.js';
import { ingestMessage, type RejectCode } from '../core/stages/ingest.js';
import { filterPrefix, scoreTopic } from '../core/topics.js';
import type { MqttSink } from '../adapters/mqtt/sink.js';
import { createLogThrottle } from '../support/log-throttle.js';
import type { Logger } from '../support/logger.js';
import { countRejected, type WorkerStats } from './worker-stats.js';
import type { Partition } from '../core/partition.js';
import { createPartitionFilter } from './partition-filter.js';
import type { DeviceIdRules } from '../core/device-id.js';
import type { DeviceCap } from './device-cap.js';
import type { PipelineObserver } from '../core/observer.js';

export interface WorkerTopics {
  sensors: string;
  anomalies: string;
  /** Prefix for every result; undefined switches per-reading results off. */
  scores: string | undefined;
  errors: string;
  status: string;
  /** Incident events; each device's latest is also retained on `<incidents>/<device>`. */
  incidents?: string | undefined;
}

export interface MessageHandlerOptions {
  topics: WorkerTopics;
  schema: SensorSchema;
  maxPayloadBytes: number;
  /** Readings a gateway may batch in one JSON array. */
  maxBatch: number;
  detector: Pick<Detector, 'process'>;
  /** WORKER_PARTITION: score only the devices this worker owns. */
  partition?: Partition | undefined;
  /**
   * Before scoring a device's readings: a promise to wait for (its state being loaded from a shared store),
   * or undefined to go on at once (the common path).
   */
  prepare?: ((device: string) => Promise<void> | undefined) | undefined;
  sink: MqttSink;
  stats: WorkerStats;
  log: Logger;
  now: () => Date;
  /** Issue 10: which device ids are accepted, and how many; without them every id is. */
  deviceRules?: DeviceIdRules | undefined;
  deviceCap?: DeviceCap | undefined;
  /** Issue 12: metrics hooks (scoring time, per-line counts). */
  observe?: Pick<PipelineObserver, 'scored' | 'incident'> | undefined;
}

/**
 * One sensor message in, its results handed to the sink: the pure ingest stage
 * (topic, size, JSON, schema; one reading or a batch), then each reading
 * scored by the detector, which holds the device's model and state. Synchronous,
 * so every publish is written before the source acknowledges the message.
 */
export function createMessageHandler(o: MessageHandlerOptions): MessageHandler {
  const { topics, stats, log, sink, detector } = o;
  const throttle = createLogThrottle(5000);
  // [issue 12 logs] One anomaly line per device per 10 s, with the count left out: a burst is not a line per reading.
  const anomalyThrottle = createLogThrottle(10_000);
  const ingest = { sensorPrefix: filterPrefix(topics.sensors), maxPayloadBytes: o.maxPayloadBytes, maxBatch: o.maxBatch, schema: o.schema, deviceRules: o.deviceRules };

  /** The event on the incidents topic, and the device's current incident retained under it. */
  const publishIncident = (incident: IncidentEvent): void => {
    if (topics.incidents === undefined) return;
    const text = JSON.stringify(incident);
    sink.publish(topics.incidents, text);
    sink.publish(`${topics.incidents}/${incident.device}`, text, true);
    o.observe?.incident(incident); // [issue 12 metrics]
    if (incident.state === 'updated') return;
    stats.incidents[incident.state] += 1;
    log.info({ device: incident.device, incident: incident.incident_id, kind: incident.kind, sensors: incident.sensors, peak: incident.peak_score, readings: incident.readings }, `incident ${incident.state}`);
  };

  const reject = (topic: string, payload: Buffer, code: RejectCode, reason: string, at: Date, batchIndex?: number) => {
    countRejected(stats, code);
    sink.publish(topics.errors, JSON.stringify(deadLetter(topic, payload, code, reason, at, batchIndex)));
    throttle(code, (suppressed) => log.warn({ topic, code, reason, suppressed }, 'message rejected'));
  };

  const owns = o.partition === undefined ? undefined : createPartitionFilter(o.partition, ingest.sensorPrefix);

  /** Scores each reading of an accepted message and hands its results to the sink. */
  const score = (topic: string, payload: Buffer, ingested: Ingested, at: Date, arrived: number | undefined): void => {
    const { device, batch } = ingested;
    for (const item of ingested.items) {
      const batchIndex = batch ? item.index : undefined;
      if (!item.ok) {
        reject(topic, payload, item.code, item.reason, at, batchIndex);
        continue;
      }
      const began = o.observe ? performance.now() : 0; // [issue 12 metrics]
      const outcome = detector.process(device, item.reading, at.getTime());
      const scoringSeconds = o.observe ? (performance.now() - began) / 1000 : 0; // [issue 12 metrics]
      if (outcome.kind === 'rejected') {
        reject(topic, payload, outcome.code, outcome.reason, at, batchIndex);
        continue;
      }
      o.deviceCap?.record(device);
      stats.scored += 1;
      stats.lastScoredAt = at.toISOString();
      const message = resultMessage(device, topic, outcome.result, at);
      const text = JSON.stringify(message);
      o.observe?.scored(device, scoringSeconds, message.prediction.is_anomaly); // [issue 12 metrics]
      // [issue 12 metrics] the reading's first result carries its arrival time
      if (topics.scores !== undefined) sink.publish(scoreTopic(topics.scores, device), text, false, arrived);
      if (message.prediction.is_anomaly) {
        stats.anomalies += 1;
        sink.publish(topics.anomalies, text, false, topics.scores === undefined ? arrived : undefined);
        const { anomaly_score: score, status, explanation } = message.prediction;
        anomalyThrottle(device, (suppressed) => log.info({ device, score, status, explanation, suppressed }, 'anomaly')); // [issue 12 logs]
      }
      // The silence first: the device's retained state must end on its current incident.
      if (outcome.resumed !== undefined) publishIncident(outcome.resumed);
      if (outcome.incident !== undefined) publishIncident(outcome.incident);
    }
  };

  return Object.assign(handle, { publishIncident });

  function handle(topic: string, payload: Buffer): void | Promise<void> {
    stats.received += 1;
    // Issue 11: a reading of a device another partition owns costs one hash and its acknowledgement.
    if (owns !== undefined && !owns(topic)) {
      stats.otherPartition += 1;
      return;
    }
    const at = o.now();
    const arrived = o.observe ? performance.now() : undefined; // [issue 12 metrics]
    const ingested = ingestMessage(topic, payload, ingest);
    if (!ingested.ok) return reject(topic, payload, ingested.code, ingested.reason, at);
    // A new device id over a cap takes no place among the real devices' models and state.
    const refusal = o.deviceCap?.refusal(ingested.device);
    if (refusal !== undefined) return reject(topic, payload, 'device_limit', refusal, at);
    // Issue 11: a device this worker does not hold may have state in a shared store: load it first.
    const loading = o.prepare?.(ingested.device);
    if (loading !== undefined) return loading.then(() => score(topic, payload, ingested, at, arrived));
    score(topic, payload, ingested, at, arrived);
  }
}

type Ingested = Extract<ReturnType<typeof ingestMessage>, { ok: true }>;
