import { isIPv6 } from 'node:net';
import { parseArgs } from 'node:util';
import type { Config, SimulatorConfig } from '../config.js';
import { UsageError } from '../exit-codes.js';
import { FAULT_KINDS, type FaultKind } from '../../simulator/settings.js';

export { UsageError };

/** Flags of `npm run simulate`; each one overrides its SIMULATOR_* variable. */
export interface CliOverrides {
  devices?: number;
  lines?: number;
  rate?: number;
  anomalyRate?: number;
  seed?: number;
  durationSeconds?: number;
  url?: string;
  timeScale?: number;
  kinds?: FaultKind[];
}

export type CliArgs = { help: true } | { help: false; overrides: CliOverrides };


const OPTIONS = {
  devices: { type: 'string' },
  lines: { type: 'string' },
  rate: { type: 'string' },
  'anomaly-rate': { type: 'string' },
  seed: { type: 'string' },
  duration: { type: 'string' },
  url: { type: 'string' },
  'time-scale': { type: 'string' },
  kinds: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Parses and checks the flags; throws UsageError naming the flag at fault. */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  let values;
  try {
    ({ values } = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) return { help: true };
  const overrides: CliOverrides = {
    devices: check('devices', values.devices, Number.isInteger, (n) => n >= 1, 'a positive integer'),
    lines: check('lines', values.lines, Number.isInteger, (n) => n >= 1, 'a positive integer'),
    rate: check('rate', values.rate, Number.isFinite, (n) => n > 0, 'a positive number'),
    anomalyRate: check('anomaly-rate', values['anomaly-rate'], Number.isFinite, (n) => n >= 0 && n <= 1, 'a number from 0 to 1'),
    seed: check('seed', values.seed, Number.isSafeInteger, () => true, 'an integer'),
    durationSeconds: check('duration', values.duration, Number.isFinite, (n) => n > 0, 'a positive number of seconds'),
    url: values.url,
    timeScale: check('time-scale', values['time-scale'], Number.isFinite, (n) => n > 0, 'a positive number'),
    kinds: faultKinds(values.kinds),
  };
  if (overrides.url !== undefined && !/^(mqtts?|tcp|tls|wss?):\/\/.+/.test(overrides.url)) {
    throw new UsageError(`--url must be a URL like mqtt://host:1883 (got ${JSON.stringify(overrides.url)})`);
  }
  return { help: false, overrides: dropUndefined(overrides) };
}

function faultKinds(text: string | undefined): FaultKind[] | undefined {
  if (text === undefined) return undefined;
  const kinds = text.split(',').map((k) => k.trim());
  const unknown = kinds.filter((k) => !(FAULT_KINDS as readonly string[]).includes(k));
  if (kinds.length === 0 || unknown.length > 0) throw new UsageError(`--kinds must be comma-separated fault kinds among ${FAULT_KINDS.join(', ')} (got ${JSON.stringify(text)})`);
  return kinds as FaultKind[];
}

function check(
  flag: string,
  text: string | undefined,
  isNumber: (n: number) => boolean,
  inRange: (n: number) => boolean,
  what: string,
): number | undefined {
  if (text === undefined) return undefined;
  const n = text.trim() === '' ? NaN : Number(text);
  if (!isNumber(n) || !inRange(n)) throw new UsageError(`--${flag} must be ${what} (got ${JSON.stringify(text)})`);
  return n;
}

function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export function applyOverrides(config: SimulatorConfig, o: CliOverrides): SimulatorConfig {
  return {
    ...config,
    devices: o.devices ?? config.devices,
    lines: o.lines ?? config.lines,
    rate: o.rate ?? config.rate,
    anomalyRate: o.anomalyRate ?? config.anomalyRate,
    seed: o.seed ?? config.seed,
    timeScale: o.timeScale ?? config.timeScale,
    faults: { ...config.faults, kinds: o.kinds ?? config.faults.kinds },
  };
}

/** MQTT_URL, or the embedded broker's address; a wildcard bind address is reached on loopback. */
export function brokerUrl(mqtt: Config['mqtt']): string {
  if (mqtt.url !== undefined) return mqtt.url;
  if (mqtt.port === 0) throw new UsageError('MQTT_PORT is 0 (a port the broker picks at start): pass --url or set MQTT_URL');
  const host = mqtt.host === '0.0.0.0' ? '127.0.0.1' : mqtt.host === '::' ? '::1' : mqtt.host;
  return `mqtt://${isIPv6(host) ? `[${host}]` : host}:${mqtt.port}`;
}

export function usage(config: Config): string {
  const s = config.simulator;
  let url: string;
  try {
    url = brokerUrl(config.mqtt);
  } catch {
    url = 'none';
  }
  return `Usage: npm run simulate -- [options]

Publishes simulated factory sensor readings, with injected faults, to an MQTT
broker; the ground truth of each fault (start and end markers, and each
anomalous reading) goes to ${config.topics.injected}.
Defaults come from the environment (variables in brackets).

  --devices <n>        simulated devices (default ${s.devices}) [SIMULATOR_DEVICES]
  --lines <n>          production lines they are spread over (default ${s.lines}) [SIMULATOR_LINES]
  --rate <n>           readings per simulated second per device (default ${s.rate}) [SIMULATOR_RATE]
  --anomaly-rate <p>   probability that a reading starts an anomaly, 0-1 (default ${s.anomalyRate}) [SIMULATOR_ANOMALY_RATE]
  --seed <n>           random seed: same seed, same readings (default ${s.seed}) [SIMULATOR_SEED]
  --time-scale <x>     simulated seconds per wall-clock second (default ${s.timeScale}) [SIMULATOR_TIME_SCALE]
  --kinds <list>       fault kinds, comma-separated (default ${s.faults.kinds === 'all' ? 'all' : s.faults.kinds.join(',')}) [SIMULATOR_FAULT_KINDS]
                       ${FAULT_KINDS.join(', ')}
  --duration <s>       stop after this many wall-clock seconds (default: run until Ctrl-C)
  --url <url>          broker URL (default ${url}) [MQTT_URL, or MQTT_HOST and MQTT_PORT]
  -h, --help           show this help

Example: npm run simulate -- --devices 20 --rate 10 --duration 60`;
}
