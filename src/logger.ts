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
  return pino({
    name: options.name ?? 'factory-anomaly',
    level: options.level,
    ...(pretty
      ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } }
      : {}),
  });
}

/** A logger that writes nothing, for tests and library use. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
