import { BrokerSetupError } from '../../broker/embedded-broker.js';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { ConnectRefusedError } from '../io/connect-refused.js';
import { ListenError, PORT_VARIABLE } from '../io/listen.js';
import { createLogger, type Logger } from '../logger.js';
import { onSignals } from './shutdown.js';
import { startPipeline, type PipelineParts } from './start-pipeline.js';

/** Exit codes: 1 runtime or startup failure, 2 bad configuration. */
export const EXIT_CONFIG = 2;
export const EXIT_STARTUP = 1;

/**
 * Runs an entry point: config (every problem listed, exit 2), logger, the
 * chosen parts of the pipeline, signal handling. A port that is taken is an
 * operator error, reported with the variable to change rather than a stack trace.
 */
export async function runEntry(name: string, parts: PipelineParts): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    process.exit(EXIT_CONFIG);
  }
  const logger = createLogger({ level: config.log.level, pretty: config.log.pretty, name });
  try {
    const pipeline = await startPipeline(config, logger, parts);
    onSignals(pipeline.shutdown, (code) => process.exit(code), logger);
    logger.info(
      {
        mqtt: pipeline.mqttUrl,
        ws: pipeline.broker?.wsUrl,
        http: pipeline.http?.url,
        model: pipeline.models.get()?.info.id,
        simulator: pipeline.simulator !== undefined,
      },
      'ready',
    );
  } catch (err) {
    exitOnStartupError(err, logger);
  }
}

function exitOnStartupError(err: unknown, logger: Logger): never {
  const hint = startupHint(err);
  if (hint !== undefined) {
    logger.fatal({ err: (err as Error).message }, hint);
    console.error(`${(err as Error).message}\n${hint}`);
  } else {
    logger.fatal({ err }, 'failed to start');
  }
  process.exit(EXIT_STARTUP);
}

/** Turns a startup error into the one sentence an operator needs, or undefined for a real bug. */
export function startupHint(err: unknown): string | undefined {
  if (err instanceof ListenError) return `Set ${PORT_VARIABLE[err.listener]} to a free port (0 picks one).`;
  if (err instanceof BrokerSetupError) return `Check ${err.variable}.`;
  if (err instanceof ConnectRefusedError) return 'Check MQTT_USERNAME, MQTT_PASSWORD and MQTT_CLIENT_ID against the broker\'s users.';
  if (err instanceof Error && /^MODEL_PATH|model file/i.test(err.message)) return 'Fix or remove the model file (MODEL_PATH).';
  return undefined;
}
