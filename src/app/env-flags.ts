import { envSchema, parseEnv } from './config.js';
import { UsageError } from './exit-codes.js';

/** Every variable the configuration knows. */
export const ALL_VARIABLES: readonly string[] = Object.keys(envSchema.shape);

/** `--mqtt-url` for MQTT_URL: flags mirror the environment variables. */
export function flagOf(variable: string): string {
  return `--${variable.toLowerCase().replace(/_/g, '-')}`;
}

export interface EnvFlags {
  readonly help: boolean;
  /** The variables the flags set; they win over the environment. */
  readonly env: Readonly<Record<string, string>>;
}

/**
 * Reads `--some-variable value` (or `--some-variable=value`) for each of
 * `variables`; `-h`/`--help` asks for help. Anything else is a UsageError
 * naming the flag, so a typo never silently falls back to a default.
 */
export function parseEnvFlags(argv: readonly string[], variables: readonly string[]): EnvFlags {
  const byFlag = new Map(variables.map((v) => [flagOf(v), v]));
  const env: Record<string, string> = {};
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-h' || arg === '--help') {
      help = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const variable = byFlag.get(flag);
    if (!arg.startsWith('--') || variable === undefined) throw new UsageError(`unknown option ${JSON.stringify(flag)}`);
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new UsageError(`${flag} needs a value`);
    env[variable] = value;
  }
  return { help, env };
}

/** The options part of a command's help: each variable's flag, default and meaning. */
export function variablesHelp(variables: readonly string[]): string {
  const defaults = parseEnv({}) as Record<string, unknown>;
  const shape = envSchema.shape as Record<string, { description?: string }>;
  return variables
    .map((v) => {
      const value = defaults[v];
      const shown = value === undefined ? '' : ` (default ${String(value)})`;
      return `  ${flagOf(v)} <value>\n      ${v}${shown}: ${shape[v]?.description ?? ''}`;
    })
    .join('\n');
}

/** The variables whose names start with one of `prefixes`. */
export function variablesWith(...prefixes: string[]): string[] {
  return ALL_VARIABLES.filter((v) => prefixes.some((p) => v.startsWith(p)));
}
