/** `npm run -s bench -- [options]`: flags, defaults and the help text. */
import { parseArgs } from 'node:util';

export const PHASES = ['scoring', 'predict', 'pipeline', 'relay', 'context', 'scale'] as const;
export type Phase = (typeof PHASES)[number];
/** What runs without --only: scale needs Mosquitto and redis-server and takes minutes, so it is asked for by name. */
const DEFAULT_PHASES: readonly Phase[] = ['scoring', 'predict', 'pipeline', 'relay', 'context'];

export interface BenchOptions {
  phases: ReadonlySet<Phase>;
  quick: boolean;
  /** Measured seconds of each load phase (after its warm-up). */
  seconds: number;
  warmupSeconds: number;
  /** Readings/s of the fixed-rate MQTT phases. */
  rate: number;
  /** Readings in flight (sent, not yet received back) in the max-rate MQTT phases. */
  window: number;
  /** autocannon connections for /predict. */
  connections: number;
  /** Where the load generators run: a child process (default) or this one. */
  load: 'child' | 'inline';
  help: boolean;
}

export const USAGE = `Usage: npm run -s bench -- [options]

Measures scoring speed, POST /predict, the MQTT pipeline and the broker relay
baseline, and the detector with time context on and off; prints a table, then
one JSON line with every figure (the last line).

  --only <list>        comma-separated phases: ${PHASES.join(',')} (default: all but scale)
                       pipeline: fixed rate, max rate, and max rate with TIME_CONTEXT=false
                       context: the detector alone, TIME_CONTEXT on vs off (alternating runs), memory
                       per device state, heap allocated per reading
                       scale: 1, 2 and 3 worker processes on Mosquitto (share group) and on two
                       Redis-joined embedded brokers (partitions), max rate; needs mosquitto, redis-server
  --seconds <n>        measured seconds per load phase (default 10; --quick: 1)
  --warmup <n>         warm-up seconds before each load phase (default 2; --quick: 0.5)
  --rate <n>           readings/s of the fixed-rate MQTT runs (default 2000)
  --window <n>         in-flight readings of the max-rate MQTT runs (default 200)
  --connections <n>    autocannon connections for /predict (default 50)
  --load <where>       child (default): load generators in a child process; inline: in this one
  --quick              a few seconds in all, for smoke testing
  --help               show this help`;

export class UsageError extends Error {}

export function parseBenchArgs(args: readonly string[]): BenchOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      options: {
        only: { type: 'string' },
        seconds: { type: 'string' },
        warmup: { type: 'string' },
        rate: { type: 'string' },
        window: { type: 'string' },
        connections: { type: 'string' },
        load: { type: 'string' },
        quick: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const v = parsed.values;
  const quick = v.quick === true;
  const load = v.load ?? 'child';
  if (load !== 'child' && load !== 'inline') throw new UsageError(`--load must be child or inline, got ${JSON.stringify(load)}`);
  return {
    phases: parsePhases(v.only),
    quick,
    seconds: count('--seconds', v.seconds, quick ? 1 : 10, 1, 600),
    warmupSeconds: number('--warmup', v.warmup, quick ? 0.5 : 2, 0, 60),
    rate: count('--rate', v.rate, 2000, 1, 1_000_000),
    window: count('--window', v.window, 200, 1, 60_000),
    connections: count('--connections', v.connections, 50, 1, 10_000),
    load,
    help: v.help === true,
  };
}

function parsePhases(only: string | undefined): ReadonlySet<Phase> {
  if (only === undefined) return new Set(DEFAULT_PHASES);
  const names = only.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const unknown = names.filter((n) => !(PHASES as readonly string[]).includes(n));
  if (unknown.length > 0 || names.length === 0) {
    throw new UsageError(`--only takes ${PHASES.join(', ')}; got ${JSON.stringify(only)}`);
  }
  return new Set(names as Phase[]);
}

function number(flag: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < min || value > max) {
    throw new UsageError(`${flag} must be a number from ${min} to ${max}, got ${JSON.stringify(text)}`);
  }
  return value;
}

function count(flag: string, text: string | undefined, fallback: number, min: number, max: number): number {
  const value = number(flag, text, fallback, min, max);
  if (!Number.isInteger(value)) throw new UsageError(`${flag} must be a whole number, got ${JSON.stringify(text)}`);
  return value;
}
