import { loadConfig } from '../../src/app/config.js';
import { startPipeline, type Pipeline } from '../../src/app/start-pipeline.js';
import { silentLogger } from '../../src/support/logger.js';
import { connectClient, createResources, waitForMessages } from '../helpers/mqtt.js';
import { histogramCount, scrape, scrapeUntil, value } from '../helpers/prometheus.js';

const testEnv = { MQTT_PORT: '0', MQTT_WS_PORT: '0', HTTP_PORT: '0', LOG_LEVEL: 'silent', SIMULATOR_ENABLED: 'false' };
const TOKEN = 'metrics-token-of-some-length';
const normal = (t: number) => JSON.stringify({ timestamp: t, temperature: 25, humidity: 50, sound: 60 });
const hot = JSON.stringify({ temperature: 90, humidity: 50, sound: 60 });

describe('GET /metrics on the sidecar', () => {
  const resources = createResources();
  afterEach(() => resources.closeAll());

  async function start(env: Record<string, string> = {}): Promise<Pipeline> {
    const pipeline = await startPipeline(loadConfig({ ...testEnv, ...env }), silentLogger(), { broker: true, worker: true, simulator: false });
    return resources.add(pipeline, (p) => p.shutdown.run('test over'));
  }

  it('when readings flow, then the scraped counters, histograms and gauges move with them', async () => {
    const { broker, http } = await start();
    const url = `${http!.url}/metrics`;
    const before = await scrape(url);
    expect(value(before, 'factory_anomaly_readings_received_total')).toBe(0);
    expect(value(before, 'factory_anomaly_mqtt_connected')).toBe(1);

    const client = await connectClient(resources, broker!.url);
    await client.subscribeAsync(['factory/scores/#', 'factory/errors'], { qos: 1 });
    const results = waitForMessages(client, '#', 7);
    for (let i = 0; i < 3; i++) await client.publishAsync('factory/sensors/line1/press-1', normal(i), { qos: 1 });
    await client.publishAsync('factory/sensors/line2/oven-1', normal(9), { qos: 1 });
    await client.publishAsync('factory/sensors/line2/oven-1', hot, { qos: 1 });
    await client.publishAsync('factory/sensors/line1/press-1', '{not json', { qos: 1 });
    await client.publishAsync('factory/sensors/line1/press-1', '{"temperature":"hot"}', { qos: 1 });
    await results;

    // Scoring and rejection are counted before the results go out; publishes once the broker acknowledged them.
    const after = await scrapeUntil(url, (s) => value(s, 'factory_anomaly_results_published_total', { kind: 'dead_letter' }) === 2);
    expect(value(after, 'factory_anomaly_readings_received_total')).toBe(7);
    expect(value(after, 'factory_anomaly_readings_scored_total', { line: 'line1' })).toBe(3);
    expect(value(after, 'factory_anomaly_readings_scored_total', { line: 'line2' })).toBe(2);
    expect(value(after, 'factory_anomaly_anomalies_total', { line: 'line2' })).toBe(1);
    expect(value(after, 'factory_anomaly_anomalies_total', { line: 'line1' })).toBe(0);
    expect(value(after, 'factory_anomaly_readings_rejected_total', { code: 'invalid_json' })).toBe(1);
    expect(value(after, 'factory_anomaly_readings_rejected_total', { code: 'invalid_reading' })).toBe(1);
    expect(histogramCount(after, 'factory_anomaly_scoring_duration_seconds')).toBe(5);
    const published = await scrapeUntil(url, (s) => histogramCount(s, 'factory_anomaly_result_latency_seconds') === 5);
    expect(value(published, 'factory_anomaly_results_published_total', { kind: 'score' })).toBe(5);
    expect(value(published, 'factory_anomaly_results_published_total', { kind: 'anomaly' })).toBe(1);
    expect(value(after, 'factory_anomaly_broker_messages_received_total')).toBeGreaterThanOrEqual(7);
    // The worker, its client-id claim connection (answers for its id, issue 11) and this test's client.
    expect(value(after, 'factory_anomaly_broker_clients')).toBe(3);
    expect(value(after, 'factory_anomaly_http_responses_total', { route: '/metrics', status: '200' })).toBeGreaterThanOrEqual(1);
    expect(value(after, 'factory_anomaly_model_info')).toBe(1);
    expect(value(after, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('when HTTP_TOKEN is set, then /metrics needs it like the other operator endpoints', async () => {
    const { http } = await start({ HTTP_TOKEN: TOKEN });
    const url = `${http!.url}/metrics`;
    const refused = await fetch(url);
    expect(refused.status).toBe(401);
    expect(await refused.text()).not.toContain('factory_anomaly_');
    expect((await fetch(url, { headers: { authorization: 'Bearer wrong-token-of-some-length' } })).status).toBe(401);
    const s = await scrape(url, TOKEN);
    expect(value(s, 'factory_anomaly_mqtt_connected')).toBe(1);
    expect((await fetch(`${http!.url}/health`)).status).toBe(200);
  });

  it('when the worker runs against an external broker, then the broker metrics are left out', async () => {
    const { broker } = await start({ HTTP_PORT: '0' });
    const worker = await startPipeline(loadConfig({ ...testEnv, MQTT_URL: broker!.url, MQTT_CLIENT_ID: 'second-worker' }), silentLogger(), {
      broker: false,
      worker: true,
      simulator: false,
    });
    resources.add(worker, (p) => p.shutdown.run('test over'));
    const s = await scrape(`${worker.http!.url}/metrics`);
    expect(s.has('factory_anomaly_readings_received_total')).toBe(true);
    expect(s.has('factory_anomaly_broker_clients')).toBe(false);
  });
});
