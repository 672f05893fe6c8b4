import { createMetrics, type MetricSources } from '../../../../src/adapters/metrics/metrics.js';
import { createLabelLimiter, lineOf, OTHER_LABEL } from '../../../../src/adapters/metrics/label-limiter.js';
import { publishKinds } from '../../../../src/adapters/metrics/pipeline-observer.js';
import { createBrokerCounters } from '../../../../src/adapters/broker/broker-stats.js';
import { createHttpStats } from '../../../../src/adapters/http/stats.js';
import { histogramCount, parseScrape, samples, value } from '../../../helpers/prometheus.js';

const TOPICS = { scores: 'factory/scores', anomalies: 'factory/anomalies', errors: 'factory/errors', status: 'factory/status/worker', incidents: 'factory/incidents' };

const idleWorker = () => ({ received: 0, rejectedByCode: {}, publishErrors: 0 });

/** Metrics of a process running a worker (whose counters stay at 0 unless given) and whatever else `sources` says. */
function metricsWith(sources: MetricSources = {}, options: { deviceLabels?: boolean; maxLabelValues?: number } = {}) {
  return createMetrics({ sources: { worker: idleWorker, ...sources }, topics: TOPICS, deviceLabels: options.deviceLabels ?? false, maxLabelValues: options.maxLabelValues ?? 100, processMetrics: false });
}

