/**
 * The users file (MQTT_AUTH_FILE): JSON with one entry per user, a role and a
 * scrypt hash, never a password. Read by the broker at start, written by
 * `npm run -s users` atomically (temp file + rename) with mode 0600.
 */
import { randomBytes } from 'node:crypto';
import { chmod, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { ROLES, type Role } from './acl.js';
import { passwordHashSchema, type PasswordHash } from './password.js';

export const USERS_FILE_VERSION = 1;

/** A user name is also a topic level for devices: letters, digits, `.`, `_`, `@`, `-`; no `/`, `+`, `#`. */
const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

export function usernameProblem(name: string): string | undefined {
  return USERNAME.test(name)
    ? undefined
    : `user name ${JSON.stringify(name)} must be 1-64 characters of letters, digits, ".", "_", "@", "-", starting with a letter or digit`;
}

const entrySchema = z.object({ role: z.enum(ROLES), password: passwordHashSchema });
const fileSchema = z.object({
  version: z.literal(USERS_FILE_VERSION),
  users: z.record(z.string().regex(USERNAME, 'not a valid user name'), entrySchema),
});

export interface UserEntry {
  readonly role: Role;
  readonly password: PasswordHash;
}

export interface UsersFile {
  readonly version: typeof USERS_FILE_VERSION;
  readonly users: Readonly<Record<string, UserEntry>>;
}

export const emptyUsersFile = (): UsersFile => ({ version: USERS_FILE_VERSION, users: {} });

/** The file cannot be used; the message names the file and what is wrong with it. */
export class UsersFileError extends Error {
  constructor(
    readonly path: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`users file ${path}: ${reason}`, options);
    this.name = 'UsersFileError';
  }
}

export function parseUsersFile(text: string, path: string): UsersFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new UsersFileError(path, `not valid JSON (${(err as Error).message})`);
  }
  const result = fileSchema.safeParse(json);
  if (!result.success) {
    const problems = result.error.issues.map((i) => {
      const message = i.code === 'invalid_key' ? 'not a valid user name (1-64 of letters, digits, ".", "_", "@", "-")' : i.message;
      return `${i.path.join('.') || '(top level)'}: ${message}`;
    });
    throw new UsersFileError(path, problems.join('; '));
  }
  return result.data;
}

/** Reads and checks the file. `missing: 'empty'` treats an absent file as one with no users (for the CLI's first add). */
export async function readUsersFile(path: string, options: { missing: 'error' | 'empty' } = { missing: 'error' }): Promise<UsersFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && options.missing === 'empty') return emptyUsersFile();
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    throw new UsersFileError(path, `cannot read it: ${reason} (${code ?? 'error'})`, { cause: err });
  }
  return parseUsersFile(text, path);
}

/** A warning when others than the owner may read the hashes (Mosquitto warns the same way), else undefined. */
export async function permissionWarning(path: string): Promise<string | undefined> {
  const { mode } = await stat(path);
  return (mode & 0o077) === 0 ? undefined : `users file ${path} is readable by others (mode ${(mode & 0o777).toString(8)}); chmod 600 it`;
}

/**
 * Replaces the file atomically: a reader (the broker) sees the old or the new
 * content, never half of it. The temp file is created 0600 in the same
 * directory, so the rename stays on one file system.
 */
export async function writeUsersFile(path: string, file: UsersFile): Promise<void> {
  const sorted = Object.fromEntries(Object.entries(file.users).sort(([a], [b]) => a.localeCompare(b)));
  const text = `${JSON.stringify({ version: file.version, users: sorted }, null, 2)}\n`;
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', 0o600).catch((err: NodeJS.ErrnoException) => {
    const reason = err.code === 'ENOENT' ? `folder ${dirname(path)} does not exist` : err.code === 'EACCES' ? 'permission denied' : err.message;
    throw new UsersFileError(path, `cannot write it: ${reason}`, { cause: err });
  });
  try {
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    // open() applies the umask, which can only remove bits; chmod makes 0600 exact.
    await chmod(temp, 0o600);
    await rename(temp, path);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
}
