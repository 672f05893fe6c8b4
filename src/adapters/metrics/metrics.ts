/**
 * Prometheus metrics for the sidecar's GET /metrics: a prom-client Registry
 * whose collect() callbacks read the snapshots the parts already keep (the
 * worker's counters, the detector's stats, the broker's, HTTP's), plus the
 * observer the pipeline calls for latencies and per-line counts. Names carry
 * one prefix; counters end in _total, durations in _seconds, sizes in _bytes.
 */
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { PipelineObserver } from '../../core/observer.js';
import type { DetectorStats } from '../../detector/types.js';
import type { BrokerStats } from '../broker/broker-stats.js';
import type { HttpStats } from '../http/stats.js';
import { mirrorCounter, mirrorGauge, type Sample } from './mirror.js';
import { brokerDrops, brokerRefusals, flag, httpResponses, INCIDENT_KINDS, modelInfo, rejected, silent, type WorkerCounters } from './samples.js';

export type { WorkerCounters };
import { createObservedCounts, type PublishedTopics } from './pipeline-observer.js';

export const METRIC_PREFIX = 'factory_anomaly_';


/** Snapshots read at scrape time; a source that answers undefined (a part not running here) leaves its metrics out. */
export interface MetricSources {
  worker?: () => Readonly<WorkerCounters> | undefined;
  /** The worker's broker connection. */
  connection?: () => { connected: boolean; subscribed: boolean } | undefined;
  detector?: () => DetectorStats | undefined;
  /** Memory held for per-device state (models, warm-ups), in bytes. */
  deviceStateBytes?: () => number | undefined;
  broker?: () => BrokerStats | undefined;
  http?: () => Readonly<HttpStats> | undefined;
  model?: () => { id: string; engine: string; version: number; threshold: number } | undefined;
}

export interface MetricsOptions {
  sources: MetricSources;
  topics: PublishedTopics;
  /** METRICS_DEVICE_LABELS: label per-reading metrics by device too. */
  deviceLabels: boolean;
  /** METRICS_MAX_LABEL_VALUES: distinct lines (or devices) before the rest share `other`. */
  maxLabelValues: number;
  /** Node's process metrics (CPU, memory, event loop, GC); default on. */
  processMetrics?: boolean;
}

export interface Metrics {
  readonly registry: Registry;
  /** For the pipeline: latencies and per-line counts. */
  readonly observer: PipelineObserver;
  readonly contentType: string;
  /** The text exposition format. */
  scrape(): Promise<string>;
}

