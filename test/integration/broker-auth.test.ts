import { randomBytes } from 'node:crypto';
import type { MqttClient } from 'mqtt';
import { startupErrorLine } from '../../src/app/run-service.js';
import { BrokerSetupError, startBroker, type EmbeddedBroker } from '../../src/adapters/broker/embedded-broker.js';
import {
  captureLogs,
  connectAs,
  grantedQos,
  refusedConnect,
  startSecuredBroker,
  tempDir,
  writeTestUsers,
  type TestUser,
} from '../helpers/broker-auth.js';
import { createResources, waitForMessage } from '../helpers/mqtt.js';
import { spawnTracked } from '../helpers/processes.js';

const resources = createResources();
afterEach(() => resources.closeAll());

const ROLES = { 'press-1': 'device', sim: 'simulator', worker: 'worker', viewer: 'viewer', admin: 'admin' } as const;

async function securedBroker(logger = captureLogs().logger): Promise<{ broker: EmbeddedBroker; users: Record<keyof typeof ROLES, TestUser> }> {
  const { file, users } = await writeTestUsers(tempDir(resources), ROLES);
  const broker = await startSecuredBroker(resources, { authFile: file, logger });
  return { broker, users: users as Record<keyof typeof ROLES, TestUser> };
}

const nonce = () => randomBytes(6).toString('hex');

describe('broker ACL, with real clients', () => {
  /** [user, a topic it may not publish to, one it may (undefined: none; the admin publishes the marker instead)] */
  const publishes: Array<[keyof typeof ROLES, string, string | undefined]> = [
    ['press-1', 'factory/sensors/press-2/temperature', 'factory/sensors/press-1/temperature'],
    ['press-1', 'factory/anomalies', 'factory/sensors/press-1'],
    ['sim', 'factory/anomalies', 'factory/sensors/line1/press-9'],
    ['sim', 'factory/status/worker', 'factory/simulator/injected'],
    ['worker', 'factory/sensors/line1/press-1', 'factory/anomalies'],
    ['worker', 'factory/simulator/injected', 'factory/scores/line1/press-1'],
    ['viewer', 'factory/anomalies', undefined],
    ['viewer', 'factory/scores/line1/press-1', undefined],
    ['admin', '$SYS/fake/heartbeat', 'anything/else'],
  ];

  it.each(publishes)(
    'when %s publishes to %s and then to an allowed topic, then a subscriber sees the allowed message first and the publisher stays connected',
    async (name, forbidden, allowed) => {
      const { broker, users } = await securedBroker();
      const observer = await connectAs(resources, broker.url, users.admin);
      await observer.subscribeAsync(['#', '$SYS/fake/#'], { qos: 1 });
      const tag = nonce();
      const first = waitForMessage(observer, '#', (m) => m.payload.toString().startsWith(tag));

      const publisher = await connectAs(resources, broker.url, users[name]);
      await publisher.publishAsync(forbidden, `${tag} forbidden`, { qos: 1 });
      const second = allowed === undefined ? await connectAs(resources, broker.url, users.admin) : publisher;
      await second.publishAsync(allowed ?? 'factory/marker', `${tag} allowed`, { qos: 1 });

      const seen = await first;
      expect([seen.topic, seen.payload.toString()]).toEqual([allowed ?? 'factory/marker', `${tag} allowed`]);
      expect(publisher.connected).toBe(true);
      expect(broker.stats().aclDenied).toBe(1);
    },
  );

  /** [user, filter, granted QoS: 1, or 128 for a refusal] */
  const subscriptions: Array<[keyof typeof ROLES, string, number]> = [
    ['press-1', 'factory/sensors/press-1/#', 128],
    ['press-1', 'factory/anomalies', 128],
    ['sim', 'factory/sensors/#', 128],
    ['worker', 'factory/sensors/#', 1],
    ['worker', '$share/workers/factory/sensors/#', 1],
    ['worker', 'factory/#', 128],
    ['worker', 'factory/anomalies', 128],
    ['viewer', 'factory/anomalies', 1],
    ['viewer', 'factory/scores/#', 1],
    ['viewer', 'factory/errors', 1],
    ['viewer', 'factory/status/#', 1],
    ['viewer', 'factory/simulator/#', 1],
    ['viewer', 'factory/sensors/#', 128],
    ['viewer', '#', 128],
    ['viewer', '$SYS/#', 128],
    ['worker', '$SYS/#', 128],
    ['admin', '#', 1],
    ['admin', '$SYS/#', 1],
  ];

  it.each(subscriptions)('when %s subscribes to %s, then the broker grants %d', async (name, filter, expected) => {
    const { broker, users } = await securedBroker();
    const client = await connectAs(resources, broker.url, users[name]);
    expect(await grantedQos(client, filter)).toBe(expected);
    expect(broker.stats().aclDenied).toBe(expected === 128 ? 1 : 0);
    expect(client.connected).toBe(true);
  });

  it('when a viewer was refused the sensor readings, then it receives none of them, only the results it may read', async () => {
    const { broker, users } = await securedBroker();
    const viewer = await connectAs(resources, broker.url, users.viewer);
    expect(await grantedQos(viewer, 'factory/sensors/#')).toBe(128);
    expect(await grantedQos(viewer, 'factory/anomalies')).toBe(1);
    const first = waitForMessage(viewer, '#');
    const admin = await connectAs(resources, broker.url, users.admin);
    await admin.publishAsync('factory/sensors/line1/press-1', 'reading', { qos: 1 });
    await admin.publishAsync('factory/anomalies', 'anomaly', { qos: 1 });
    expect((await first).topic).toBe('factory/anomalies');
  });

  it('when the admin subscribes to $SYS, then it gets the broker events', async () => {
    const { broker, users } = await securedBroker();
    const admin = await connectAs(resources, broker.url, users.admin);
    expect(await grantedQos(admin, '$SYS/#', 0)).toBe(0);
    const event = waitForMessage(admin, '$SYS/+/new/clients', (m) => m.payload.toString() === 'late-comer');
    await connectAs(resources, broker.url, users.viewer, { clientId: 'late-comer' });
    expect((await event).payload.toString()).toBe('late-comer');
  });
});

