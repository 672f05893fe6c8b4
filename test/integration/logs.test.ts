/**
 * The pipeline's log as an operator reads it: one structured line per event
 * that matters, with the fields named in the issue, and never a secret.
 */
import { Writable } from 'node:stream';
import { startBroker } from '../../src/adapters/broker/embedded-broker.js';
import { loadConfig } from '../../src/app/config.js';
import { startPipeline } from '../../src/app/start-pipeline.js';
import { createLogger, silentLogger } from '../../src/support/logger.js';
import { connectAs, tempDir, writeTestUsers } from '../helpers/broker-auth.js';
import { createResources, waitForMessage } from '../helpers/mqtt.js';
import { useHttp } from '../helpers/http.js';
import { STATIONARY_SIMULATION } from '../helpers/settings.js';

type Line = Record<string, unknown> & { msg: string; level: number };

/** The JSON lines a logger made by createLogger (with its redaction) writes, as text and parsed. */
function capture() {
  const text: string[] = [];
  const waiters = new Set<() => void>();
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text.push(...chunk.toString().split('\n').filter((l) => l !== ''));
      for (const w of waiters) w();
      done();
    },
  });
  const lines = () => text.map((l) => JSON.parse(l) as Line);
  return {
    logger: createLogger({ level: 'debug', pretty: 'false', destination }),
    text: () => text.join('\n'),
    lines,
    waitFor: (msg: string, match: (l: Line) => boolean = () => true, timeoutMs = 10_000) =>
      new Promise<Line>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no "${msg}" log line within ${timeoutMs} ms; got: ${[...new Set(lines().map((l) => l.msg))].join(', ')}`)), timeoutMs);
        const check = () => {
          const found = lines().find((l) => l.msg === msg && match(l));
          if (found === undefined) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(found);
        };
        waiters.add(check);
        check();
      }),
  };
}

describe('the log', () => {
  const resources = createResources();
  afterEach(() => resources.closeAll());

  it('when the pipeline runs with passwords and a token configured, then its lines carry the events and fields that matter and no secret', async () => {
    const { file, users } = await writeTestUsers(tempDir(resources), { plant: 'admin', wall: 'viewer' });
    const secret = users.plant!.password;
    const token = 'a-token-nobody-may-read-0123456789';
    const broker = await startBroker({ host: '127.0.0.1', port: 0, authFile: file, logger: silentLogger() });
    resources.add(broker, (b) => b.close());
    const log = capture();
    const config = loadConfig({
      // Credentials inside the URL, as some deployments give them.
      MQTT_URL: `mqtt://plant:${encodeURIComponent(secret)}@127.0.0.1:${broker.port}`,
      MQTT_USERNAME: 'plant',
      MQTT_PASSWORD: secret,
      HTTP_TOKEN: token,
      HTTP_PORT: '0',
      LOG_SUMMARY_SECONDS: '1',
      SIMULATOR_DEVICES: '2',
      SIMULATOR_RATE: '10',
      SIMULATOR_ANOMALY_RATE: '0',
      ...STATIONARY_SIMULATION,
    });
    const pipeline = await startPipeline(config, log.logger, { broker: false, worker: true, simulator: true });
    resources.add(pipeline, (p) => p.shutdown.run('test over'));

    const model = await log.waitFor('model trained on simulated normal readings');
    // 10,000 simulated readings (MODEL_TRAINING_SIZE); the forest's rows start once the normaliser has settled.
    expect(model).toMatchObject({ component: 'model', id: expect.any(String), trees: 100, threshold: expect.any(Number), readings: 10000, ms: expect.any(Number) });
    expect(model.trainingSize).toBeGreaterThan(9900);
    const connected = await log.waitFor('connected', (l) => l.component === 'mqtt-source');
    expect(connected).toMatchObject({ url: expect.stringContaining('127.0.0.1'), clientId: 'anomaly-worker' });
    expect(connected.url).not.toContain(encodeURIComponent(secret));

    const device = await connectAs(resources, broker.url, users.plant);
    await device.subscribeAsync('factory/errors', { qos: 1 });
    const deadLetter = waitForMessage(device, 'factory/errors');
    await device.publishAsync('factory/sensors/line1/press-9', '{"temperature":"hot"}', { qos: 1 });
    await deadLetter;
    expect(await log.waitFor('message rejected')).toMatchObject({ level: 40, code: 'invalid_reading', topic: 'factory/sensors/line1/press-9' });
    await device.publishAsync('factory/sensors/line1/press-9', JSON.stringify({ temperature: 95, humidity: 50, sound: 60 }), { qos: 1 });
    expect(await log.waitFor('anomaly', (l) => l.device === 'line1/press-9')).toMatchObject({ level: 30, device: 'line1/press-9', score: expect.any(Number), explanation: expect.objectContaining({ temperature: expect.any(Number) }) });

    const summary = await log.waitFor('throughput', (l) => (l.received as number) > 0);
    expect(summary).toMatchObject({ component: 'throughput', scored: expect.any(Number), anomalies: expect.any(Number), perSecond: expect.any(Number), seconds: expect.any(Number) });

    const refused = await fetch(`${pipeline.http!.url}/metrics`, { headers: { authorization: `Bearer ${token}x`, 'x-request-id': 'scrape-42' } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('x-request-id')).toBe('scrape-42');
    expect(await log.waitFor('request rejected', (l) => l.reqId === 'scrape-42')).toMatchObject({ status: 401, route: '/metrics', code: 'unauthorized' });
    expect((await fetch(`${pipeline.http!.url}/metrics`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);

    await pipeline.shutdown.run('test');
    await log.waitFor('worker stopped');
    // No reading was logged one line each at info: the simulator sent dozens, the log has one anomaly line
    // (and the incident it opened, an event that matters).
    const perDevice = log.lines().filter((l) => l.level === 30 && l.device !== undefined);
    expect(perDevice.filter((l) => !String(l.msg).startsWith('incident ')).map((l) => l.msg)).toEqual(['anomaly']);
    const all = log.text();
    for (const s of [secret, encodeURIComponent(secret), token]) expect(all).not.toContain(s);
  }, 30_000);
});

describe('request ids', () => {
  const http = useHttp();

  it.each([
    ['no id', undefined, /^[0-9a-f-]{36}$/],
    ['a sane id', 'lb-7f3a.12', /^lb-7f3a\.12$/],
    ['an id with spaces and quotes', 'a "b" c', /^[0-9a-f-]{36}$/],
    ['an id of 500 characters', 'a'.repeat(500), /^[0-9a-f-]{36}$/],
  ])('when a request carries %s, then the response carries a sane one', async (_what, given, expected) => {
    const server = await http.start();
    const res = await fetch(`${server.url}/health`, { headers: given === undefined ? {} : { 'x-request-id': given } });
    expect(res.headers.get('x-request-id')).toMatch(expected);
  });
});
