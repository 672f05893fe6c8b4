import { pino, type DestinationStream, type Logger, type LevelWithSilent, type LoggerOptions as PinoOptions } from 'pino';

export type { Logger };

export interface LoggerOptions {
  level: LevelWithSilent;
  /** auto: pretty when stdout is a terminal, JSON lines otherwise (for collectors). */
  pretty: 'auto' | 'true' | 'false';
  name?: string;
  /** Where JSON lines go; stdout by default (tests capture them here). */
  destination?: DestinationStream;
  /** Log to stderr instead of stdout: for tools whose stdout is their report (its JSON line last). */
  stderr?: boolean;
}

/**
 * Fields that hold secrets, at the top level or one level down (`{ mqtt: { password } }`,
 * `{ headers: { authorization } }`): replaced before a line is written, whatever logged them.
 */
export const REDACTED_PATHS = ['password', 'token', 'authorization', 'cookie', '*.password', '*.token', '*.authorization', '*.cookie'];

/** `mqtt://user:secret@host` in any logged text: the user info is replaced. */
const URL_CREDENTIALS = /(\b[a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi;

export function scrubUrlCredentials(text: string): string {
  return text.replace(URL_CREDENTIALS, '$1***@');
}

/**
 * Secrets never reach a log line: known secret fields are censored (pino's
 * redact), and credentials inside URLs (MQTT_URL may carry them) are cut from
 * every string field, one level deep, before the line is written.
 */
function scrubFields(fields: Record<string, unknown>): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(fields)) {
    let clean = value;
    if (typeof value === 'string') clean = scrubUrlCredentials(value);
    else if (value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Error)) {
      const inner = value as Record<string, unknown>;
      let changed: Record<string, unknown> | undefined;
      for (const [k, v] of Object.entries(inner)) {
        if (typeof v !== 'string') continue;
        const s = scrubUrlCredentials(v);
        if (s !== v) (changed ??= { ...inner })[k] = s;
      }
      if (changed !== undefined) clean = changed;
    }
    if (clean !== value) (out ??= { ...fields })[key] = clean;
  }
  return out ?? fields;
}

/** The one root logger of a process; modules take `logger.child({ component })`. */
export function createLogger(options: LoggerOptions): Logger {
  const pretty = options.destination === undefined && options.stderr !== true && (options.pretty === 'true' || (options.pretty === 'auto' && process.stdout.isTTY === true));
  const base: PinoOptions = {
    name: options.name ?? 'factory-anomaly',
    level: options.level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    formatters: { log: scrubFields },
    hooks: {
      // The message text too: `logger.info('connecting to mqtt://u:p@h')`.
      logMethod(args, method) {
        const [first, ...rest] = args;
        if (typeof first === 'string') return method.apply(this, [scrubUrlCredentials(first), ...rest] as Parameters<typeof method>);
        if (typeof rest[0] === 'string') return method.apply(this, [first, scrubUrlCredentials(rest[0]), ...rest.slice(1)] as Parameters<typeof method>);
        return method.apply(this, args);
      },
    },
  };
  if (pretty) {
    return pino({
      ...base,
      transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } },
    });
  }
  // Synchronous writes: the last lines before process.exit are neither lost nor reordered.
  // Logging is off the per-reading path (rejections and anomalies are the only per-message lines, and throttled).
  return pino(base, options.destination ?? pino.destination({ dest: options.stderr === true ? 2 : 1, sync: true }));
}

/** A logger that writes nothing, for tests and library use. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