/** Scoring takes microseconds; a result's round trip through the broker, milliseconds. */
const SCORING_BUCKETS = [5e-6, 1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 2.5e-3, 1e-2];
const RESULT_BUCKETS = [5e-4, 1e-3, 2.5e-3, 5e-3, 1e-2, 2.5e-2, 5e-2, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createMetrics(options: MetricsOptions): Metrics {
  const registry = new Registry();
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry });
  const name = (n: string) => `${METRIC_PREFIX}${n}`;
  const s = options.sources;

  // Observed by the worker; registered where a worker runs.
  const observed = s.worker ? [registry] : [];
  const scoringSeconds = new Histogram({
    name: name('scoring_duration_seconds'),
    help: 'Time to parse, validate, score and decide one reading',
    buckets: SCORING_BUCKETS,
    registers: observed,
  });
  const resultSeconds = new Histogram({
    name: name('result_latency_seconds'),
    help: "From a reading's arrival at the worker to the broker's acknowledgement of its result",
    buckets: RESULT_BUCKETS,
    registers: observed,
  });
  const counts = createObservedCounts({
    topics: options.topics,
    deviceLabels: options.deviceLabels,
    maxLabelValues: options.maxLabelValues,
    incidentKinds: INCIDENT_KINDS,
    scoringSeconds,
    resultSeconds,
  });
  const perReading = options.deviceLabels ? ['line', 'device'] : ['line'];

  const counter = (n: string, help: string, read: () => number | Sample[] | undefined, labelNames?: string[]) =>
    mirrorCounter(registry, { name: name(n), help, read, ...(labelNames ? { labelNames } : {}) });
  const gauge = (n: string, help: string, read: () => number | Sample[] | undefined, labelNames?: string[]) =>
    mirrorGauge(registry, { name: name(n), help, read, ...(labelNames ? { labelNames } : {}) });

  // The worker. Families whose source is not given (a part not running in this process) are not registered.
  if (s.worker) {
    const w = s.worker;
    counter('readings_received_total', 'Sensor messages the worker received, valid or not', () => w()?.received);
    counter('readings_rejected_total', 'Sensor messages rejected (dead-lettered), by reason code', () => rejected(w()), ['code']);
    counter('publish_errors_total', 'Publishes that failed', () => w()?.publishErrors);
    counter('readings_scored_total', 'Readings scored', counts.scored, perReading);
    counter('anomalies_total', 'Readings flagged as anomalies', counts.anomalies, perReading);
    counter('results_published_total', 'Publishes the broker acknowledged, by what they carried', counts.published, ['kind']);
    counter('incidents_opened_total', 'Incidents opened, by kind', counts.incidentsOpened, ['kind', 'line']);
    counter('incidents_closed_total', 'Incidents closed, by kind', counts.incidentsClosed, ['kind', 'line']);
    gauge('incidents_open', 'Incidents open now, by kind', counts.incidentsOpen, ['kind']);
    gauge('silent_devices', 'Devices silent for longer than their usual interval (open incidents of kind silent)', () => silent(counts.incidentsOpen()));
  }
  if (s.connection) {
    const c = s.connection;
    gauge('mqtt_connected', "1 while the worker's broker connection is up", () => flag(c()?.connected));
    gauge('mqtt_subscribed', '1 while the sensor subscription is granted', () => flag(c()?.subscribed));
  }

  // The models.
  if (s.detector) {
    const d = s.detector;
    gauge('models_held', 'Device models held in memory', () => d()?.modelsHeld);
    gauge('devices_warming_up', 'Devices collecting their warm-up readings', () => d()?.warmingUp);
    counter('warmups_completed_total', 'Device models trained at the end of a warm-up', () => d()?.deviceModelsTrained);
    counter('warmup_restarts_total', 'Warm-ups started again because too few readings were usable', () => d()?.warmupRestarts);
    counter('model_evictions_total', 'Device models evicted from memory (least recently used)', () => d()?.evictions);
    counter('models_restored_total', 'Evicted device models loaded again from MODEL_DIR', () => d()?.restored);
    counter('model_retrains_total', 'Drift retrains swapped in', () => d()?.retrains);
    counter('model_retrains_refused_total', 'Drift retrains refused because too many recent readings were anomalies', () => d()?.refusedRetrains);
    counter('model_training_errors_total', 'Trainings that failed (the previous model carried on)', () => d()?.trainingErrors);
  }
  if (s.deviceStateBytes) {
    gauge('device_state_bytes', 'Memory held for per-device state: device models and warm-up readings (estimate)', s.deviceStateBytes);
  }
  if (s.model) {
    const m = s.model;
    gauge('model_threshold', "The global model's score threshold", () => m()?.threshold);
    gauge('model_info', 'The global model in use (value 1)', () => modelInfo(m()), ['id', 'engine', 'version']);
  }

  // The embedded broker.
  if (s.broker) {
    const b = s.broker;
    gauge('broker_connections', 'Open sockets on every listener of the embedded broker', () => b()?.connections);
    gauge('broker_clients', 'Clients connected to the embedded broker', () => b()?.clients);
    gauge('broker_retained_messages', 'Retained messages the embedded broker holds', () => b()?.retained.count);
    gauge('broker_retained_bytes', 'Payload bytes of the retained messages the embedded broker holds', () => b()?.retained.bytes);
    counter('broker_messages_received_total', 'PUBLISH packets the embedded broker received from clients', () => b()?.messagesReceived);
    counter('broker_dropped_messages_total', 'Messages the embedded broker dropped, by reason', () => brokerDrops(b()), ['reason']);
    counter('broker_connections_refused_total', 'Connections the embedded broker closed or refused at CONNECT, by reason', () => brokerRefusals(b()), ['reason']);
    counter('broker_acl_denied_total', 'PUBLISHes dropped and SUBSCRIBEs refused by the ACL', () => b()?.aclDenied);
    counter('broker_auth_failures_total', 'CONNECTs the embedded broker refused for their credentials or client id', () => b()?.authFailures);
    counter('broker_auth_delayed_total', 'Logins answered late after repeated failures of their user name or address', () => b()?.authDelayed);
    counter('broker_oversized_packets_total', 'Connections closed for a packet over the size limit', () => b()?.oversizedPackets);
    counter('broker_qos2_downgraded_total', 'QoS 2 messages passed on at QoS 1', () => b()?.qos2Downgraded);
  }

  // The HTTP sidecar.
  if (s.http) {
    const h = s.http;
    counter('http_responses_total', 'HTTP responses by route and status', () => httpResponses(h()), ['route', 'status']);
  }

  return {
    registry,
    observer: counts.observer,
    contentType: registry.contentType,
    scrape: () => registry.metrics(),
  };
}
