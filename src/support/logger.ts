import { pino, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

export interface LoggerOptions {
  level: LevelWithSilent;
  /** auto: pretty when stdout is a terminal, JSON lines otherwise (for collectors). */
  pretty: 'auto' | 'true' | 'false';
  name?: string;
}

/** The one root logger of a process; modules take `logger.child({ component })`. */
export function createLogger(options: LoggerOptions): Logger {
  const pretty = options.pretty === 'true' || (options.pretty === 'auto' && process.stdout.isTTY === true);
  const base = { name: options.name ?? 'factory-anomaly', level: options.level };
  if (pretty) {
    return pino({
      ...base,
      transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } },
    });
  }
  // Synchronous writes: the last lines before process.exit are neither lost nor reordered.
  // Logging is off the per-reading path (rejections and anomalies are the only per-message lines, and throttled or rare).
  return pino(base, pino.destination({ dest: 1, sync: true }));
}

/** A logger that writes nothing, for tests and library use. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
