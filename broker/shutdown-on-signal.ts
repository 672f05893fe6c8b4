import type { Logger } from '../src/logger.js';

export interface ShutdownOptions {
  logger: Logger;
  /** Deadline for `shutdown`; past it the process exits with code 1. */
  timeoutMs: number;
  /** Ordered teardown; runs once however many signals arrive. */
  shutdown: () => Promise<void>;
  /** Injected for tests; defaults to process.exit. */
  exit?: (code: number) => void;
}

/**
 * SIGINT/SIGTERM run `shutdown` once, then exit 0 (1 if it failed). A second
 * signal, or the deadline passing, forces exit 1: an operator pressing Ctrl-C
 * twice wants out now.
 */
export function shutdownOnSignal(options: ShutdownOptions): void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let started = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (started) {
      options.logger.warn({ signal }, 'second signal, forcing exit');
      exit(1);
      return;
    }
    started = true;
    options.logger.info({ signal }, 'shutting down');
    const deadline = setTimeout(() => {
      options.logger.error({ timeoutMs: options.timeoutMs }, 'shutdown deadline passed, forcing exit');
      exit(1);
    }, options.timeoutMs);
    deadline.unref();
    options.shutdown().then(
      () => {
        clearTimeout(deadline);
        options.logger.info('shutdown complete');
        exit(0);
      },
      (err: unknown) => {
        clearTimeout(deadline);
        options.logger.error({ err }, 'shutdown failed');
        exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
