/** Entry of the load-generator child process: one task in over IPC, one reply out, then exit. */
import { runTask, type ChildReply, type LoadTask } from './load-task.js';

function main(): void {
  process.once('message', (task: LoadTask) => {
    runTask(task).then(
      (result) => reply({ ok: true, result }),
      (err: unknown) => reply({ ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
    );
  });
}

function reply(message: ChildReply): void {
  process.send?.(message, () => process.disconnect());
  if (!message.ok) process.exitCode = 1;
}

main();
