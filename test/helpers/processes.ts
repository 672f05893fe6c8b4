import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { Resources } from './mqtt.js';

/** True when `command` is on the PATH. */
export function hasCommand(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

export { freePort } from '../../tools/proc.js';

export interface Spawned {
  child: ChildProcess;
  output: () => string;
  /** Resolves when stdout+stderr so far match `pattern`. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  exited: Promise<number | null>;
  /** Resolves with the exit code once the process has exited and its stdout and stderr are read to the end. */
  closed: Promise<number | null>;
}

export interface SpawnOptions {
  /**
   * Start it as the leader of its own process group, as a shell does for a command at a terminal:
   * `process.kill(-child.pid, signal)` then signals the group (npm and its node) as Ctrl-C does,
   * and teardown kills the whole group, so nothing it started outlives the test.
   */
  group?: boolean;
}

/** Spawns a program, collects its output, and kills it (or its process group) at teardown. */
export function spawnTracked(resources: Resources, command: string, args: string[], env?: NodeJS.ProcessEnv, options: SpawnOptions = {}): Spawned {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: options.group === true, ...(env ? { env } : {}) });
  let output = '';
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const check of waiters) check();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // 'exit' can come before the last output is read; 'close' comes after the pipes have ended.
  const closed = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  resources.add(child, async (c) => {
    if (options.group === true && c.pid !== undefined) {
      // The leader may be gone while the group lives on (a child it did not wait for): signal the group.
      try {
        process.kill(-c.pid, 'SIGKILL');
      } catch {
        // ESRCH: the group is empty, nothing is left to stop.
      }
    } else if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
    if (c.exitCode === null && c.signalCode === null) await exited;
  });
  return {
    child,
    output: () => output,
    exited,
    closed,
    waitForOutput: (pattern, timeoutMs = 5000) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${pattern} from ${command}; output so far:\n${output}`));
        }, timeoutMs);
        const check = () => {
          if (!pattern.test(output)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
      }),
  };
}

/**
 * Sockets and servers of this process that are still open: not destroyed, or
 * listening. (A destroyed socket may stay in the handle list until the loop
 * turns; it is closed already, so it does not count.) stdio is not counted.
 */
export function openNetHandles(): string[] {
  const handles = (process as unknown as { _getActiveHandles(): object[] })._getActiveHandles();
  const open: string[] = [];
  for (const handle of handles) {
    const h = handle as { constructor: { name: string }; destroyed?: boolean; listening?: boolean; _isStdio?: boolean; fd?: number };
    if (h.constructor.name === 'Server' && h.listening) open.push('Server (listening)');
    if (h.constructor.name === 'Socket' && !h.destroyed && !h._isStdio && !(h.fd !== undefined && h.fd <= 2)) open.push('Socket');
  }
  return open;
}

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The command line as users run it (bin/factory-anomaly.js), as a child process. */
export const LAUNCHER = join(process.cwd(), 'bin', 'factory-anomaly.js');

/**
 * Runs `node <args>` to its exit without blocking the event loop (a broker in the test process can serve it
 * meanwhile); killed at teardown if it is still running. stderr comes without the launcher's notice that it
 * rebuilt dist/.
 */
export function runNode(resources: Resources, args: string[], env: Record<string, string> = {}, timeoutMs = 30_000): Promise<Finished> {
  const program = spawnTracked(resources, process.execPath, args, { ...process.env, ...env });
  let stdout = '';
  let stderr = '';
  program.child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  program.child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const closed = new Promise<number | null>((resolve) => program.child.once('close', resolve));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`node ${args.join(' ')} did not exit within ${timeoutMs} ms; output so far:\n${program.output()}`)), timeoutMs);
  });
  return Promise.race([closed, timeout])
    .then((code) => ({ code, stdout, stderr: stderr.replace(/^factory-anomaly: building.*\n|^dashboard: .*\n/gm, '') }))
    .finally(() => clearTimeout(timer));
}

/** `factory-anomaly <args>`: the command line as users run it. */
export function runLauncher(resources: Resources, args: string[], env: Record<string, string> = {}, timeoutMs = 30_000): Promise<Finished> {
  return runNode(resources, [LAUNCHER, ...args], env, timeoutMs);
}
