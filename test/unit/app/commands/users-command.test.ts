import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { verifyPassword } from '../../../../src/adapters/broker/auth/password.js';
import { readUsersFile } from '../../../../src/adapters/broker/auth/users-file.js';
import { readPassword } from '../../../../src/app/commands/password-input.js';
import { runUsers, type UsersIo } from '../../../../src/app/commands/users-command.js';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'users-cli-'));
  file = join(dir, 'users.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the command in-process with `password` as the piped stdin; returns exit code and output. */
async function users(args: string[], password = 'not-used-here', env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  let asked = 0;
  const io: UsersIo = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    env,
    readPassword: () => {
      asked += 1;
      return readPassword(Object.assign(PassThrough.from([password]), { isTTY: false }), new PassThrough());
    },
  };
  const code = await runUsers(args, io);
  return { code, stdout, stderr, asked };
}

describe('users CLI', () => {
  it('when a user is added, then the file holds a scrypt hash of the password, never the password, with mode 0600', async () => {
    const result = await users(['add', 'press-1', '--role', 'device', '--file', file], 'press-one-secret\n');
    expect(result).toMatchObject({ code: 0, asked: 1, stderr: '' });
    expect(result.stdout).toMatch(/^added press-1 \(device\)/);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('press-one-secret');
    const entry = (await readUsersFile(file)).users['press-1']!;
    expect(entry).toMatchObject({ role: 'device', password: { algorithm: 'scrypt', N: 16384, r: 8, p: 1 } });
    // The piped newline is not part of the password.
    expect(await verifyPassword('press-one-secret', entry.password)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('lists users and roles, and removes them', async () => {
    await users(['add', 'viewer-1', '--role', 'viewer', '--file', file], 'viewer-secret');
    await users(['add', 'admin', '--role', 'admin', '--file', file], 'admin-secret');
    const list = await users(['list', '--file', file]);
    expect(list).toMatchObject({ code: 0, stdout: 'NAME      ROLE\nadmin     admin\nviewer-1  viewer\n' });
    expect(await users(['remove', 'viewer-1', '--file', file])).toMatchObject({ code: 0 });
    expect(Object.keys((await readUsersFile(file)).users)).toEqual(['admin']);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('when an existing user is added again, then its password changes and its role stays unless given', async () => {
    await users(['add', 'w', '--role', 'worker', '--file', file], 'first-password');
    const before = (await readUsersFile(file)).users.w!;
    const again = await users(['add', 'w', '--file', file], 'second-password');
    expect(again.stdout).toMatch(/^updated the password of w \(worker\)/);
    const after = (await readUsersFile(file)).users.w!;
    expect(after.role).toBe('worker');
    expect(after.password.salt).not.toBe(before.password.salt);
    expect(await verifyPassword('second-password', after.password)).toBe(true);
    expect((await users(['add', 'w', '--role', 'admin', '--file', file], 'third-password')).stdout).toMatch(/role worker -> admin/);
  });

  it('takes the file from MQTT_AUTH_FILE when --file is not given', async () => {
    expect((await users(['add', 'd', '--role', 'device'], 'device-secret', { MQTT_AUTH_FILE: file })).code).toBe(0);
    expect(Object.keys((await readUsersFile(file)).users)).toEqual(['d']);
  });

  it.each([
    ['no command', [], /no command/],
    ['an unknown command', ['grant', 'x'], /unknown command "grant"/],
    ['an unknown role', ['add', 'x', '--role', 'root', '--file', 'f'], /--role must be one of device, simulator, worker, viewer, admin/],
    ['a new user without a role', ['add', 'x', '--file', 'FILE'], /x is a new user: give it a --role/],
    ['a user name with a slash', ['add', 'a/b', '--role', 'device', '--file', 'f'], /user name "a\/b" must be/],
    ['no file at all', ['list'], /pass --file <path> or set MQTT_AUTH_FILE/],
    ['an unknown flag', ['list', '--force'], /Unknown option '--force'/],
  ])('when given %s, then it exits 2 with a usage message and writes nothing', async (_what, args, message) => {
    const result = await users(args.map((a) => (a === 'FILE' ? file : a)), 'some-password');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.asked).toBe(0);
    expect(() => statSync(file)).toThrow();
  });

  it.each([
    ['a password that is too short', ['add', 'x', '--role', 'device'], 'short', /at least 8 characters/],
    ['an empty password', ['add', 'x', '--role', 'device'], '\n', /no password given/],
  ])('when given %s, then it exits 2 (bad input, like a bad flag) saying why', async (_what, args, password, message) => {
    const result = await users([...args, '--file', file], password);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(() => statSync(file)).toThrow();
  });

  it.each([
    ['removing a user that does not exist', ['remove', 'ghost'], '', /there is no user ghost/],
    ['listing a file that does not exist', ['list'], '', /cannot read it: no such file/],
  ])('when given %s, then it exits 1 saying why', async (_what, args, password, message) => {
    if (args[0] === 'remove') writeFileSync(file, JSON.stringify({ version: 1, users: {} }));
    const result = await users([...args, '--file', args[0] === 'list' ? join(dir, 'absent.json') : file], password);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
  });

  it('--help prints the usage, roles included', async () => {
    const result = await users(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: npm run -s users -- <command>/);
    expect(result.stdout).toContain('factory/sensors/<name>/#');
  });
});

describe('password input on a terminal', () => {
  /** A fake TTY: records raw mode changes and the order of prompt and raw mode. */
  function terminal(keys: string[]) {
    const events: string[] = [];
    const input = Object.assign(new PassThrough(), {
      isTTY: true,
      setRawMode: (on: boolean) => events.push(on ? 'raw on' : 'raw off'),
    });
    const output = new PassThrough();
    output.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      events.push(text.trim() === '' ? 'newline' : `prompt ${text.trim()}`);
      // Type the next answer once a prompt shows.
      if (text.includes('assword')) setImmediate(() => input.write(keys.shift() ?? ''));
    });
    return { input, output, events };
  }

  it('asks twice without echo (raw mode before each prompt), with Backspace', async () => {
    const t = terminal(['passx\u007fword-1\r', 'password-1\r']);
    expect(await readPassword(t.input, t.output)).toBe('password-1');
    expect(t.events).toEqual(['raw on', 'prompt Password:', 'raw off', 'newline', 'raw on', 'prompt Repeat password:', 'raw off', 'newline']);
  });

  it('refuses two different answers, and Ctrl-C cancels', async () => {
    const mismatch = terminal(['password-1\r', 'password-2\r']);
    await expect(readPassword(mismatch.input, mismatch.output)).rejects.toThrow('the passwords do not match');
    const cancelled = terminal(['pass\u0003']);
    await expect(readPassword(cancelled.input, cancelled.output)).rejects.toThrow('cancelled');
  });
});
