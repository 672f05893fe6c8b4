import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { connectAs, refusedConnect, startSecuredBroker, tempDir } from '../helpers/broker-auth.js';
import { createResources, withTimeout } from '../helpers/mqtt.js';

const resources = createResources();
afterEach(() => resources.closeAll());

const root = join(__dirname, '..', '..');

/** The real command (src/app/cli.ts users, through tsx, so no build is needed), with `stdin` piped in. */
function usersCli(args: string[], stdin: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(join(root, 'node_modules', '.bin', 'tsx'), [join(root, 'src', 'app', 'cli.ts'), 'users', ...args], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
  resources.add(child, (c) => c.exitCode === null && c.kill());
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  child.stdin.end(stdin);
  return withTimeout(new Promise((resolve) => child.once('close', (code) => resolve({ code, output }))), 15_000, 'the users CLI');
}

describe('users CLI, end to end', () => {
  it('when a device is added with a piped password, then it can log in to the broker with it, and with nothing else', async () => {
    const file = join(tempDir(resources), 'users.json');
    const password = 'press-one-generated-secret';
    const added = await usersCli(['add', 'press-1', '--role', 'device', '--file', file], `${password}\n`);
    expect(added).toMatchObject({ code: 0, output: expect.stringMatching(/^added press-1 \(device\)/) });
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const broker = await startSecuredBroker(resources, { authFile: file });
    const device = await connectAs(resources, broker.url, { username: 'press-1', password, role: 'device' });
    await device.publishAsync('factory/sensors/press-1/t', '{}', { qos: 1 });
    expect((await refusedConnect(broker.url, { username: 'press-1', password: `${password}\n` })).code).toBe(4);
  });
});
