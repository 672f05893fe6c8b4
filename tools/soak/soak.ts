/**
 * Soak test: `npm run -s soak -- --minutes 10 --rate 5000`. Runs the built
 * pipeline (embedded broker + worker, `node dist/src/main.js`, simulator off)
 * as a child process and drives it from this one at a steady rate; prints a
 * row per minute, then one JSON line (the last line). Exit 1 if a reading was lost.
 */
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { machineInfo, loadNow } from '../bench/machine.js';
import { median, round } from '../bench/stats.js';
import { startSoakLoad, type MinuteRow } from './soak-load.js';
import { startTarget } from './soak-target.js';
import { progressEnabled } from '../../src/app/progress-mode.js';
import { createProgress } from '../../src/support/progress.js';

const USAGE = `Usage: npm run -s soak -- [--minutes <n>] [--rate <n>] [options]

Runs broker + worker (the built npm start entry, simulator off) in a child
process, publishes numbered readings at QoS 1 at a steady rate from this one,
checks every reading gets a result, and watches the child's memory and latency.
Prints a row per minute, then one JSON line (the last line). Stops by itself.

  --minutes <n>      how long to publish; fractions allowed (default 10)
  --rate <n>         readings per second, all publishers together (default 5000)
  --publishers <n>   publishing MQTT connections (default 4)
  --devices <n>      devices the readings are spread over (default 20)
  --warmup <s>       seconds before the RSS baseline (default: a quarter of the run, at most 60)
  --drain <s>        after publishing, how long to wait for the last results (default 30)
  --help             show this help`;

interface SoakOptions {
  minutes: number;
  rate: number;
  publishers: number;
  devices: number;
  warmup: number;
  drain: number;
}

/** RSS is compared as medians of this many seconds of samples, not single readings a GC can swing. */
const RSS_WINDOW_S = 10;

class UsageError extends Error {}

const FLAGS = ['minutes', 'rate', 'publishers', 'devices', 'warmup', 'drain'] as const;

