import type { Logger } from './logger.js';

export interface ShutdownStep {
  name: string;
  run: () => Promise<void> | void;
}

export interface Shutdown {
  /** Steps run in the order they are added, so add them in stop order. */
  add(step: ShutdownStep): void;
  /** Idempotent: a second call returns the same promise. Resolves true when every step finished in time. */
  run(reason: string): Promise<boolean>;
  readonly started: boolean;
}

/**
 * Ordered, idempotent, deadline-bounded shutdown. Steps run one after another in
 * the order added (stop consuming first, close the broker last); a failing step
 * is logged and the next still runs; past the deadline the rest are skipped and
 * `run` resolves false so the caller can force the exit.
 */
export function createShutdown(options: { logger: Logger; timeoutMs: number }): Shutdown {
  const log = options.logger.child({ component: 'shutdown' });
  const steps: ShutdownStep[] = [];
  let running: Promise<boolean> | undefined;

  const runSteps = async (reason: string): Promise<boolean> => {
    // Nothing was started (a startup error before the first part): nothing to report either.
    if (steps.length === 0) return true;
    log.info({ reason, timeoutMs: options.timeoutMs }, 'shutting down');
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        timedOut = true;
        resolve();
      }, options.timeoutMs);
      timer.unref();
    });
    const all = (async () => {
      for (const step of steps) {
        if (timedOut) return;
        const began = Date.now();
        try {
          await step.run();
          log.debug({ step: step.name, ms: Date.now() - began }, 'stopped');
        } catch (err) {
          log.error({ step: step.name, err }, 'shutdown step failed');
        }
      }
    })();
    await Promise.race([all, deadline]);
    clearTimeout(timer);
    if (timedOut) log.error({ timeoutMs: options.timeoutMs }, 'shutdown deadline passed; forcing exit');
    else log.info('shutdown complete');
    return !timedOut;
  };

  return {
    add: (step) => {
      steps.push(step);
    },
    run: (reason) => (running ??= runSteps(reason)),
    get started() {
      return running !== undefined;
    },
  };
}
