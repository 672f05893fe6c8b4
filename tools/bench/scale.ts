/**
 * `npm run -s bench -- --only scale`: readings/s and p99 with 1, 2 and 3 worker
 * processes on two topologies, every part its own process:
 *   mosquitto: one Mosquitto 2, workers in one $share group over MQTT 5 (each reading to one worker);
 *   aedes-redis: two embedded brokers joined through redis-server (BROKER_REDIS_URL), workers
 *                spread over both, split by WORKER_PARTITION (each worker receives every reading).
 * The load generator (its own process) publishes to the first broker and reads the results there.
 * CPU is read per process from /proc, over the whole run of each configuration.
 */
import { runLoad, type LoadPlacement } from './load-task.js';
import type { LoadMode } from './mqtt-load.js';
import {
  buildOnce,
  cpuSeconds,
  hasProgram,
  startClusterBroker,
  startMosquitto,
  startRedis,
  startWorkerProcess,
  type BenchProcess,
} from './scale-processes.js';
import { round, withCpuSamples } from './stats.js';

export const TOPOLOGIES = ['mosquitto', 'aedes-redis'] as const;
export type Topology = (typeof TOPOLOGIES)[number];

export interface ScaleOptions {
  workers: readonly number[];
  mode: LoadMode;
  seconds: number;
  warmupSeconds: number;
  placement: LoadPlacement;
  progress(message: string): void;
}

export interface ScaleRow {
  topology: Topology;
  workers: number;
  /** Median readings/s received back as results over the measured seconds. */
  rate: number;
  p50: number;
  p99: number;
  sent: number;
  missing: number;
  duplicates: number;
  /**
   * Cores used by each process over the run, by name (broker, redis, worker 1, ..., load), and `machine`: the
   * whole machine (median per second), so that what other programs ran meanwhile shows.
   */
  cpu: Record<string, number>;
  /**
   * CPU microseconds each process spent per reading that came back (its CPU over the run / readings
   * received): unlike readings/s, this barely depends on what else the machine was running.
   */
  usPerReading: Record<string, number>;
  /** Readings each worker scored (from its /health). */
  scored: number[];
}

export interface ScaleReport {
  rows: ScaleRow[];
  skipped: string[];
}

export async function measureScale(o: ScaleOptions): Promise<ScaleReport> {
  buildOnce();
  const rows: ScaleRow[] = [];
  const skipped: string[] = [];
  for (const topology of TOPOLOGIES) {
    const program = topology === 'mosquitto' ? 'mosquitto' : 'redis-server';
    if (!hasProgram(program)) {
      skipped.push(`${topology}: ${program} not installed (apt-get install ${program === 'mosquitto' ? 'mosquitto' : 'redis-server'})`);
      continue;
    }
    for (const n of o.workers) {
      o.progress(`scale: ${topology}, ${n} worker(s), ${o.mode.kind === 'max' ? `max rate (window ${o.mode.window})` : `${o.mode.rate}/s`}, ${o.warmupSeconds}+${o.seconds} s`);
      rows.push(await measureOne(topology, n, o));
    }
  }
  return { rows, skipped };
}

async function measureOne(topology: Topology, n: number, o: ScaleOptions): Promise<ScaleRow> {
  const processes: BenchProcess[] = [];
  try {
    const brokers = await startBrokers(topology, processes);
    const workers = [];
    for (let i = 0; i < n; i++) {
      const env: Record<string, string> =
        topology === 'mosquitto' ? { WORKER_GROUP: 'bench' } : { WORKER_PARTITION: `${i}/${n}`, MQTT_PROTOCOL_VERSION: '3.1.1' };
      const worker = await startWorkerProcess({ url: brokers[i % brokers.length]!, id: `bench-${i + 1}`, env });
      processes.push(worker.process);
      workers.push(worker);
    }
    const before = processes.map((p) => cpuSeconds(p.child.pid));
    const started = performance.now();
    const { result, machineCpu } = await withCpuSamples(() => runLoad(
      {
        kind: 'mqtt',
        options: {
          url: brokers[0]!,
          publishPrefix: 'factory/sensors',
          receiveFilter: 'factory/scores/#',
          mode: o.mode,
          publishers: 4,
          devices: 60,
          lines: 3,
          warmupSeconds: o.warmupSeconds,
          seconds: o.seconds,
          drainTimeoutMs: 10_000,
          seed: 7,
        },
      },
      o.placement,
    ));
    const wallSeconds = (performance.now() - started) / 1000;
    const cpu: Record<string, number> = {};
    const usPerReading: Record<string, number> = {};
    processes.forEach((p, i) => {
      const used = cpuSeconds(p.child.pid) - before[i]!;
      cpu[p.name] = round(used / wallSeconds, 2);
      usPerReading[p.name] = Math.round((used * 1e6) / Math.max(1, result.received));
    });
    cpu.load = round(result.cpu, 2);
    cpu.machine = round(machineCpu, 2);
    const scored = await Promise.all(workers.map((w) => scoredBy(w.http)));
    return {
      topology,
      workers: n,
      rate: Math.round(result.medianRate),
      p50: round(result.latency.p50, 1),
      p99: round(result.latency.p99, 1),
      sent: result.sent,
      missing: result.missing,
      duplicates: result.duplicates,
      cpu,
      usPerReading,
      scored,
    };
  } finally {
    // Workers first (they say offline and close their sessions), brokers after.
    for (const p of [...processes].reverse()) await p.stop();
  }
}

async function startBrokers(topology: Topology, processes: BenchProcess[]): Promise<string[]> {
  if (topology === 'mosquitto') {
    const mosquitto = await startMosquitto();
    processes.push(mosquitto.process);
    return [mosquitto.url];
  }
  const redis = await startRedis();
  processes.push(redis.process);
  const urls = [];
  for (const name of ['broker A', 'broker B']) {
    const broker = await startClusterBroker(name, redis.url);
    processes.push(broker.process);
    urls.push(broker.url);
  }
  return urls;
}

async function scoredBy(http: string): Promise<number> {
  try {
    const health = (await (await fetch(`${http}/health`)).json()) as { counters?: { scored?: number } };
    return health.counters?.scored ?? NaN;
  } catch {
    return NaN;
  }
}

/** The markdown table BENCHMARKS.md records. */
export function scaleTable(report: ScaleReport): string {
  const lines = [
    '| topology | workers | readings/s | p50 ms | p99 ms | lost | dup | CPU per process (cores) | CPU µs per reading | scored per worker |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of report.rows) {
    const cpu = Object.entries(r.cpu)
      .map(([name, cores]) => `${name} ${cores.toFixed(2)}`)
      .join(', ');
    const perReading = Object.entries(r.usPerReading)
      .map(([name, us]) => `${name} ${us}`)
      .join(', ');
    lines.push(`| ${r.topology} | ${r.workers} | ${r.rate.toLocaleString('en-US')} | ${r.p50} | ${r.p99} | ${r.missing} | ${r.duplicates} | ${cpu} | ${perReading} | ${r.scored.join(' / ')} |`);
  }
  for (const s of report.skipped) lines.push(`| skipped: ${s} | | | | | | | | | |`);
  return lines.join('\n');
}
