/** `start` (broker, worker, HTTP sidecar and simulator in one process) and `worker` (worker and sidecar only). */
import { EXIT_OK } from '../exit-codes.js';
import { ALL_VARIABLES, parseEnvFlags, variablesHelp, variablesWith, type EnvFlags } from '../env-flags.js';
import { dashboardDir } from '../package-root.js';
import { readyBanner } from '../ready-banner.js';
import { runService } from '../run-service.js';
import type { PipelineParts } from '../start-pipeline.js';
import type { Command } from './command.js';

function pipelineCommand(name: string, parts: PipelineParts, summary: string, variables: readonly string[]): Command {
  const usage = () => `Usage: factory-anomaly ${name} [options]\n\n${summary}\nEvery option mirrors an environment variable and wins over it.\n\n${variablesHelp(variables)}`;
  return {
    summary,
    async run(argv, context) {
      const flags: EnvFlags = parseEnvFlags(argv, variables);
      if (flags.help) {
        console.log(usage());
        return EXIT_OK;
      }
      return runService(
        {
          name: name === 'start' ? 'factory-anomaly' : name,
          async start(config, logger) {
            // Loaded here, not at the top: --help and a bad flag answer without loading the broker, MQTT and the model.
            const { startPipeline } = await import('../start-pipeline.js');
            const pipeline = await startPipeline(config, logger, parts, { dashboardDir: dashboardDir(context) });
            const where = pipeline.where();
            return {
              shutdown: pipeline.shutdown,
              ready: { ...where },
              banner: readyBanner(name === 'start' ? 'factory-anomaly' : `factory-anomaly ${name}`, { ...where, token: config.http.token !== undefined }),
              ...(pipeline.broker ? { onHangup: () => pipeline.reloadUsers() } : {}),
            };
          },
        },
        { ...process.env, ...flags.env },
      );
    },
  };
}

export const start = pipelineCommand(
  'start',
  { broker: true, worker: true, simulator: true },
  'Runs the embedded MQTT broker, the worker, the HTTP sidecar and the simulator in one process.',
  ALL_VARIABLES,
);

export const worker = pipelineCommand(
  'worker',
  { broker: false, worker: true, simulator: false },
  'Runs the worker and its HTTP sidecar against the broker at MQTT_URL.',
  ALL_VARIABLES.filter((v) => !variablesWith('SIMULATOR_', 'MQTT_TLS_', 'MQTT_MAX_', 'MQTT_PUBLISH_', 'MQTT_AUTH', 'MQTT_ALLOW', 'MQTT_DEVICE', 'BROKER_').includes(v)),
);