describe('broker authentication', () => {
  it('when the password is wrong, then CONNACK refuses with "bad user name or password" and it is counted and logged without the password', async () => {
    const { logger, lines } = captureLogs();
    const { broker, users } = await securedBroker(logger);
    const err = await refusedConnect(broker.url, { username: 'viewer', password: `${users.viewer.password}x` });
    expect(err.code).toBe(4);
    expect(broker.stats().authFailures).toBe(1);
    const refused = lines.find((l) => l.msg === 'connection refused');
    expect(refused).toMatchObject({ level: 40, username: 'viewer', reason: 'bad user name or password' });
    expect(JSON.stringify(lines)).not.toContain(users.viewer.password);
  });

  it('when the user does not exist, then CONNACK refuses the same way', async () => {
    const { broker } = await securedBroker();
    expect((await refusedConnect(broker.url, { username: 'nobody', password: 'whatever-it-is' })).code).toBe(4);
  });

  it('when a client sends no credentials while a users file is set, then CONNACK refuses it as not authorized', async () => {
    const { broker } = await securedBroker();
    expect((await refusedConnect(broker.url, {})).code).toBe(5);
    expect(broker.stats().authFailures).toBe(1);
  });

  it('when another user connects with a client id that is in use, then it is refused and the holder stays connected', async () => {
    const { broker, users } = await securedBroker();
    const holder = await connectAs(resources, broker.url, users.worker, { clientId: 'anomaly-worker' });
    const err = await refusedConnect(broker.url, { username: 'press-1', password: users['press-1'].password, clientId: 'anomaly-worker' });
    expect(err.code).toBe(2);
    // The holder can still talk to the broker.
    await holder.publishAsync('factory/anomalies', 'still here', { qos: 1 });
    expect(holder.connected).toBe(true);
  });

  it('when a device connects first with the worker\'s client id, then it is refused, and the worker still gets its id', async () => {
    const { file, users } = await writeTestUsers(tempDir(resources), ROLES);
    const broker = await startSecuredBroker(resources, {
      authFile: file,
      reservedClientIds: new Map([['anomaly-worker', ['worker', 'admin'] as const]]),
    });
    const device = { username: 'press-1', password: users['press-1']!.password, clean: false };
    expect((await refusedConnect(broker.url, { ...device, clientId: 'anomaly-worker' })).code).toBe(2);
    expect((await refusedConnect(broker.url, { ...device, clientId: 'anomaly-worker-2' })).code).toBe(2);
    const worker = await connectAs(resources, broker.url, users.worker, { clientId: 'anomaly-worker', clean: false });
    expect(worker.connected).toBe(true);
    // Other ids stay free for devices.
    expect((await connectAs(resources, broker.url, users['press-1'], { clientId: 'press-1-sensor' })).connected).toBe(true);
  });

  it('when the same user reconnects with its client id, then the new connection takes over', async () => {
    const { broker, users } = await securedBroker();
    const first: MqttClient = await connectAs(resources, broker.url, users.worker, { clientId: 'anomaly-worker' });
    const closed = new Promise<void>((resolve) => first.once('close', () => resolve()));
    await connectAs(resources, broker.url, users.worker, { clientId: 'anomaly-worker' });
    await closed;
    expect(broker.stats().authFailures).toBe(0);
  });

  it('when the users file is changed and reloaded, then new connections use it', async () => {
    const dir = tempDir(resources);
    const first = await writeTestUsers(dir, { alice: 'viewer' });
    const broker = await startSecuredBroker(resources, { authFile: first.file });
    const second = await writeTestUsers(dir, { bob: 'viewer' });
    expect(await broker.reloadUsers()).toBe(1);
    await connectAs(resources, broker.url, second.users.bob);
    expect((await refusedConnect(broker.url, { username: 'alice', password: first.users.alice!.password })).code).toBe(4);
  });
});

