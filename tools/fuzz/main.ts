/**
 * A long hostile-input run against a real embedded broker, worker and HTTP
 * sidecar, all in this process, with the generator and checks of the fuzz tests:
 *
 *   npm run -s fuzz -- --count 100000 --seed 7
 *   npx tsx tools/fuzz/main.ts --count 100000 --seed 7
 *
 * Prints a summary, then one JSON line: mqtt_sent (malformed payloads and
 * wrong-topic messages) and mqtt_dead_letters (equal when none vanished),
 * http_sent and http_4xx (equal when every request was refused cleanly),
 * crashes (uncaught exceptions, unhandled rejections, a worker found
 * disconnected at the end), heap_growth_mb (JS heap plus Buffers after a full
 * GC, against a baseline taken after a warm-up), then http_5xx, http_no_answer
 * and failed_checks (every other check: codes, reasons, counters, the good
 * reading afterwards). Exit code 0 when every check held, 1 when one failed
 * (the first failures go to stderr), 2 on a usage error.
 */
import { FUZZ_MAX_BATCH } from './family.js';
import { parseArgs } from 'node:util';
import { startBroker } from '../../src/adapters/broker/embedded-broker.js';
import { fuzzModel } from './fuzz-model.js';
import { MB, retainedBytes } from './heap.js';
import { runBrokenHttp } from './http-broken.js';
import { runHttpFuzz } from './http-fuzz.js';
import { runMqttFuzz } from './mqtt-fuzz.js';
import { runMqttViolations } from './mqtt-violations.js';
import { createHttpApp, startHttpServer } from '../../src/adapters/http/index.js';
import { silentLogger } from '../../src/support/logger.js';
import { DEFAULT_SENSORS } from '../../src/core/sensors.js';
import { DEFAULT_DETECTOR_SETTINGS } from '../../src/core/context/settings.js';
import { fixedModelDetector } from '../../src/detector/fixed-model.js';
import { createWorker } from '../../src/worker/worker.js';

const USAGE = `Usage: npm run -s fuzz -- [--count <n>] [--seed <n>] [--http-count <n>]

  --count <n>        malformed MQTT payloads (default 100000)
  --seed <n>         generator seed (default 7)
  --http-count <n>   malformed /predict bodies (default count / 10)`;

const LIMIT = 65536; // the defaults of MAX_PAYLOAD_BYTES and HTTP_BODY_LIMIT
const topics = { sensors: 'factory/sensors/#', anomalies: 'factory/anomalies', scores: 'factory/scores', errors: 'factory/errors', status: 'factory/status/worker' };
const fuzzTopics = { sensorPrefix: 'factory/sensors', errorsTopic: topics.errors, scoresPrefix: topics.scores };

function options(argv: string[]): { count: number; seed: number; httpCount: number } {
  const { values } = parseArgs({ args: argv, options: { count: { type: 'string' }, seed: { type: 'string' }, 'http-count': { type: 'string' }, help: { type: 'boolean' } } });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const int = (name: string, text: string | undefined, fallback: number, min: number) => {
    const n = text === undefined ? fallback : Number(text);
    if (!Number.isSafeInteger(n) || n < min) throw new Error(`--${name} must be an integer >= ${min}, got ${text}`);
    return n;
  };
  const count = int('count', values.count, 100_000, 1);
  return { count, seed: int('seed', values.seed, 7, 0), httpCount: int('http-count', values['http-count'], Math.max(1, Math.round(count / 10)), 1) };
}

