/** `users add|remove|list ...`: see users-command.ts for the commands. */
import type { Command } from './command.js';
import { readPassword } from './password-input.js';
import { runUsers } from './users-command.js';

export const users: Command = {
  summary: "Edits the embedded broker's users file (MQTT_AUTH_FILE): add, remove, list.",
  run: (argv) =>
    runUsers(argv, {
      stdout: (text) => process.stdout.write(text),
      stderr: (text) => process.stderr.write(text),
      env: process.env,
      readPassword: () => readPassword(process.stdin, process.stderr),
    }),
};
