/**
 * A throwaway Mosquitto on free loopback ports, configured by the test (listeners, TLS, users),
 * stopped at teardown. `.ci/run` installs Debian's mosquitto; elsewhere the tests that need it
 * skip with a message (under CI its absence fails them).
 */
import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Resources } from './mqtt.js';
import { freePort, hasCommand, spawnTracked, type Spawned } from './processes.js';

/** `describe` when every program is installed, `describe.skip` with a message otherwise (an error under CI). */
export function describeWithPrograms(programs: readonly string[], install: string): jest.Describe {
  const missing = programs.filter((p) => !hasCommand(p));
  if (missing.length === 0) return describe;
  if (process.env.CI) throw new Error(`CI must install ${missing.join(', ')} (see .ci/run)`);
  console.warn(`Skipping: ${missing.join(', ')} not installed (${install})`);
  return describe.skip;
}

export const describeWithMosquitto = (): jest.Describe => describeWithPrograms(['mosquitto'], 'apt-get install mosquitto');

/** A scratch directory removed at teardown: config, password file, certificates. */
export function scratchDir(resources: Resources): string {
  return resources.add(mkdtempSync(join(tmpdir(), 'mosquitto-')), (d) => rmSync(d, { recursive: true, force: true }));
}

export interface MosquittoOptions {
  /** Where the config goes (default: a new scratch directory). */
  dir?: string;
  /** Extra listener blocks, each a list of config lines after `listener <port> 127.0.0.1`; their ports are picked here. */
  listeners?: Array<{ name: string; lines: string[] }>;
  /** Lines of the default (plain MQTT) listener, e.g. `password_file ...`; anonymous clients are allowed unless these say otherwise. */
  lines?: string[];
}

export interface TestMosquitto {
  url: string;
  port: number;
  /** The ports of the extra listeners, by name. */
  ports: Record<string, number>;
  process: Spawned;
  /** A scratch directory removed at teardown (config, password file). */
  dir: string;
}

/**
 * Mosquitto 2 as the README tells users to run it for QoS 1 without loss: no cap on queued messages
 * (the default of 1,000 drops the rest silently).
 */
export async function startMosquitto(resources: Resources, options: MosquittoOptions = {}): Promise<TestMosquitto> {
  const dir = options.dir ?? scratchDir(resources);
  const port = await freePort();
  const ports: Record<string, number> = {};
  const config = ['per_listener_settings true', 'max_queued_messages 0', `listener ${port} 127.0.0.1`, ...(options.lines ?? ['allow_anonymous true'])];
  for (const listener of options.listeners ?? []) {
    ports[listener.name] = await freePort();
    config.push(`listener ${ports[listener.name]} 127.0.0.1`, ...listener.lines);
  }
  const file = join(dir, 'mosquitto.conf');
  writeFileSync(file, `${config.join('\n')}\n`);
  // Started as root, mosquitto drops to its own user before reading password and certificate files.
  chmodSync(dir, 0o755);
  for (const name of readdirSync(dir)) chmodSync(join(dir, name), 0o644);
  const process = spawnTracked(resources, 'mosquitto', ['-c', file, '-v']);
  await process.waitForOutput(/mosquitto version .* running/, 10_000);
  return { url: `mqtt://127.0.0.1:${port}`, port, ports, process, dir };
}