async function main(): Promise<number> {
  let args: ReturnType<typeof options>;
  try {
    args = options(process.argv.slice(2));
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  let crashes = 0;
  process.on('uncaughtException', (err) => {
    crashes += 1;
    console.error('uncaught exception:', err);
  });
  process.on('unhandledRejection', (err) => {
    crashes += 1;
    console.error('unhandled rejection:', err);
  });

  const started = Date.now();
  const logger = silentLogger();
  const model = fuzzModel(args.seed);
  const broker = await startBroker({ host: '127.0.0.1', port: 0, logger });
  const worker = createWorker({
    url: broker.url,
    clientId: 'fuzz-worker',
    qos: 1,
    topics,
    schema: DEFAULT_SENSORS,
    maxPayloadBytes: LIMIT,
    maxBatch: FUZZ_MAX_BATCH,
    detector: fixedModelDetector(() => model, DEFAULT_SENSORS, DEFAULT_DETECTOR_SETTINGS),
    logger,
  });
  await worker.start();
  const app = createHttpApp({ getModel: () => model, health: () => ({ ready: true, checks: {} }), bodyLimitBytes: LIMIT, logger, isClosing: () => false });
  const http = await startHttpServer({ host: '127.0.0.1', port: 0, handler: app, logger, headersTimeoutMs: 1000, requestTimeoutMs: 2000 });
  const stats = () => app.stats();
  const mqtt = { url: broker.url, ...fuzzTopics, maxPayloadBytes: LIMIT, workerStats: () => worker.stats() };
  try {
    // Warm-up, then the baseline: compiled code, connections and buffers are in place.
    await runMqttFuzz({ ...mqtt, seed: args.seed + 1, count: 500 });
    await runHttpFuzz({ url: http.url, seed: args.seed + 1, count: 100, bodyLimitBytes: LIMIT, stats });
    const baseline = retainedBytes();

    console.error(`MQTT: ${args.count} malformed payloads...`);
    const m = await runMqttFuzz({ ...mqtt, seed: args.seed, count: args.count });
    const v = await runMqttViolations({ url: broker.url, ...fuzzTopics });
    console.error(`HTTP: ${args.httpCount} malformed bodies and the broken-HTTP cases...`);
    const h = await runHttpFuzz({ url: http.url, seed: args.seed, count: args.httpCount, bodyLimitBytes: LIMIT, stats });
    const b = await runBrokenHttp({ url: http.url, bodyLimitBytes: LIMIT, stats });
    const growth = retainedBytes() - baseline;

    const health = worker.health();
    if (!health.connected || !health.subscribed) crashes += 1;
    const statuses = [h.byStatus, b.byStatus].flatMap((s) => Object.entries(s));
    const httpCount = (test: (status: number) => boolean) => statuses.reduce((n, [status, k]) => n + (test(Number(status)) ? k : 0), 0);
    const failures = [...m.failures, ...v.failures, ...h.failures, ...b.failures];
    const failureCount = m.failureCount + v.failureCount + h.failureCount + b.failureCount;
    for (const failure of failures.slice(0, 30)) console.error(`FAIL ${failure}`);

    console.log(`MQTT  ${m.sent} bad messages (${m.malformed} payloads, ${m.wrongTopic} wrong topics, ${(m.payloadBytes / MB).toFixed(0)} MB), ${m.deadLetters} dead letters ${JSON.stringify(m.byCode)}`);
    console.log(`MQTT  ${v.refused}/${v.attempts} forbidden-topic publishers and ${v.rawRefused}/${v.rawAttempts} raw-garbage connections refused; good reading afterwards scored: ${m.goodScored && v.goodScored}`);
    const answers: Record<string, number> = {};
    for (const [status, k] of statuses) answers[status] = (answers[status] ?? 0) + k;
    console.log(`HTTP  ${h.sent + b.sent} bad requests, answers ${JSON.stringify(answers)}`);
    console.log(`heap  ${(growth / MB).toFixed(1)} MB growth after GC; ${failureCount} failed checks; ${((Date.now() - started) / 1000).toFixed(1)} s`);
    console.log(
      JSON.stringify({
        mqtt_sent: m.sent,
        mqtt_dead_letters: m.deadLetters,
        http_sent: h.sent + b.sent,
        http_4xx: httpCount((s) => s >= 400 && s < 500),
        crashes,
        heap_growth_mb: Math.round((growth / MB) * 10) / 10,
        http_5xx: httpCount((s) => s >= 500),
        http_no_answer: (h.byStatus.none ?? 0) + (b.byStatus.none ?? 0),
        failed_checks: failureCount,
        seed: args.seed,
      }),
    );
    return failureCount === 0 && crashes === 0 ? 0 : 1;
  } finally {
    await worker.stop();
    await http.close();
    await broker.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
