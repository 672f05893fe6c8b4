import type { Logger } from '../support/logger.js';
import type { WorkerStats } from './worker-stats.js';

export interface Drainer {
  /** Resolves true once `until()` holds (checked now, after every message and every 50 ms), false after `timeoutMs`. */
  drain(until: () => boolean, timeoutMs: number): Promise<boolean>;
  /** Call after each handled message. */
  notify(): void;
}

/** For shutdown: lets the worker catch up with what the broker still has for it, bounded in time. */
export function createDrainer(stats: Readonly<WorkerStats>, log: Logger): Drainer {
  const checks = new Set<() => void>();
  return {
    notify: () => {
      for (const check of checks) check();
    },
    drain: (until, timeoutMs) => {
      const began = Date.now();
      const receivedBefore = stats.received;
      return new Promise<boolean>((resolve) => {
        const check = () => {
          if (until()) finish(true);
        };
        const poll = setInterval(check, 50).unref();
        const timer = setTimeout(() => finish(false), timeoutMs).unref();
        const finish = (drained: boolean) => {
          clearInterval(poll);
          clearTimeout(timer);
          checks.delete(check);
          const fields = { ms: Date.now() - began, caughtUp: stats.received - receivedBefore, received: stats.received, timeoutMs };
          if (drained) log.info(fields, 'drained');
          else log.warn(fields, 'drain timed out');
          resolve(drained);
        };
        checks.add(check);
        check();
      });
    },
  };
}
