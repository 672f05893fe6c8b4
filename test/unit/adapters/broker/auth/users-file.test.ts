import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashPassword } from '../../../../../src/adapters/broker/auth/password.js';
import { parseUsersFile, permissionWarning, readUsersFile, usernameProblem, UsersFileError, writeUsersFile } from '../../../../../src/adapters/broker/auth/users-file.js';

const fast = { N: 1024, r: 8, p: 1, keyLength: 32 };
let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'users-file-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('users file', () => {
  it('when written, then it reads back the same, with mode 0600 and no temp file left', async () => {
    const path = join(dir, 'users.json');
    const file = { version: 1 as const, users: { 'press-1': { role: 'device' as const, password: await hashPassword('pw-press-one', fast) } } };
    await writeUsersFile(path, file);
    expect(await readUsersFile(path)).toEqual(file);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['users.json']);
  });

  it('when the file existed with a wider mode, then the rewrite is 0600', async () => {
    const path = join(dir, 'users.json');
    writeFileSync(path, JSON.stringify({ version: 1, users: {} }));
    chmodSync(path, 0o644);
    expect(await permissionWarning(path)).toMatch(/readable by others.*644/);
    await writeUsersFile(path, await readUsersFile(path));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(await permissionWarning(path)).toBeUndefined();
  });

  it('when it is missing, then reading fails naming the file, unless an empty start is asked for', async () => {
    const path = join(dir, 'absent.json');
    const error = await readUsersFile(path).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(UsersFileError);
    expect((error as Error).message).toBe(`users file ${path}: cannot read it: no such file (ENOENT)`);
    expect(await readUsersFile(path, { missing: 'empty' })).toEqual({ version: 1, users: {} });
  });

  it.each([
    ['not JSON', '{', /not valid JSON/],
    ['a plain-text password', JSON.stringify({ version: 1, users: { a: { role: 'admin', password: 'secret' } } }), /users\.a\.password/],
    ['an unknown role', JSON.stringify({ version: 1, users: { a: { role: 'root', password: {} } } }), /users\.a\.role/],
    ['a user name with a slash', JSON.stringify({ version: 1, users: { 'a/b': {} } }), /not a valid user name/],
    ['another version', JSON.stringify({ version: 2, users: {} }), /version/],
  ])('when it holds %s, then parsing fails saying where', (_what, text, message) => {
    expect(() => parseUsersFile(text, 'users.json')).toThrow(message);
  });

  it.each([
    ['press-1', true],
    ['line1.press_3@plant', true],
    ['', false],
    ['a/b', false],
    ['dev+', false],
    ['#', false],
    ['-leading-dash', false],
    ['x'.repeat(65), false],
  ])('user name %j is acceptable: %s', (name, ok) => {
    expect(usernameProblem(name) === undefined).toBe(ok);
  });

  it('when its folder does not exist, then writing fails naming the file and the folder, not with a raw ENOENT', async () => {
    const path = join(dir, 'missing', 'users.json');
    await expect(writeUsersFile(path, { version: 1, users: {} })).rejects.toThrow(UsersFileError);
    await expect(writeUsersFile(path, { version: 1, users: {} })).rejects.toThrow(`users file ${path}: cannot write it: folder ${join(dir, 'missing')} does not exist`);
  });

  it('keeps entries sorted by name, so diffs stay small', async () => {
    const path = join(dir, 'users.json');
    const password = await hashPassword('pw-sorted-one', fast);
    await writeUsersFile(path, { version: 1, users: { zed: { role: 'viewer', password }, abe: { role: 'viewer', password } } });
    expect(Object.keys(JSON.parse(readFileSync(path, 'utf8')).users)).toEqual(['abe', 'zed']);
  });
});
