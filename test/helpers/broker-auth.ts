/**
 * Helpers for tests of the broker's users, ACL, TLS and limits: a users file
 * written at test time (passwords generated here, never committed), a broker
 * that uses it, clients that log in, and refusals read off the wire.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync, type IClientOptions, type MqttClient } from 'mqtt';
import { pino, type Logger } from 'pino';
import type { Role } from '../../src/adapters/broker/auth/acl.js';
import { hashPassword } from '../../src/adapters/broker/auth/password.js';
import { writeUsersFile, type UserEntry } from '../../src/adapters/broker/auth/users-file.js';
import { startBroker, type BrokerOptions, type EmbeddedBroker } from '../../src/adapters/broker/embedded-broker.js';
import { silentLogger } from '../../src/support/logger.js';
import { DEFAULT_TIMEOUT_MS, type Resources } from './mqtt.js';

/** Cheap scrypt parameters: every CONNECT in these tests checks a password. */
export const FAST_SCRYPT = { N: 1024, r: 8, p: 1, keyLength: 32 };

/** A temporary directory, removed at teardown. */
export function tempDir(resources: Resources, prefix = 'broker-auth-'): string {
  return resources.add(mkdtempSync(join(tmpdir(), prefix)), (dir) => rmSync(dir, { recursive: true, force: true }));
}

export interface TestUser {
  username: string;
  password: string;
  role: Role;
}

/** Users with random passwords, one per role unless given; written to `<dir>/users.json`. */
export async function writeTestUsers(dir: string, users: Record<string, Role>): Promise<{ file: string; users: Record<string, TestUser> }> {
  const file = join(dir, 'users.json');
  const made: Record<string, TestUser> = {};
  const entries: Record<string, UserEntry> = {};
  for (const [username, role] of Object.entries(users)) {
    const password = randomBytes(12).toString('base64url');
    made[username] = { username, password, role };
    entries[username] = { role, password: await hashPassword(password, FAST_SCRYPT) };
  }
  await writeUsersFile(file, { version: 1, users: entries });
  return { file, users: made };
}

/** A broker on 127.0.0.1, free ports, closed at teardown. */
export async function startSecuredBroker(resources: Resources, options: Partial<BrokerOptions> = {}): Promise<EmbeddedBroker> {
  const broker = await startBroker({ host: '127.0.0.1', port: 0, logger: silentLogger(), ...options });
  return resources.add(broker, (b) => b.close());
}

/** Connects as `user`, force-ended at teardown; no reconnects, so a refusal is final. */
export async function connectAs(resources: Resources, url: string, user: TestUser | undefined, options: IClientOptions = {}): Promise<MqttClient> {
  const client = await connectAsync(url, {
    reconnectPeriod: 0,
    connectTimeout: DEFAULT_TIMEOUT_MS,
    ...(user !== undefined ? { username: user.username, password: user.password } : {}),
    ...options,
  });
  return resources.add(client, (c) => c.endAsync(true));
}

/** The error a refused CONNECT ends with (mqtt.js ends the client itself); fails the test if the CONNECT succeeds. */
export async function refusedConnect(url: string, options: IClientOptions): Promise<Error & { code?: number }> {
  const outcome = await connectAsync(url, { reconnectPeriod: 0, connectTimeout: DEFAULT_TIMEOUT_MS, ...options }, false).then(
    async (client) => {
      await client.endAsync(true);
      return undefined;
    },
    (err: unknown) => err as Error & { code?: number },
  );
  if (outcome === undefined) throw new Error('expected the connection to be refused, but it was accepted');
  return outcome;
}

/** The QoS the broker granted for `filter`: 0-2, or 128 for a refusal (which mqtt.js reports as an error). */
export async function grantedQos(client: MqttClient, filter: string, qos: 0 | 1 | 2 = 1): Promise<number> {
  try {
    const granted = await client.subscribeAsync(filter, { qos });
    return granted[0]!.qos;
  } catch (err) {
    const codes = (err as { packet?: { granted?: number[] } }).packet?.granted;
    if (codes === undefined) throw err;
    return codes[0]!;
  }
}

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** A real pino logger whose lines are kept, to check what an operator would see. */
export function captureLogs(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
  return { logger, lines };
}
