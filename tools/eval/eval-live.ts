/**
 * `npm run -s eval:live -- --seconds 60`: runs broker, worker and simulator in
 * this process, matches factory/anomalies against the simulator's ground truth
 * (factory/simulator/injected) and prints precision, recall, F1, false alarms
 * per 1,000 normal readings and detection delay; the last line is JSON.
 */
import { parseArgs } from 'node:util';
import { liveMetrics, type Flagged, type Injected } from './live-metrics.js';
import { progressEnabled } from '../../src/app/progress-mode.js';
import { createProgress } from '../../src/support/progress.js';

const USAGE = `Usage: npm run -s eval:live -- [options]
  --seconds N        how long the simulator runs (default 60)
  --devices N        simulated devices (default SIMULATOR_DEVICES, 5)
  --rate R           readings/s per device (default 20: the default simulation, time-compressed)
  --anomaly-rate P   probability a reading starts a fault (default SIMULATOR_ANOMALY_RATE, 0.02)
  --seed N           simulator seed (default SIMULATOR_SEED)
  --help             this text
Other settings (MODEL_*, SIMULATOR_* baselines) come from the environment, as for npm start.`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '60' },
      devices: { type: 'string' },
      rate: { type: 'string', default: '20' },
      'anomaly-rate': { type: 'string' },
      seed: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return void console.log(USAGE);
  const seconds = Number(values.seconds);
  if (!(seconds > 0)) throw new UsageError('--seconds must be a positive number');
  // Loaded once the flags are read, so --help and a bad flag answer at once.
  const [{ connectAsync }, { startPipeline }, { loadConfig }, { createLogger }, { startSimulator }] = await Promise.all([
    import('mqtt'),
    import('../../src/app/start-pipeline.js'),
    import('../../src/app/config.js'),
    import('../../src/support/logger.js'),
    import('../../src/simulator/simulator.js'),
  ]);

  const config = loadConfig({
    ...process.env,
    MQTT_PORT: '0',
    MQTT_WS_PORT: '0',
    HTTP_PORT: '0',
    MQTT_URL: '',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    SIMULATOR_ENABLED: 'true',
    SIMULATOR_RATE: values.rate,
    ...(values.devices ? { SIMULATOR_DEVICES: values.devices } : {}),
    ...(values['anomaly-rate'] ? { SIMULATOR_ANOMALY_RATE: values['anomaly-rate'] } : {}),
    ...(values.seed ? { SIMULATOR_SEED: values.seed } : {}),
  });
  const logger = createLogger({ level: config.log.level, pretty: 'false', name: 'eval-live' });
  const pipeline = await startPipeline(config, logger, { broker: true, worker: true, simulator: false });
  const injected: Injected[] = [];
  const flagged: Flagged[] = [];
  let scored = 0;
  const observer = await connectAsync(pipeline.mqttUrl, { clientId: 'eval-live-observer' });
  try {
    observer.on('message', (topic, payload) => {
      const body = JSON.parse(payload.toString()) as Record<string, unknown>;
      if (topic === config.topics.injected) injected.push(body as unknown as Injected);
      else if (topic === config.topics.anomalies) {
        const input = body.input_data as { timestamp: string };
        flagged.push({ device: body.device as string, timestamp: input.timestamp, receivedAt: Date.now() });
      } else scored += 1;
    });
    await observer.subscribeAsync([config.topics.injected, config.topics.anomalies, `${config.topics.scores}/#`], { qos: 1 });

    const simulator = await startSimulator({
      url: pipeline.mqttUrl,
      config: { ...config.simulator, sensors: config.simulator.sensors ?? [] },
      topics: { sensors: config.topics.sensors, injected: config.topics.injected },
      qos: config.mqtt.qos,
      logger,
      durationSeconds: seconds,
    });
    // On a terminal, how far the run is; nothing in a pipe or CI.
    const progress = createProgress({ stream: process.stderr, enabled: progressEnabled(process.stderr), label: 'eval live', total: seconds, unit: 's' });
    const began = performance.now();
    const ticker = setInterval(() => progress.update(Math.round((performance.now() - began) / 1000), `${scored} scored, ${flagged.length} flagged`), 500);
    await simulator.done.finally(() => {
      clearInterval(ticker);
      progress.finish();
    });
    const sent = simulator.stats().sent;
    await until(() => scored >= sent, 10_000);

    const metrics = liveMetrics(scored, injected, flagged);
    printTable(seconds, sent, metrics);
    console.log(JSON.stringify({ seconds, devices: config.simulator.devices, rate: config.simulator.rate, sent, ...metrics }));
  } finally {
    await observer.endAsync();
    await pipeline.shutdown.run('eval done');
  }
}

function printTable(seconds: number, sent: number, m: ReturnType<typeof liveMetrics>): void {
  const rows: Array<[string, string | number]> = [
    ['duration (s)', seconds],
    ['readings sent / scored', `${sent} / ${m.scored}`],
    ['injected anomalies', m.injected],
    ['flagged', m.flagged],
    ['precision', m.precision],
    ['recall', m.recall],
    ['F1', m.f1],
    ['false alarms / 1,000 normal', m.false_alarms_per_1000_normal],
    ['recall by kind', JSON.stringify(m.recall_by_kind)],
    ['detection delay p50 / p99 (ms)', `${m.delay_ms_p50} / ${m.delay_ms_p99}`],
  ];
  for (const [name, value] of rows) console.log(`${name.padEnd(32)} ${value}`);
}

/** Waits for the worker to catch up with what the simulator sent, polling an in-process counter. */
async function until(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}

class UsageError extends Error {}

main().catch((err: unknown) => {
  // A flag parseArgs does not know is a usage error too (exit 2), like every command's.
  const usage = err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') === true;
  console.error(usage ? `eval live: ${(err as Error).message}\n\n${USAGE}` : err);
  process.exitCode = usage ? 2 : 1;
});
