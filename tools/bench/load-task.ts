/** A load run to do, wherever it runs: here (`inline`) or in a child process (`child`). */
import { fork } from 'node:child_process';
import { runHttpLoad, type HttpLoadOptions, type HttpLoadResult } from './http-load.js';
import { runMqttLoad, type MqttLoadOptions, type MqttLoadResult } from './mqtt-load.js';

export type LoadTask = { kind: 'mqtt'; options: MqttLoadOptions } | { kind: 'http'; options: HttpLoadOptions };
type ResultOf<T extends LoadTask> = T extends { kind: 'mqtt' } ? MqttLoadResult : HttpLoadResult;

/**
 * `child`: the load generator gets its own process, hence its own core of the
 * two, and the system under test keeps the other; `inline`: same process and
 * event loop (tests, or to see the cost of sharing).
 */
export type LoadPlacement = { kind: 'inline' } | { kind: 'child'; script: string };

export type ChildReply = { ok: true; result: MqttLoadResult | HttpLoadResult } | { ok: false; error: string };

export function runTask(task: LoadTask): Promise<MqttLoadResult | HttpLoadResult> {
  return task.kind === 'mqtt' ? runMqttLoad(task.options) : runHttpLoad(task.options);
}

/** Longest a child may take beyond the task's own duration before it is killed. */
const CHILD_GRACE_MS = 30_000;

export async function runLoad<T extends LoadTask>(task: T, placement: LoadPlacement): Promise<ResultOf<T>> {
  if (placement.kind === 'inline') return (await runTask(task)) as ResultOf<T>;
  return (await runInChild(task, placement.script)) as ResultOf<T>;
}

function runInChild(task: LoadTask, script: string): Promise<MqttLoadResult | HttpLoadResult> {
  const budgetMs =
    (task.options.warmupSeconds + task.options.seconds) * 1000 +
    (task.kind === 'mqtt' ? task.options.drainTimeoutMs : 0) +
    CHILD_GRACE_MS;
  return new Promise((resolve, reject) => {
    const child = fork(script, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let reply: ChildReply | undefined;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`load generator (pid ${child.pid}) took longer than ${budgetMs} ms; killed`));
    }, budgetMs);
    child.on('message', (message) => {
      reply = message as ChildReply;
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (reply?.ok) resolve(reply.result);
      else reject(new Error(reply?.error ?? `load generator exited (code ${code}, signal ${signal}) without a result`));
    });
    child.send(task);
  });
}
