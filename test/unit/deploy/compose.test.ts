import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { envSchema, parseEnv } from '../../../src/app/config.js';

/**
 * No Docker engine runs where the tests run, so these check that the compose
 * file and the Dockerfile agree with the code: real entry points, known
 * variables that parse, ports that match, health checks on the right ports.
 */

const root = join(__dirname, '..', '..', '..');
interface Service {
  build?: string;
  image?: string;
  profiles?: string[];
  stop_grace_period?: string;
  volumes?: string[];
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
}
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, Service> };
/** The profile `docker compose up` runs: COMPOSE_PROFILES in .env, which docker-compose reads. */
const defaultProfile = /^COMPOSE_PROFILES=(\S+)$/m.exec(readFileSync(join(root, '.env'), 'utf8'))?.[1] ?? 'none';
const inProfile = (profile: string) => Object.entries(compose.services).filter(([, s]) => s.profiles === undefined || s.profiles.includes(profile));
/** The services `docker compose up` starts. */
const services = inProfile(defaultProfile);
const PROFILES = ['embedded', 'mosquitto', 'cluster'];
/** Services that run the product's image, in every profile. */
const appServices = Object.entries(compose.services).filter(([, s]) => s.image === 'factory-anomaly:local');
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');

/** The image's entry point runs the command line; a service's command is one of its subcommands. */
const SUBCOMMANDS = ['start', 'broker', 'worker', 'simulate'];
const containerPorts = (s: Service) => (s.ports ?? []).map((p) => Number(p.split(':').pop()));
const envOf = (s: Service) => parseEnv(s.environment ?? {});

describe('docker-compose.yml', () => {
  it('has the three services of the pipeline', () => {
    expect(services.map(([name]) => name).sort()).toEqual(['broker', 'simulator', 'worker']);
  });

  it.each(services)('%s runs a subcommand of the command line', (_name, service) => {
    expect(service.command).toHaveLength(1);
    expect(SUBCOMMANDS).toContain(service.command?.[0]);
  });

  it('builds one image that every service runs', () => {
    const built = services.filter(([, s]) => s.build !== undefined);
    expect(built).toHaveLength(1);
    const image = built[0]![1].image;
    expect(image).toBeDefined();
    for (const [, service] of services) expect(service.image).toBe(image);
  });

  it.each(PROFILES)('the %s profile builds the product image once and runs only subcommands of it', (profile) => {
    const app = inProfile(profile).filter(([, s]) => s.image === 'factory-anomaly:local');
    expect(app.filter(([, s]) => s.build === '.')).toHaveLength(1);
    for (const [, service] of app) expect(SUBCOMMANDS).toContain(service.command?.[0]);
    // The other images (Mosquitto, Redis) are built here too, from the same base: nothing is pulled.
    for (const [, service] of inProfile(profile).filter(([, s]) => s.image !== 'factory-anomaly:local')) {
      expect(service.build).toMatch(/^deploy\//);
      expect(readFileSync(join(root, service.build!, 'Dockerfile'), 'utf8')).toMatch(/^FROM node:20-bookworm-slim$/m);
    }
  });

  it.each(PROFILES)('in the %s profile every worker and simulator reaches a broker of its own profile', (profile) => {
    const names = inProfile(profile).map(([name]) => name);
    for (const [, service] of inProfile(profile).filter(([, s]) => s.command?.[0] === 'worker' || s.command?.[0] === 'simulate')) {
      const host = new URL(envOf(service).MQTT_URL ?? 'mqtt://none').hostname;
      expect(names).toContain(host);
      for (const [dependency] of Object.entries(service.depends_on ?? {})) expect(names).toContain(dependency);
    }
  });

  it('the group workers share a group over MQTT 5, each with its own id, and the cluster brokers one Redis', () => {
    const group = envOf(compose.services['group-worker']!);
    expect(group.WORKER_GROUP).toBeDefined();
    expect(group.WORKER_ID).toBe('{hostname}');
    const a = envOf(compose.services['broker-a']!);
    const b = envOf(compose.services['broker-b']!);
    expect(a.BROKER_REDIS_URL).toBe('redis://redis:6379');
    expect(b.BROKER_REDIS_URL).toBe(a.BROKER_REDIS_URL);
    expect(readFileSync(join(root, 'deploy', 'mosquitto', 'mosquitto.conf'), 'utf8')).toMatch(/^max_queued_messages 0$/m);
  });

  it.each(appServices)('%s is given longer to stop than the shutdown deadline', (_name, service) => {
    const grace = Number(/^(\d+)s$/.exec(service.stop_grace_period ?? '')?.[1]) * 1000;
    expect(grace).toBeGreaterThan(envOf(service).SHUTDOWN_TIMEOUT_MS);
  });

  it('the worker keeps its model files on a volume', () => {
    const worker = compose.services.worker!;
    const env = envOf(worker);
    const mount = worker.volumes?.[0]?.split(':')[1];
    expect(mount).toBeDefined();
    expect(env.MODEL_PATH?.startsWith(`${mount}/`)).toBe(true);
    expect(dockerfile).toMatch(new RegExp(`chown node:node ${mount}`));
  });

  it.each(appServices)('%s sets only variables the config knows, with values that parse', (_name, service) => {
    const known = Object.keys(envSchema.shape);
    for (const key of Object.keys(service.environment ?? {})) expect(known).toContain(key);
    expect(() => envOf(service)).not.toThrow();
  });

  it('the broker listens on all interfaces and exposes the ports it binds', () => {
    const broker = compose.services.broker!;
    const env = envOf(broker);
    expect(env.MQTT_HOST).toBe('0.0.0.0');
    expect(containerPorts(broker).sort()).toEqual([env.MQTT_PORT, env.MQTT_WS_PORT].sort());
    expect(broker.healthcheck?.test.join(' ')).toContain(`connect(${env.MQTT_PORT}`);
  });

  it('the worker reaches the broker by service name and exposes the sidecar port it binds', () => {
    const worker = compose.services.worker!;
    const env = envOf(worker);
    const brokerPort = envOf(compose.services.broker!).MQTT_PORT;
    expect(env.MQTT_URL).toBe(`mqtt://broker:${brokerPort}`);
    expect(env.HTTP_HOST).toBe('0.0.0.0');
    expect(containerPorts(worker)).toEqual([env.HTTP_PORT]);
    expect(worker.healthcheck?.test.join(' ')).toContain(`127.0.0.1:${env.HTTP_PORT}/health`);
  });

  it('the simulator publishes to the same broker', () => {
    expect(envOf(compose.services.simulator!).MQTT_URL).toBe(envOf(compose.services.worker!).MQTT_URL);
  });

  // The pipeline's topologies; the monitoring profile (issue 12) has its own test (grafana-dashboard.test.ts).
  it.each([...new Map(PROFILES.flatMap(inProfile))])('%s waits only for services that have a health check', (_name, service) => {
    for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
      expect(condition).toBe('service_healthy');
      expect(compose.services[dependency]?.healthcheck).toBeDefined();
    }
  });
});