function parseOptions(args: string[]): SoakOptions {
  let values: Partial<Record<(typeof FLAGS)[number], string>>;
  try {
    const options = Object.fromEntries(FLAGS.map((name) => [name, { type: 'string' as const }]));
    values = parseArgs({ args, options, strict: true }).values as typeof values;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const number = (name: (typeof FLAGS)[number], def: number, integer = false): number => {
    const value = values[name] === undefined ? def : Number(values[name]);
    if (!(Number.isFinite(value) && value > 0) || (integer && !Number.isInteger(value))) {
      throw new UsageError(`--${name} must be a positive ${integer ? 'integer' : 'number'}, got ${values[name]}`);
    }
    return value;
  };
  const minutes = number('minutes', 10);
  return {
    minutes,
    rate: number('rate', 5000),
    publishers: number('publishers', 4, true),
    devices: number('devices', 20, true),
    warmup: number('warmup', Math.min(60, (minutes * 60) / 4)),
    drain: number('drain', 30),
  };
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes('--help')) {
    console.log(USAGE);
    return 0;
  }
  const o = parseOptions(args);
  const seconds = o.minutes * 60;
  // The product as users run it: the compiled pipeline behind the command line's launcher.
  const command = [resolve(join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'factory-anomaly.js')), 'start'];
  const machine = machineInfo();
  console.error(`soak: ${o.minutes} min at ${o.rate}/s; ${machine.cores} cores, ${machine.cpuModel}, node ${machine.node}, load ${machine.loadAtStart.join(' ')}`);

  const target = await startTarget(command, `soak-worker-${process.pid}`, 60_000);
  const rssSamples: Array<{ s: number; mb: number }> = [];
  const rssStart = target.rssMb() ?? Number.NaN;
  const began = performance.now();
  const sampler = setInterval(() => {
    const mb = target.rssMb();
    if (mb !== undefined) rssSamples.push({ s: (performance.now() - began) / 1000, mb });
  }, 1000);
  let cpuBefore = target.cpuSeconds();
  let rowBegan = began;

  console.log(row(['minute', 'sent', 'scored', 'dup', 'p50 ms', 'p99 ms', 'max ms', 'rss MB', 'cpu %', 'load 1m']));
  // Between the rows, on a terminal, how far the run is (stderr; nothing in a pipe or CI).
  const progress = createProgress({ stream: process.stderr, enabled: progressEnabled(process.stderr), label: `soak at ${o.rate}/s`, total: seconds, unit: 's' });
  const ticker = setInterval(() => progress.update(Math.round((performance.now() - began) / 1000)), 1000);
  const onMinute = (m: MinuteRow) => {
    progress.finish();
    // The pipeline process's CPU over the row's wall time (the last row may be shorter or include the drain).
    const cpu = target.cpuSeconds();
    const now = performance.now();
    const cpuPct = cpu === undefined || cpuBefore === undefined ? Number.NaN : ((cpu - cpuBefore) / ((now - rowBegan) / 1000)) * 100;
    cpuBefore = cpu;
    rowBegan = now;
    const rss = target.rssMb() ?? Number.NaN;
    console.log(row([m.minute, m.sent, m.scored, m.duplicates, round(m.p50, 1), round(m.p99, 1), round(m.max, 1), round(rss, 1), round(cpuPct, 0), loadNow()[0]!]));
  };

  const load = await startSoakLoad({ url: target.url, rate: o.rate, seconds, publishers: o.publishers, devices: o.devices, drainMs: o.drain * 1000, onMinute });
  const interrupt = () => {
    console.error('soak: interrupted; draining and reporting what ran');
    load.stop();
  };
  process.once('SIGINT', interrupt);
  // Bounded whatever happens: publishing, the drain, and a minute of slack.
  const hardStop = setTimeout(() => {
    console.error('soak: overran its time budget; stopping the pipeline');
    void target.stop(1000).finally(() => process.exit(1));
  }, (seconds + o.drain + 60) * 1000);

  const result = await Promise.race([load.done, target.died]);
  clearInterval(ticker);
  progress.finish();
  clearInterval(sampler);
  clearTimeout(hardStop);
  process.off('SIGINT', interrupt);
  const ranS = Math.min(seconds, (performance.now() - began) / 1000);
  const exitCode = await target.stop(15_000);
  console.error(`soak: pipeline exited with code ${exitCode}; load now ${loadNow().join(' ')}`);

  const rssAround = (from: number) => median(rssSamples.filter((x) => x.s >= from && x.s < from + RSS_WINDOW_S).map((x) => x.mb));
  const rssWarm = rssAround(o.warmup);
  const rssEnd = rssAround(ranS - RSS_WINDOW_S);
  const growth = ranS >= o.warmup + 2 * RSS_WINDOW_S ? ((rssEnd - rssWarm) / rssWarm) * 100 : Number.NaN;
  const summary = {
    minutes: o.minutes,
    rate: o.rate,
    sent: result.sent,
    scored: result.scored,
    lost: result.lost,
    duplicates: result.duplicates,
    rss_start_mb: finite(round(rssStart, 1)),
    rss_end_mb: finite(round(rssEnd, 1)),
    rss_growth_pct_after_warmup: finite(round(growth, 1)),
    p99_ms_per_minute: result.minutes.map((m) => finite(round(m.p99, 1))),
  };
  if (result.publishErrors > 0) console.error(`soak: ${result.publishErrors} publishes failed (not acknowledged, not counted as sent)`);
  console.log(JSON.stringify(summary));
  return result.lost > 0 ? 1 : 0;
}

/** JSON has no NaN: a figure that could not be measured is null. */
function finite(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

function row(cells: Array<string | number>): string {
  return cells.map((c, i) => String(c).padStart(i === 0 ? 6 : 9)).join(' ');
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof UsageError ? `${err.message}\n\n${USAGE}` : err);
    process.exit(err instanceof UsageError ? 2 : 1);
  },
);
