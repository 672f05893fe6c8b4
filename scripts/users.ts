/** `npm run -s users -- add|remove|list ...`: see scripts/users-command.ts for the commands. */
import { readPassword } from './password-input.js';
import { runUsers } from './users-command.js';

runUsers(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  readPassword: () => readPassword(process.stdin, process.stderr),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`users: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
