import type { Logger } from '../support/logger.js';
import type { Shutdown } from '../support/shutdown.js';

/**
 * Under `npm start` a Ctrl-C reaches node twice: the terminal signals the whole
 * process group, and npm forwards its own copy. A copy of the same signal this
 * soon after the first is that duplicate, not an operator asking to force exit.
 */
export const DUPLICATE_SIGNAL_WINDOW_MS = 1000;

export interface SignalOptions {
  exit: (code: number) => void;
  logger: Logger;
  /** SIGHUP: reload what can be reloaded (the users file); absent = SIGHUP is ignored with a log line. */
  onHangup?: () => Promise<string>;
  now?: () => number;
  /** For tests: the process-like emitter to listen on. */
  target?: Pick<NodeJS.Process, 'on' | 'off'>;
}

/**
 * SIGINT/SIGTERM start the ordered shutdown; the same signal again within
 * DUPLICATE_SIGNAL_WINDOW_MS is ignored, any later one forces exit (130).
 * Returns a function that removes the handlers.
 */
export function onSignals(shutdown: Shutdown, options: SignalOptions): () => void {
  const { exit, logger } = options;
  const now = options.now ?? Date.now;
  const target = options.target ?? process;
  let first: { signal: NodeJS.Signals; at: number } | undefined;
  const handler = (signal: NodeJS.Signals) => {
    if (first !== undefined) {
      if (signal === first.signal && now() - first.at < DUPLICATE_SIGNAL_WINDOW_MS) {
        logger.debug({ signal }, 'duplicate signal ignored (the terminal and npm both sent it)');
        return;
      }
      logger.warn({ signal }, 'second signal: exiting now');
      exit(130);
      return;
    }
    first = { signal, at: now() };
    void shutdown.run(signal).then((clean) => exit(clean ? 0 : 1));
  };
  const hangup = () => {
    if (options.onHangup === undefined) return logger.info('SIGHUP: nothing to reload here');
    options.onHangup().then(
      (what) => logger.info({ signal: 'SIGHUP' }, what),
      (err: unknown) => logger.error({ signal: 'SIGHUP', err: (err as Error).message }, 'reload failed; the previous settings stay in force'),
    );
  };
  target.on('SIGINT', handler);
  target.on('SIGTERM', handler);
  target.on('SIGHUP', hangup);
  return () => {
    target.off('SIGINT', handler);
    target.off('SIGTERM', handler);
    target.off('SIGHUP', hangup);
  };
}
