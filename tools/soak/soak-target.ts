/**
 * The system under soak: the built `npm start` entry (embedded broker, worker,
 * HTTP sidecar; simulator off) in its own process, so its RSS and CPU are its
 * own and not the load generator's.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { cpuSeconds } from '../proc.js';

export interface SoakTarget {
  /** The embedded broker's MQTT URL. */
  readonly url: string;
  readonly pid: number;
  /** Resident set size in MB, or undefined if it cannot be read. */
  rssMb(): number | undefined;
  /** CPU seconds used so far (Linux /proc), or undefined. */
  cpuSeconds(): number | undefined;
  /** SIGTERM, then SIGKILL after `timeoutMs`; resolves with the exit code (null if killed). */
  stop(timeoutMs: number): Promise<number | null>;
  /** Rejects if the process ends before stop() was called. */
  readonly died: Promise<never>;
}

/** Starts `node <command...>` on free ports and resolves once it logs `ready`. */
export function startTarget(command: readonly string[], clientId: string, timeoutMs: number): Promise<SoakTarget> {
  const child = spawn(process.execPath, [...command], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      MQTT_HOST: '127.0.0.1',
      MQTT_PORT: '0',
      MQTT_WS_PORT: '',
      HTTP_PORT: '0',
      MQTT_CLIENT_ID: clientId,
      SIMULATOR_ENABLED: 'false',
      LOG_LEVEL: 'info',
      LOG_PRETTY: 'false',
    },
  });
  const recent: string[] = [];
  let stopping = false;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const died = exited.then((code) => {
    throw new Error(`the pipeline process exited (code ${code}) during the soak; last output:\n${recent.join('\n')}`);
  });
  died.catch(() => undefined);

  return new Promise<SoakTarget>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the pipeline did not log "ready" within ${timeoutMs} ms; last output:\n${recent.join('\n')}`));
    }, timeoutMs);
    exited.then((code) => {
      clearTimeout(timer);
      if (!stopping) reject(new Error(`the pipeline exited (code ${code}) before it was ready:\n${recent.join('\n')}`));
    }, reject);
    const onLine = (line: string) => {
      recent.push(line);
      if (recent.length > 20) recent.shift();
      if (!line.startsWith('{')) return void process.stderr.write(`[pipeline] ${line}\n`);
      const record = JSON.parse(line) as { level?: number; msg?: string; mqtt?: string };
      // Anomalies are info; warnings and errors are worth seeing while the soak runs.
      if ((record.level ?? 0) >= 40) process.stderr.write(`[pipeline] ${line}\n`);
      if (record.msg === 'ready' && typeof record.mqtt === 'string') {
        clearTimeout(timer);
        resolve(target(record.mqtt));
      }
    };
    createInterface({ input: child.stdout }).on('line', onLine);
    createInterface({ input: child.stderr }).on('line', onLine);
  });

  function target(url: string): SoakTarget {
    const pid = child.pid!;
    return {
      url,
      pid,
      rssMb: () => rssMb(pid),
      cpuSeconds: () => cpuSeconds(pid),
      died,
      stop(stopTimeoutMs) {
        stopping = true;
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        const kill = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs);
        return exited.finally(() => clearTimeout(kill));
      },
    };
  }
}

function rssMb(pid: number): number | undefined {
  try {
    const kb = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    if (kb !== undefined) return Number(kb) / 1024;
  } catch {
    // not Linux: ask ps
  }
  const ps = spawnSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' });
  const kb = Number(ps.stdout.trim());
  return ps.status === 0 && Number.isFinite(kb) && kb > 0 ? kb / 1024 : undefined;
}

