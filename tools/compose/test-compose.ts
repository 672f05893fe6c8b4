/**
 * `npm run test:compose [-- embedded,mosquitto,cluster]`: each compose topology for real. Builds and starts
 * the profile with docker-compose (v1, what Debian ships), waits for the workers' /health and for one
 * anomaly from the simulator on the host's broker port, then tears it down (volumes too). Needs a Docker
 * engine: `eval "$(../shared/tools/local-docker.sh)"` starts a private one. Ends with "N passed, N failed".
 */
import { spawn, spawnSync } from 'node:child_process';
import { connectAsync } from 'mqtt';
import { freePort } from '../proc.js';

interface Topology {
  profile: string;
  /** Extra `up` arguments. */
  up: string[];
  /** Service whose containers must all be healthy. */
  workers: string;
  replicas: number;
  /** The worker's sidecar is published on HTTP_HOST_PORT. */
  publishesHealth: boolean;
}

const TOPOLOGIES: Topology[] = [
  { profile: 'embedded', up: [], workers: 'worker', replicas: 1, publishesHealth: true },
  { profile: 'mosquitto', up: ['--scale', 'group-worker=3'], workers: 'group-worker', replicas: 3, publishesHealth: false },
  { profile: 'cluster', up: [], workers: 'cluster-worker', replicas: 1, publishesHealth: true },
];
const READY_TIMEOUT_MS = 180_000;
/**
 * The simulator injects faults only after SIMULATOR_FAULT_GAP_SECONDS (60 s) of healthy readings, and a
 * device's warm-up is no anomaly (it settles): with the default seed the first anomaly comes about 90 s after
 * the simulator starts (the first fault at 61 s is a slow one), plus the stack's start.
 */
const ANOMALY_TIMEOUT_MS = 240_000;

const log = (message: string) => process.stdout.write(`[compose] ${message}\n`);

async function main(): Promise<number> {
  const wanted = (process.argv[2] ?? TOPOLOGIES.map((t) => t.profile).join(',')).split(',');
  const unknown = wanted.filter((p) => !TOPOLOGIES.some((t) => t.profile === p));
  if (unknown.length > 0) {
    console.error(`unknown profile(s) ${unknown.join(', ')}; known: ${TOPOLOGIES.map((t) => t.profile).join(', ')}`);
    return 2;
  }
  const engine = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { encoding: 'utf8' });
  if (engine.status !== 0) {
    console.error(`no Docker engine answers (DOCKER_HOST=${process.env.DOCKER_HOST ?? 'unset'}): start one, e.g. eval "$(../shared/tools/local-docker.sh)"\n${engine.stderr}`);
    return 1;
  }
  const composeVersion = spawnSync('docker-compose', ['version', '--short'], { encoding: 'utf8' });
  if (composeVersion.status !== 0) {
    console.error('docker-compose is not installed (apt-get install docker-compose)');
    return 1;
  }
  log(`engine ${engine.stdout.trim()}, docker-compose ${composeVersion.stdout.trim()}`);
  let passed = 0;
  let failed = 0;
  for (const topology of TOPOLOGIES.filter((t) => wanted.includes(t.profile))) {
    const started = performance.now();
    try {
      await run(topology);
      passed += 1;
      log(`${topology.profile}: passed in ${seconds(started)} s`);
    } catch (err) {
      failed += 1;
      log(`${topology.profile}: FAILED after ${seconds(started)} s: ${(err as Error).message}`);
    }
  }
  console.log(`compose: ${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

async function run(t: Topology): Promise<void> {
  const ports = { MQTT_HOST_PORT: await freePort(), MQTT_WS_HOST_PORT: await freePort(), MQTT_B_HOST_PORT: await freePort(), HTTP_HOST_PORT: await freePort() };
  const env = { ...process.env, ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])) };
  const compose = ['-p', `factory-anomaly-test-${t.profile}`, '--profile', t.profile];
  try {
    let phase = performance.now();
    await exec('docker-compose', [...compose, 'build'], env);
    log(`${t.profile}: built in ${seconds(phase)} s`);
    phase = performance.now();
    // Subscribed as soon as the broker answers, so the first anomaly cannot be missed.
    const anomaly = await firstAnomaly(ports.MQTT_HOST_PORT, () => exec('docker-compose', [...compose, 'up', '-d', ...t.up], env));
    await waitFor(`${t.replicas} healthy ${t.workers}`, READY_TIMEOUT_MS, () => healthy(compose, env, t));
    if (t.publishesHealth) {
      const health = (await (await fetch(`http://127.0.0.1:${ports.HTTP_HOST_PORT}/health`)).json()) as { status?: string };
      if (health.status !== 'healthy') throw new Error(`/health says ${JSON.stringify(health)}`);
    }
    log(`${t.profile}: ${t.replicas} ${t.workers} healthy in ${seconds(phase)} s`);
    const message = await anomaly.received;
    log(`${t.profile}: first anomaly after ${seconds(phase)} s: ${message.slice(0, 120)}...`);
  } catch (err) {
    const logs = spawnSync('docker-compose', [...compose, 'logs', '--no-color', '--tail', '30'], { env, encoding: 'utf8' });
    process.stdout.write(logs.stdout);
    throw err;
  } finally {
    const phase = performance.now();
    await exec('docker-compose', [...compose, 'down', '-v', '--remove-orphans', '--timeout', '20'], env).catch((err: Error) => log(`down failed: ${err.message}`));
    log(`${t.profile}: down in ${seconds(phase)} s`);
  }
}

/** Connects to the published broker port once it answers, starts the stack, resolves with the first anomaly. */
async function firstAnomaly(port: number, start: () => Promise<void>): Promise<{ received: Promise<string> }> {
  await start();
  const client = await waitFor(`the broker on 127.0.0.1:${port}`, READY_TIMEOUT_MS, () =>
    connectAsync(`mqtt://127.0.0.1:${port}`, { reconnectPeriod: 0, connectTimeout: 2000 }).catch(() => undefined),
  );
  await client.subscribeAsync('factory/anomalies', { qos: 1 });
  const received = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no anomaly within ${ANOMALY_TIMEOUT_MS / 1000} s`)), ANOMALY_TIMEOUT_MS);
    client.once('message', (_topic, payload) => {
      clearTimeout(timer);
      resolve(payload.toString());
    });
  }).finally(() => client.endAsync(true));
  return { received };
}

/** True once `replicas` containers of the workers' service report healthy and none has restarted. */
async function healthy(compose: string[], env: NodeJS.ProcessEnv, t: Topology): Promise<boolean | undefined> {
  const ids = spawnSync('docker-compose', [...compose, 'ps', '-q', t.workers], { env, encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
  if (ids.length !== t.replicas) return undefined;
  const states = spawnSync('docker', ['inspect', '--format', '{{.State.Health.Status}} {{.RestartCount}}', ...ids], { env, encoding: 'utf8' }).stdout.trim().split('\n');
  const restarted = states.filter((s) => !s.endsWith(' 0'));
  if (restarted.length > 0) throw new Error(`${t.workers} restarted (${states.join(', ')}): two replicas with one client id, or a crash`);
  return states.every((s) => s.startsWith('healthy ')) || undefined;
}

async function waitFor<T>(what: string, timeoutMs: number, attempt: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await attempt();
    if (result !== undefined) return result;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Runs a command with its output collected; rejects with the tail of it. */
function exec(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000));
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited ${code}:\n${output.slice(-4000)}`))));
  });
}


const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);

main().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  },
);
