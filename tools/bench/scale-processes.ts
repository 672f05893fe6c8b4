/**
 * The processes of a scale run: brokers (Mosquitto, or embedded Aedes joined
 * through redis-server) and workers, each its own OS process as in production,
 * with CPU read per process from /proc (Linux).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpuSeconds as procCpuSeconds, freePort } from '../proc.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface BenchProcess {
  readonly name: string;
  readonly child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** `npm run` starts the bench in the package root. */
const launcher = join(process.cwd(), 'bin', 'factory-anomaly.js');

export function hasProgram(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/** Compiles dist/ once if stale, so the processes started next do not all try at the same time. */
export function buildOnce(): void {
  spawnSync(process.execPath, [launcher, '--help'], { stdio: 'ignore' });
}

export { freePort };

/** Starts `command`, resolves once its output matches `ready` (rejects on exit or after 20 s). */
export function startProcess(name: string, command: string, args: string[], env: Record<string, string>, ready: RegExp): Promise<BenchProcess> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    }
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`${name} not ready after 20 s:\n${output}`)), 20_000);
    const fail = (err: Error) => {
      clearTimeout(timer);
      void stop().then(() => reject(err));
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.length > 1_000_000) output = output.slice(-100_000);
      if (ready.test(output)) {
        clearTimeout(timer);
        resolve({ name, child, output: () => output, stop });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => fail(new Error(`${name} exited (code ${code}):\n${output}`)));
  });
}

const QUIET = { LOG_LEVEL: 'warn', LOG_PRETTY: 'false' };

/** Mosquitto 2 as the README says to run it for QoS 1 without loss: no cap on queued messages. */
export async function startMosquitto(): Promise<{ url: string; process: BenchProcess }> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'bench-mosquitto-'));
  const file = join(dir, 'mosquitto.conf');
  writeFileSync(file, `listener ${port} 127.0.0.1\nallow_anonymous true\nmax_queued_messages 0\nmax_inflight_messages 100\n`);
  const proc = await startProcess('mosquitto', 'mosquitto', ['-c', file], {}, /running/);
  return { url: `mqtt://127.0.0.1:${port}`, process: { ...proc, stop: () => proc.stop().then(() => rmSync(dir, { recursive: true, force: true })) } };
}

export async function startRedis(): Promise<{ url: string; process: BenchProcess }> {
  const port = await freePort();
  const proc = await startProcess('redis', 'redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {}, /Ready to accept connections/);
  return { url: `redis://127.0.0.1:${port}`, process: proc };
}

/** An embedded broker joined to the others through `redisUrl` (BROKER_REDIS_URL). */
export async function startClusterBroker(name: string, redisUrl: string): Promise<{ url: string; process: BenchProcess }> {
  const port = await freePort();
  const env = { ...QUIET, LOG_LEVEL: 'info', MQTT_PORT: String(port), MQTT_WS_PORT: '', BROKER_REDIS_URL: redisUrl, MQTT_MAX_QUEUED_PER_CLIENT: '0', MQTT_PUBLISH_RATE_LIMIT: '0' };
  const proc = await startProcess(name, process.execPath, [launcher, 'broker'], env, /"msg":"ready"/);
  return { url: `mqtt://127.0.0.1:${port}`, process: proc };
}

export interface WorkerSpec {
  url: string;
  id: string;
  env: Record<string, string>;
}

/** A worker process (`factory-anomaly worker`), resolved once subscribed; `http` is its sidecar. */
export async function startWorkerProcess(spec: WorkerSpec): Promise<{ process: BenchProcess; http: string }> {
  const env = { ...QUIET, LOG_LEVEL: 'info', MQTT_URL: spec.url, WORKER_ID: spec.id, HTTP_PORT: '0', PUBLISH_SCORES: 'true', ...spec.env };
  const proc = await startProcess(`worker ${spec.id}`, process.execPath, [launcher, 'worker'], env, /"msg":"ready"/);
  const http = /"http":"([^"]+)"/.exec(proc.output())?.[1] ?? '';
  return { process: proc, http };
}

/** Busy CPU seconds (user + system) of a process so far; NaN where /proc cannot tell. */
export function cpuSeconds(pid: number | undefined): number {
  return procCpuSeconds(pid) ?? NaN;
}
