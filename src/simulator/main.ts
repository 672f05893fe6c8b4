/**
 * `npm run simulate -- --devices 20 --rate 10 --duration 60`: simulated
 * sensors publishing to a broker (the embedded one by default).
 */
import { createShutdown, onSignals } from '../app/shutdown.js';
import { ConfigError, loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { applyOverrides, brokerUrl, parseCliArgs, usage, UsageError } from './cli-options.js';
import { startSimulator } from './simulator.js';
import { createStatusDisplay } from './status-display.js';

async function main(): Promise<void> {
  const args = orExit(2, () => parseCliArgs(process.argv.slice(2)));
  const config = orExit(2, () => loadConfig(process.env));
  if (args.help) {
    console.log(usage(config));
    return;
  }
  const { overrides } = args;
  const url = overrides.url ?? orExit(2, () => brokerUrl(config.mqtt));
  const logger = createLogger({ level: config.log.level, pretty: config.log.pretty, name: 'simulator' });
  const display = createStatusDisplay(process.stderr, logger);

  const simulator = await startSimulator({
    url,
    username: config.mqtt.username,
    password: config.mqtt.password,
    config: applyOverrides(config.simulator, overrides),
    topics: { sensors: config.topics.sensors, injected: config.topics.injected },
    qos: config.mqtt.qos,
    logger,
    durationSeconds: overrides.durationSeconds,
    onStats: display.update,
    statsIntervalMs: display.intervalMs,
  }).catch((err: unknown) => {
    console.error(`cannot connect to the broker at ${url}: ${(err as Error).message}`);
    process.exit(1);
  });

  const shutdown = createShutdown({ logger, timeoutMs: config.shutdownTimeoutMs });
  shutdown.add({ name: 'simulator', run: () => simulator.stop() });
  shutdown.add({ name: 'summary', run: () => display.finish(simulator.stats()) });
  const exit = (code: number) => process.exit(code);
  onSignals(shutdown, exit, logger);
  // The end of --duration takes the same path as a signal.
  await simulator.done;
  exit((await shutdown.run('duration elapsed')) ? 0 : 1);
}

/** Runs `fn`; an operator error (bad flag, bad variable) is printed without a stack trace and ends the process. */
function orExit<T>(code: number, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof UsageError) console.error(`${err.message}\nRun with --help for usage.`);
    else if (err instanceof ConfigError) console.error(err.message);
    else throw err;
    process.exit(code);
  }
}

main().catch((err: unknown) => {
  console.error('simulator failed:', err);
  process.exit(1);
});
