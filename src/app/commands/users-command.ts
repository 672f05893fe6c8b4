/**
 * `npm run -s users -- add|remove|list`: edits the broker's users file. The
 * logic, with its inputs and outputs passed in, so tests run it in-process;
 * commands/users.ts wires it to the real process.
 */
import { parseArgs } from 'node:util';
import { ROLES, type Role } from '../../adapters/broker/auth/acl.js';
import { hashPassword } from '../../adapters/broker/auth/password.js';
import { readUsersFile, usernameProblem, UsersFileError, writeUsersFile } from '../../adapters/broker/auth/users-file.js';
import { envSchema } from '../config.js';
import { PasswordInputError } from './password-input.js';

export const USAGE = `Usage: npm run -s users -- <command> [options]

Edits the users file of the embedded broker (MQTT_AUTH_FILE): user names,
roles and scrypt password hashes. The broker reads it at start; send it
SIGHUP (kill -HUP <pid>) to reload it while running.

Commands:
  add <name> --role <role>   create a user, or update its password (and role)
                             password: from stdin when piped, else asked for
                             on the terminal without echo
  remove <name>              delete a user
  list                       show user names and roles

Options:
  --role <role>   ${ROLES.join(' | ')} (required for a new user)
  --file <path>   the users file (default: MQTT_AUTH_FILE)
  -h, --help      show this help

Roles:
  device     publishes under its own topic (MQTT_DEVICE_TOPIC_PATTERN, default
             factory/sensors/<name>/#); subscribes to nothing
  simulator  publishes sensor readings for any device and the ground truth
  worker     reads sensor readings; publishes anomalies, scores, errors, status
  viewer     reads anomalies, scores, errors, status and simulator topics
  admin      everything, including $SYS

Example:
  printf '%s' "$DEVICE_PASSWORD" | npm run -s users -- add press-1 --role device`;

export interface UsersIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
  /** The password to set: piped stdin or a hidden prompt (see password-input.ts). */
  readPassword(): Promise<string>;
}

class UsageError extends Error {}

/** Runs one command; resolves with the exit code (0 done, 1 failed, 2 bad usage). */
export async function runUsers(argv: readonly string[], io: UsersIo): Promise<number> {
  try {
    const args = parse(argv);
    if (args === 'help') {
      io.stdout(`${USAGE}\n`);
      return 0;
    }
    await run(args, io);
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`users: ${err.message}\nRun with --help for usage.\n`);
      return 2;
    }
    // A password that is too short, empty or mistyped is bad input, like a bad flag.
    if (err instanceof PasswordInputError) {
      io.stderr(`users: ${err.message}\n`);
      return 2;
    }
    if (err instanceof UsersFileError) {
      io.stderr(`users: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

type Command = { command: 'add'; name: string; role?: Role } | { command: 'remove'; name: string } | { command: 'list' };
type Args = Command & { file: string | undefined };

function parse(argv: readonly string[]): Args | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { role: { type: 'string' }, file: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  const [command, name, ...extra] = positionals;
  if (command === undefined) throw new UsageError('no command: add, remove or list');
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  const file = values.file;
  if (command === 'list') {
    if (name !== undefined) throw new UsageError('list takes no name');
    return { command, file };
  }
  if (command !== 'add' && command !== 'remove') throw new UsageError(`unknown command ${JSON.stringify(command)}: add, remove or list`);
  if (name === undefined) throw new UsageError(`${command} needs a user name`);
  const problem = usernameProblem(name);
  if (problem !== undefined) throw new UsageError(problem);
  if (command === 'remove') {
    if (values.role !== undefined) throw new UsageError('remove takes no --role');
    return { command, name, file };
  }
  const role = values.role;
  if (role !== undefined && !(ROLES as readonly string[]).includes(role)) {
    throw new UsageError(`--role must be one of ${ROLES.join(', ')} (got ${JSON.stringify(role)})`);
  }
  return { command, name, file, ...(role !== undefined ? { role: role as Role } : {}) };
}

async function run(args: Args, io: UsersIo): Promise<void> {
  const path = usersFilePath(args.file, io.env);
  if (args.command === 'list') {
    const { users } = await readUsersFile(path);
    const rows = Object.entries(users).sort(([a], [b]) => a.localeCompare(b));
    if (rows.length === 0) io.stdout(`no users in ${path}\n`);
    const width = Math.max(4, ...rows.map(([name]) => name.length));
    if (rows.length > 0) io.stdout([`${'NAME'.padEnd(width)}  ROLE`, ...rows.map(([name, u]) => `${name.padEnd(width)}  ${u.role}`)].join('\n') + '\n');
    return;
  }
  if (args.command === 'remove') {
    const file = await readUsersFile(path);
    if (file.users[args.name] === undefined) throw new UsersFileError(path, `there is no user ${args.name}`);
    const users = Object.fromEntries(Object.entries(file.users).filter(([name]) => name !== args.name));
    await writeUsersFile(path, { ...file, users });
    io.stdout(`removed ${args.name} from ${path}\n`);
    return;
  }
  const file = await readUsersFile(path, { missing: 'empty' });
  const existing = file.users[args.name];
  const role = args.role ?? existing?.role;
  if (role === undefined) throw new UsageError(`${args.name} is a new user: give it a --role (${ROLES.join(', ')})`);
  const password = await hashPassword(await io.readPassword());
  await writeUsersFile(path, { ...file, users: { ...file.users, [args.name]: { role, password } } });
  const what = existing === undefined ? 'added' : existing.role === role ? 'updated the password of' : `updated (role ${existing.role} -> ${role})`;
  io.stdout(`${what} ${args.name} (${role}) in ${path}; a running broker picks it up on SIGHUP or restart\n`);
}

function usersFilePath(flag: string | undefined, env: Record<string, string | undefined>): string {
  if (flag !== undefined) return flag;
  const fromEnv = envSchema.shape.MQTT_AUTH_FILE.safeParse(env.MQTT_AUTH_FILE?.trim() || undefined);
  if (fromEnv.success && fromEnv.data !== undefined) return fromEnv.data;
  throw new UsageError('no users file: pass --file <path> or set MQTT_AUTH_FILE');
}
