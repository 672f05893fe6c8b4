import { ConfigError, loadConfig, type Config } from './config.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './exit-codes.js';
import { variableOf } from './setting-names.js';
import { onSignals } from './signals.js';
import { createLogger, type Logger } from '../support/logger.js';
import { SettingError } from '../support/setting-error.js';
import type { Shutdown } from '../support/shutdown.js';

/** A long-running part (pipeline, broker, simulator) once started. */
export interface RunningService {
  readonly shutdown: Shutdown;
  /** Fields of the one `ready` log line: where everything is. */
  readonly ready: Record<string, unknown>;
  /** The same for a person, printed on a terminal once ready. */
  readonly banner?: string;
  /** SIGHUP: reloads what can be reloaded and says what. */
  readonly onHangup?: () => Promise<string>;
  /** Resolves when the service ends by itself (simulate --duration); it then shuts down as on a signal. */
  readonly done?: Promise<void>;
}

export interface ServiceEntry {
  /** Program name: logger name and the prefix of error lines. */
  readonly name: string;
  start(config: Config, logger: Logger): Promise<RunningService>;
}

/**
 * The one entry runner every long-running command goes through: configuration
 * (every problem listed, exit 2), one logger, start, signals (SIGINT/SIGTERM
 * shut down in order, SIGHUP reloads), and startup errors an operator can fix
 * printed as one plain line naming the variable (exit 1). Resolves with the
 * exit code once the service has stopped.
 */
export async function runService(entry: ServiceEntry, env: Record<string, string | undefined> = process.env): Promise<number> {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`${entry.name}: ${err.message}`);
    return EXIT_USAGE;
  }
  const logger = createLogger({ level: config.log.level, pretty: config.log.pretty, name: entry.name });
  let service: RunningService;
  try {
    service = await entry.start(config, logger);
  } catch (err) {
    return reportStartupError(entry.name, err, logger);
  }
  return new Promise<number>((resolve) => {
    const remove = onSignals(service.shutdown, {
      exit: (code) => {
        remove();
        resolve(code);
      },
      logger,
      ...(service.onHangup ? { onHangup: service.onHangup } : {}),
    });
    logger.info(service.ready, 'ready');
    // Logs may scroll past or be JSON: on a terminal, also say plainly where everything is.
    if (service.banner !== undefined && process.stderr.isTTY === true) process.stderr.write(`\n${service.banner}\n\n`);
    service.done?.then(async () => {
      const clean = await service.shutdown.run('finished');
      remove();
      resolve(clean ? EXIT_OK : EXIT_FAILURE);
    });
  });
}

/**
 * Settings that contradict each other, found only once a file is read: a configuration error like a bad
 * value (exit 2), not a failure while running (a taken port, an unreadable file: exit 1).
 */
const CONFIGURATION_CODES: ReadonlySet<string> = new Set(['model_mismatch']);

/** An operator's mistake gets one plain line naming the variable; anything else is a bug and keeps its stack. */
export function reportStartupError(name: string, err: unknown, logger: Logger): number {
  const line = startupErrorLine(err);
  if (line !== undefined) {
    logger.debug({ err }, 'failed to start');
    console.error(`${name}: ${line}`);
  } else {
    logger.fatal({ err }, 'failed to start');
  }
  return err instanceof SettingError && CONFIGURATION_CODES.has(err.code) ? EXIT_USAGE : EXIT_FAILURE;
}

/** The sentence an operator needs for an expected startup error, or undefined for a bug. */
export function startupErrorLine(err: unknown): string | undefined {
  if (!(err instanceof SettingError)) return undefined;
  const message = err.describe(variableOf);
  const variable = variableOf(err.setting);
  if (err.setting.startsWith('listen.')) {
    // MQTT_WS_PORT=0 switches the WebSocket listener off; every other port variable takes 0 as "pick a free one".
    const zero = err.setting === 'listen.ws.port' ? '0 disables it' : '0 picks one';
    return `${message}. Set ${variable} to a free port (${zero}).`;
  }
  return message.includes(variable) ? message : `${message} (check ${variable})`;
}