describe('Dockerfile', () => {
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const runtime = stages[stages.length - 1] ?? '';

  it('is multi-stage, with a runtime stage that installs production dependencies only', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(runtime).toMatch(/npm ci --omit=dev/);
    expect(runtime).toMatch(/COPY --from=build \/app\/dist/);
  });

  it('runs as a non-root user', () => {
    const user = runtime.match(/^USER (\S+)/m)?.[1];
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user);
  });

  it('copies folders that exist, and its default command is a real entry point', () => {
    for (const [, source] of dockerfile.matchAll(/^COPY (?!--from)(\S+) \.\/\S+$/gm)) {
      expect([source, existsSync(join(root, source!))]).toEqual([source, true]);
    }
    const entrypoint = JSON.parse(runtime.match(/^ENTRYPOINT (.+)$/m)?.[1] ?? '[]') as string[];
    expect(entrypoint[0]).toBe('node');
    expect(existsSync(join(root, entrypoint[1] ?? 'missing'))).toBe(true);
    const cmd = JSON.parse(runtime.match(/^CMD (.+)$/m)?.[1] ?? '[]') as string[];
    expect(SUBCOMMANDS).toContain(cmd[0]);
  });

  it('ships no tools or tests: the build compiles src/ only and nothing else is copied in', () => {
    const build = JSON.parse(readFileSync(join(root, 'tsconfig.build.json'), 'utf8')) as { include: string[] };
    expect(build.include).toEqual(['src']);
    const copied = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1]!.split(/\s+/));
    expect(copied.filter((path) => /^(tools|test|bench|scripts)\b/.test(path))).toEqual([]);
    expect(readFileSync(join(root, '.dockerignore'), 'utf8')).toMatch(/^tools$/m);
  });

  it('exposes the default ports of the config', () => {
    const defaults = parseEnv({});
    const exposed = runtime.match(/^EXPOSE (.+)$/m)?.[1]?.split(/\s+/).map(Number) ?? [];
    expect(exposed.sort()).toEqual([defaults.MQTT_PORT, defaults.MQTT_WS_PORT, defaults.HTTP_PORT].sort());
  });
});
