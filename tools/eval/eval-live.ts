/**
 * `npm run -s eval:live`: runs broker, worker and simulator in this process and
 * measures detection on the simulator's ground truth. Primary figures are on
 * incidents (factory/incidents) against fault episodes: recall per fault kind,
 * false incidents per device-hour, F1, detection delay. Secondary, per reading:
 * factory/anomalies against the anomalous readings. The simulator runs in
 * simulated time (--time-scale), so a few minutes cover many device-hours.
 * The last line printed is JSON.
 */
import { parseArgs } from 'node:util';
import { progressEnabled } from '../../src/app/progress-mode.js';
import { createProgress } from '../../src/support/progress.js';
import { episodesFrom, incidentsFrom } from './incident-inputs.js';
import { incidentMetrics } from './incident-metrics.js';
import { liveMetrics } from './live-metrics.js';
import { reportJson, reportTable } from './live-report.js';

// A real day: the run speeds everything up by the time scale alike. A shorter day would make the daily swing,
// and nothing else, faster than in any plant (a 1-hour day moves a sensor as fast as a slow-drift fault).
const DEFAULTS = { seconds: 300, devices: 30, timeScale: 20, daySeconds: 86400, graceSeconds: 30 };

const USAGE = `Usage: npm run -s eval:live -- [options]
  --seconds N        wall-clock seconds the simulator runs (default ${DEFAULTS.seconds})
  --devices N        simulated devices (default ${DEFAULTS.devices})
  --time-scale X     simulated seconds per wall-clock second (default ${DEFAULTS.timeScale}):
                     the default run covers ${(DEFAULTS.seconds * DEFAULTS.timeScale) / 3600} simulated hours of ${DEFAULTS.devices} devices
  --rate R           readings per simulated second per device (default SIMULATOR_RATE, 1)
  --day-seconds N    length of the simulated day (default ${DEFAULTS.daySeconds}; each device starts at its own
                     point of its sensors' cycles, which move through the run)
  --grace S          simulated seconds after a fault's start an incident still detects it (default ${DEFAULTS.graceSeconds})
  --kinds LIST       fault kinds to inject (default SIMULATOR_FAULT_KINDS, all)
  --anomaly-rate P   probability a reading starts a fault (default SIMULATOR_ANOMALY_RATE, 0.02)
  --seed N           simulator seed (default SIMULATOR_SEED)
  --help             this text
Flags win over the environment; other settings (detector, MODEL_*, SIMULATOR_*) come from it, as for npm start.`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string' },
      devices: { type: 'string' },
      'time-scale': { type: 'string' },
      rate: { type: 'string' },
      'day-seconds': { type: 'string' },
      grace: { type: 'string' },
      kinds: { type: 'string' },
      'anomaly-rate': { type: 'string' },
      seed: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return void console.log(USAGE);
  const seconds = positive('--seconds', values.seconds ?? String(DEFAULTS.seconds));
  const graceSeconds = positive('--grace', values.grace ?? String(DEFAULTS.graceSeconds));
  const env = process.env;
  const given = (flag: string | undefined, variable: string, fallback?: number) => flag ?? env[variable] ?? (fallback === undefined ? undefined : String(fallback));
  const settings = {
    SIMULATOR_DEVICES: given(values.devices, 'SIMULATOR_DEVICES', DEFAULTS.devices),
    SIMULATOR_TIME_SCALE: given(values['time-scale'], 'SIMULATOR_TIME_SCALE', DEFAULTS.timeScale),
    SIMULATOR_DAY_SECONDS: given(values['day-seconds'], 'SIMULATOR_DAY_SECONDS', DEFAULTS.daySeconds),
    SIMULATOR_RATE: given(values.rate, 'SIMULATOR_RATE'),
    SIMULATOR_FAULT_KINDS: given(values.kinds, 'SIMULATOR_FAULT_KINDS'),
    SIMULATOR_ANOMALY_RATE: given(values['anomaly-rate'], 'SIMULATOR_ANOMALY_RATE'),
    SIMULATOR_SEED: given(values.seed, 'SIMULATOR_SEED'),
  };
  const timeScale = positive('--time-scale', settings.SIMULATOR_TIME_SCALE!);
  // Loaded once the flags are read, so --help and a bad flag answer at once.
  const [{ startPipeline }, { loadConfig }, { createLogger }, { startSimulator }, { incidentsSeenBy, observeLive, readingTruth, silentOnObserverClock }] =
    await Promise.all([
      import('../../src/app/start-pipeline.js'),
      import('../../src/app/config.js'),
      import('../../src/support/logger.js'),
      import('../../src/simulator/simulator.js'),
      import('./live-observer.js'),
    ]);
  const evalEnv = {
    ...env,
    ...settings,
    MQTT_PORT: '0',
    MQTT_WS_PORT: '0',
    HTTP_PORT: '0',
    MQTT_URL: '',
    LOG_LEVEL: env.LOG_LEVEL ?? 'warn',
    SIMULATOR_ENABLED: 'true',
  };
  const silence = scaledSilence(loadConfig(evalEnv).silence, timeScale);
  const config = loadConfig({ ...evalEnv, ...silence });
  const simulated = config.simulator.sensors;
  if (simulated === undefined) throw new UsageError(`the sensor schema gives no simulator baseline for ${config.simulator.missing.join(', ')}`);
  // Logs go to stderr: stdout is the report, its JSON line last (the broker still logs while it closes).
  const logger = createLogger({ level: config.log.level, pretty: 'false', name: 'eval-live', stderr: true });
  const pipeline = await startPipeline(config, logger, { broker: true, worker: true, simulator: false });
  // Until the simulator runs, simulated time is the wall clock.
  let simulatedNow = () => Date.now();
  const incidentsTopic = config.topics.incidents;
  const observer = await observeLive(
    pipeline.mqttUrl,
    { injected: config.topics.injected, anomalies: config.topics.anomalies, scores: config.topics.scores, incidents: incidentsTopic },
    () => simulatedNow(),
  );
  try {
    const simulator = await startSimulator({
      url: pipeline.mqttUrl,
      config: { ...config.simulator, sensors: simulated },
      topics: { sensors: config.topics.sensors, injected: config.topics.injected },
      qos: config.mqtt.qos,
      logger,
      durationSeconds: seconds,
    });
    simulatedNow = () => simulator.simulatedTime(Date.now());
    // On a terminal, how far the run is; nothing in a pipe or CI.
    const progress = createProgress({ stream: process.stderr, enabled: progressEnabled(process.stderr), label: 'eval live', total: seconds, unit: 's' });
    const began = performance.now();
    const note = () => `${observer.seen.scored} scored, ${observer.seen.incidentEvents.length} incident events`;
    const ticker = setInterval(() => progress.update(Math.round((performance.now() - began) / 1000), note()), 500);
    await simulator.done.finally(() => {
      clearInterval(ticker);
      progress.finish();
    });
    const runEndMs = simulator.simulatedTime(simulator.startMs + seconds * 1000);
    const sent = simulator.stats().sent;
    if (config.topics.scores !== undefined) await until(() => observer.seen.scored >= sent, 30_000);
    else await new Promise((r) => setTimeout(r, 2000));

    const { seen } = observer;
    const run = {
      seconds,
      devices: config.simulator.devices,
      rate: config.simulator.rate,
      time_scale: config.simulator.timeScale,
      grace_s: graceSeconds,
      sent,
      simulated_hours: Math.round(((runEndMs - simulator.startMs) / 3_600_000) * 1e4) / 1e4,
      scaled_settings: silence,
    };
    const perReading = liveMetrics(seen.scored, readingTruth(seen.truth), seen.flagged);
    const incidents = incidentMetrics(episodesFrom(seen.truth), incidentsFrom(silentOnObserverClock(incidentsSeenBy(seen.incidentEvents, runEndMs))), {
      startMs: simulator.startMs,
      endMs: runEndMs,
      devices: config.simulator.devices,
      graceMs: graceSeconds * 1000,
    });
    for (const [variable, value] of Object.entries(silence)) console.log(`(${variable} scaled by the time scale to ${value} s of wall-clock time)`);
    if (seen.incidentEvents.length === 0) console.log(`(no incident events on ${incidentsTopic}: does this worker publish incidents?)`);
    console.log(reportTable(run, perReading, incidents));
    console.log(reportJson(run, perReading, incidents));
  } finally {
    await observer.close();
    await pipeline.shutdown.run('eval done');
  }
}

/**
 * Silence is judged on the arrival clock, which the time scale does not speed
 * up: a 60 s dropout lasts 3 wall-clock seconds at 20x. So the silence floor
 * (DEVICE_SILENCE_MIN_S, as configured or by default) is scaled down by the
 * time scale, to mean the same simulated time it means live; the factor times
 * the learnt interval scales by itself, as readings arrive that much more often.
 */
function scaledSilence(silence: { minMs: number } | undefined, timeScale: number): Record<string, string> {
  return silence === undefined ? {} : { DEVICE_SILENCE_MIN_S: String(silence.minMs / 1000 / timeScale) };
}

function positive(flag: string, text: string): number {
  const n = Number(text);
  if (!(Number.isFinite(n) && n > 0)) throw new UsageError(`${flag} must be a positive number (got ${JSON.stringify(text)})`);
  return n;
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