describe('metrics', () => {
  it('when the worker counts readings, then the scrape shows them as counters under the common prefix', async () => {
    const worker = { received: 0, rejectedByCode: {} as Record<string, number>, publishErrors: 0 };
    const metrics = metricsWith({ worker: () => worker });
    worker.received = 7;
    worker.rejectedByCode.invalid_json = 2;
    const scrape = parseScrape(await metrics.scrape());
    expect(scrape.get('factory_anomaly_readings_received_total')?.type).toBe('COUNTER');
    expect(value(scrape, 'factory_anomaly_readings_received_total')).toBe(7);
    expect(value(scrape, 'factory_anomaly_readings_rejected_total', { code: 'invalid_json' })).toBe(2);
    // Known codes are there at 0 before the first one, so rate() works from the start.
    expect(samples(scrape, 'factory_anomaly_readings_rejected_total', { code: 'payload_too_large' })).toHaveLength(1);
    expect(value(scrape, 'factory_anomaly_readings_rejected_total', { code: 'payload_too_large' })).toBe(0);
  });

  it('when readings are observed, then they are counted per line, and latencies land in the histograms', async () => {
    const metrics = metricsWith();
    metrics.observer.scored('line1/press-1', 0.00002, false);
    metrics.observer.scored('line1/press-2', 0.00003, true);
    metrics.observer.scored('line2/oven-1', 0.00004, false);
    metrics.observer.published('factory/scores/line1/press-1', 0.002);
    metrics.observer.published('factory/anomalies', undefined);
    const scrape = parseScrape(await metrics.scrape());
    expect(value(scrape, 'factory_anomaly_readings_scored_total', { line: 'line1' })).toBe(2);
    expect(value(scrape, 'factory_anomaly_readings_scored_total', { line: 'line2' })).toBe(1);
    expect(value(scrape, 'factory_anomaly_anomalies_total', { line: 'line1' })).toBe(1);
    expect(samples(scrape, 'factory_anomaly_readings_scored_total').every((m) => m.labels?.device === undefined)).toBe(true);
    expect(histogramCount(scrape, 'factory_anomaly_scoring_duration_seconds')).toBe(3);
    expect(histogramCount(scrape, 'factory_anomaly_result_latency_seconds')).toBe(1);
    expect(value(scrape, 'factory_anomaly_results_published_total', { kind: 'score' })).toBe(1);
    expect(value(scrape, 'factory_anomaly_results_published_total', { kind: 'anomaly' })).toBe(1);
  });

  it('when device labels are on, then each device is its own series, still labelled with its line', async () => {
    const metrics = metricsWith({}, { deviceLabels: true });
    metrics.observer.scored('line1/press-1', 0.00002, false);
    metrics.observer.scored('line1/press-2', 0.00002, false);
    const scrape = parseScrape(await metrics.scrape());
    expect(value(scrape, 'factory_anomaly_readings_scored_total', { line: 'line1', device: 'line1/press-1' })).toBe(1);
    expect(samples(scrape, 'factory_anomaly_readings_scored_total')).toHaveLength(2);
  });

  it('when more lines appear than the label limit, then the rest are counted under "other" and the series stay bounded', async () => {
    const metrics = metricsWith({}, { maxLabelValues: 3 });
    for (let i = 0; i < 1000; i++) metrics.observer.scored(`made-up-${i}/d`, 0.00001, false);
    const scrape = parseScrape(await metrics.scrape());
    expect(samples(scrape, 'factory_anomaly_readings_scored_total')).toHaveLength(4);
    expect(value(scrape, 'factory_anomaly_readings_scored_total', { line: OTHER_LABEL })).toBe(997);
    expect(value(scrape, 'factory_anomaly_readings_scored_total')).toBe(1000);
  });

  it('when incidents open and close, then the counters move by kind and line, and silent devices are the open silent ones', async () => {
    const metrics = metricsWith();
    const event = (id: string, device: string, kind: string, state: string) => metrics.observer.incident({ incident_id: id, device, kind, state });
    event('a', 'line1/p1', 'anomaly', 'opened');
    event('a', 'line1/p1', 'anomaly', 'updated');
    event('b', 'line2/p2', 'silent', 'opened');
    event('c', 'line2/p3', 'silent', 'opened');
    event('b', 'line2/p2', 'silent', 'closed');
    const scrape = parseScrape(await metrics.scrape());
    expect(value(scrape, 'factory_anomaly_incidents_opened_total', { kind: 'anomaly', line: 'line1' })).toBe(1);
    expect(value(scrape, 'factory_anomaly_incidents_opened_total', { kind: 'silent', line: 'line2' })).toBe(2);
    expect(value(scrape, 'factory_anomaly_incidents_closed_total', { kind: 'silent' })).toBe(1);
    expect(value(scrape, 'factory_anomaly_incidents_open', { kind: 'anomaly' })).toBe(1);
    expect(value(scrape, 'factory_anomaly_incidents_open', { kind: 'silent' })).toBe(1);
    expect(value(scrape, 'factory_anomaly_silent_devices')).toBe(1);
  });

  it('when the broker and HTTP count, then their metrics follow the snapshots at every scrape', async () => {
    const broker = { ...createBrokerCounters(), connections: 3, clients: 2, retained: { count: 0, bytes: 0 } };
    const http = createHttpStats();
    http.routes['/predict'] = { requests: 5, responses: { 200: 4, 400: 1 } };
    const metrics = metricsWith({ broker: () => broker, http: () => http });
    broker.messagesReceived = 10;
    broker.rateLimited = 4;
    broker.pendingRefused = 3;
    broker.retained = { count: 7, bytes: 900 };
    let scrape = parseScrape(await metrics.scrape());
    expect(value(scrape, 'factory_anomaly_broker_clients')).toBe(2);
    expect(value(scrape, 'factory_anomaly_broker_messages_received_total')).toBe(10);
    expect(value(scrape, 'factory_anomaly_broker_dropped_messages_total', { reason: 'rate_limited' })).toBe(4);
    expect(value(scrape, 'factory_anomaly_broker_connections_refused_total', { reason: 'pending_limit' })).toBe(3);
    expect(value(scrape, 'factory_anomaly_broker_retained_bytes')).toBe(900);
    expect(value(scrape, 'factory_anomaly_http_responses_total', { route: '/predict', status: '400' })).toBe(1);
    broker.messagesReceived = 25;
    broker.clients = 1;
    scrape = parseScrape(await metrics.scrape());
    expect(value(scrape, 'factory_anomaly_broker_messages_received_total')).toBe(25);
    expect(value(scrape, 'factory_anomaly_broker_clients')).toBe(1);
  });

  it('when a part does not run in this process, then its metrics are left out rather than shown as 0', async () => {
    const scrape = parseScrape(await metricsWith().scrape());
    expect(scrape.has('factory_anomaly_readings_received_total')).toBe(true);
    expect(scrape.has('factory_anomaly_broker_clients')).toBe(false);
    expect(scrape.has('factory_anomaly_models_held')).toBe(false);
    const brokerOnly = parseScrape(await createMetrics({ sources: { broker: () => ({ ...createBrokerCounters(), connections: 0, clients: 0, retained: { count: 0, bytes: 0 } }) }, topics: TOPICS, deviceLabels: false, maxLabelValues: 10, processMetrics: false }).scrape());
    expect(brokerOnly.has('factory_anomaly_broker_clients')).toBe(true);
    expect(brokerOnly.has('factory_anomaly_readings_received_total')).toBe(false);
    expect(brokerOnly.has('factory_anomaly_scoring_duration_seconds')).toBe(false);
  });

  it('when process metrics are on, then Node’s standard ones are there too', async () => {
    const metrics = createMetrics({ sources: {}, topics: TOPICS, deviceLabels: false, maxLabelValues: 10 });
    const scrape = parseScrape(await metrics.scrape());
    expect(value(scrape, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });
});

describe('label limits and topics', () => {
  it.each([
    ['line1/press-3', 'line1'],
    ['line1/a/b', 'line1'],
    ['solo', 'solo'],
  ])('when the device is %s, then its line is %s', (device, line) => {
    expect(lineOf(device)).toBe(line);
  });

  it('when the limit is reached, then known values pass and new ones become other', () => {
    const limit = createLabelLimiter(2);
    expect([limit('a'), limit('b'), limit('c'), limit('a')]).toEqual(['a', 'b', OTHER_LABEL, 'a']);
  });

  it.each([
    ['factory/scores/line1/p', 'score'],
    ['factory/anomalies', 'anomaly'],
    ['factory/errors', 'dead_letter'],
    ['factory/status/worker', 'status'],
    ['factory/incidents', 'incident'],
    ['factory/incidents/line1/p', 'incident'],
    ['factory/scoresx', 'other'],
  ])('when a publish to %s is acknowledged, then it counts as %s', (topic, kind) => {
    expect(publishKinds(TOPICS)(topic)).toBe(kind);
  });
});
