/**
 * `simulate --devices 20 --rate 10 --duration 60`: simulated sensors
 * publishing to a broker (the embedded one by default).
 */
import { createShutdown } from '../../support/shutdown.js';
import { ConfigError, loadConfig } from '../config.js';
import { EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import { SettingError } from '../../support/setting-error.js';
import { runService } from '../run-service.js';
import { brokerConnection } from '../worker-options.js';
import type { Command } from './command.js';
import { applyOverrides, brokerUrl, parseCliArgs, usage } from './simulate-options.js';

export const simulate: Command = {
  summary: 'Publishes simulated sensor readings, with injected faults and their ground truth, to a broker.',
  async run(argv) {
    const args = parseCliArgs(argv);
    if (args.help) {
      try {
        console.log(usage(loadConfig(process.env)));
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        console.error(`simulate: ${err.message}`);
        return EXIT_USAGE;
      }
      return EXIT_OK;
    }
    const { overrides } = args;
    return runService({
      name: 'simulate',
      async start(config, logger) {
        const sensors = config.simulator.sensors;
        if (sensors === undefined) {
          throw new SettingError(
            'no_baseline',
            'sensors.schema',
            `the sensor schema gives no simulator baseline for ${config.simulator.missing.join(', ')}: add "simulate": {"base", "variation"} to each field in {sensors.schema}`,
          );
        }
        const url = overrides.url ?? brokerUrl(config.mqtt);
        // Loaded here, not at the top, so --help and a bad flag answer without loading MQTT.
        const [{ startSimulator }, { createStatusDisplay }] = await Promise.all([
          import('../../simulator/simulator.js'),
          import('../../simulator/status-display.js'),
        ]);
        const display = createStatusDisplay(process.stderr, logger);
        const simulator = await startSimulator({
          ...(await brokerConnection(config, url)),
          config: { ...applyOverrides(config.simulator, overrides), sensors },
          topics: { sensors: config.topics.sensors, injected: config.topics.injected },
          qos: config.mqtt.qos,
          logger,
          durationSeconds: overrides.durationSeconds,
          onStats: display.update,
          statsIntervalMs: display.intervalMs,
        }).catch((err: unknown) => {
          // A setting the simulator refuses (e.g. --kinds correlation_break without two load sensors) is not a connection problem.
          if (err instanceof SettingError) throw err;
          throw new SettingError('connect_failed', 'mqtt.url', `cannot connect to the broker at ${url}: ${(err as Error).message}`, { cause: err });
        });
        const shutdown = createShutdown({ logger, timeoutMs: config.shutdownTimeoutMs });
        shutdown.add({ name: 'simulator', run: () => simulator.stop() });
        shutdown.add({ name: 'summary', run: () => display.finish(simulator.stats()) });
        // The end of --duration takes the same path as a signal.
        return { shutdown, ready: { url, devices: simulator.devices.length }, done: simulator.done };
      },
    });
  },
};
