import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { envSchema, parseEnv } from '../../../src/config.js';

/**
 * No Docker engine runs where the tests run, so these check that the compose
 * file and the Dockerfile agree with the code: real entry points, known
 * variables that parse, ports that match, health checks on the right ports.
 */

const root = join(__dirname, '..', '..', '..');
interface Service {
  build?: string;
  command: string[];
  environment?: Record<string, string>;
  ports?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
}
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8')) as { services: Record<string, Service> };
const services = Object.entries(compose.services);
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');

/** `dist/src/main.js` is compiled from `src/main.ts`. */
const sourceOf = (script: string) => join(root, script.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
const containerPorts = (s: Service) => (s.ports ?? []).map((p) => Number(p.split(':').pop()));
const envOf = (s: Service) => parseEnv(s.environment ?? {});

describe('docker-compose.yml', () => {
  it('has the three services of the pipeline', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['broker', 'simulator', 'worker']);
  });

  it.each(services)('%s runs a real entry point of this repo', (_name, service) => {
    const [node, script] = service.command;
    expect(node).toBe('node');
    expect(script).toMatch(/^dist\/.+\.js$/);
    expect(existsSync(sourceOf(script!))).toBe(true);
  });

  it.each(services)('%s sets only variables the config knows, with values that parse', (_name, service) => {
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

  it.each(services)('%s waits only for services that have a health check', (_name, service) => {
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
    const cmd = JSON.parse(runtime.match(/^CMD (.+)$/m)?.[1] ?? '[]') as string[];
    expect(existsSync(sourceOf(cmd[1] ?? 'missing'))).toBe(true);
  });

  it('exposes the default ports of the config', () => {
    const defaults = parseEnv({});
    const exposed = runtime.match(/^EXPOSE (.+)$/m)?.[1]?.split(/\s+/).map(Number) ?? [];
    expect(exposed.sort()).toEqual([defaults.MQTT_PORT, defaults.MQTT_WS_PORT, defaults.HTTP_PORT].sort());
  });
});