describe('the anonymous rule', () => {
  it('when there is no users file and the broker binds a loopback address, then anonymous clients are accepted', async () => {
    const broker = await startSecuredBroker(resources);
    const client = await connectAs(resources, broker.url, undefined);
    expect(await grantedQos(client, '#')).toBe(1);
  });

  it('when there is no users file and the host is not loopback, then the broker refuses to start, naming the settings', async () => {
    const err = await startBroker({ host: '0.0.0.0', port: 0, logger: captureLogs().logger }).then(
      async (b) => {
        await b.close();
        return undefined;
      },
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(BrokerSetupError);
    expect((err as Error).message).toMatch(/not a loopback address/);
    // The broker knows its settings by key; the entry point names the variables behind them.
    expect(err).toMatchObject({ setting: 'broker.authFile' });
    expect(startupErrorLine(err)).toContain('Set MQTT_AUTH_FILE');
    expect(startupErrorLine(err)).toContain('MQTT_ALLOW_ANONYMOUS=true');
    expect(startupErrorLine(err)).toContain('bind MQTT_HOST=127.0.0.1');
  });

  it('when the standalone broker would bind 0.0.0.0 without users, then it exits 1 naming both ways out, before binding', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, MQTT_HOST: '0.0.0.0', MQTT_PORT: '0', MQTT_WS_PORT: '0', LOG_LEVEL: 'silent' };
    delete env.MQTT_AUTH_FILE;
    delete env.MQTT_ALLOW_ANONYMOUS;
    const broker = spawnTracked(resources, process.execPath, ['--import', 'tsx', 'src/app/cli.ts', 'broker'], env);
    expect(await broker.exited).toBe(1);
    expect(broker.output()).toMatch(/refusing to start: .* on 0\.0\.0\.0, which is not a loopback address/);
    expect(broker.output()).toContain('Set MQTT_AUTH_FILE');
    expect(broker.output()).toContain('MQTT_ALLOW_ANONYMOUS=true');
    expect(broker.output()).not.toContain('broker listening');
  });

  it('when anonymous access is allowed explicitly on a non-loopback host, then it starts with a warning', async () => {
    const { logger, lines } = captureLogs();
    const broker = await startSecuredBroker(resources, { host: '0.0.0.0', allowAnonymous: true, logger });
    await connectAs(resources, `mqtt://127.0.0.1:${broker.port}`, undefined);
    expect(lines).toContainEqual(expect.objectContaining({ level: 40, msg: expect.stringMatching(/anonymous clients accepted on a non-loopback address/) }));
  });

  it('when the users file cannot be read, then the broker refuses to start, naming MQTT_AUTH_FILE', async () => {
    const missing = `${tempDir(resources)}/absent.json`;
    const err = await startBroker({ host: '127.0.0.1', port: 0, authFile: missing, logger: captureLogs().logger }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BrokerSetupError);
    expect(err).toMatchObject({ setting: 'broker.authFile', message: expect.stringContaining(`${missing}: cannot read it: no such file`) });
    expect(startupErrorLine(err)).toMatch(/\(check MQTT_AUTH_FILE\)$/);
  });
});
