/**
 * Password guessing, slowed down: after a few failures a user name, or a
 * source address, is refused outright for a delay that doubles with every
 * further failure (up to a cap), without running scrypt, so a guesser costs
 * the broker no CPU and other clients log in at their usual speed. A success
 * clears the user name's record. Pure; `now` is injectable.
 */

export interface AuthThrottleOptions {
  /** Failures allowed before the first delay. */
  freeFailures: number;
  /** The first delay, in ms; each further failure doubles it. */
  baseDelayMs: number;
  /** No delay is longer. */
  maxDelayMs: number;
  /** Keys remembered at most (user names and addresses a stranger can invent); the oldest go first. */
  maxKeys?: number;
  now?: () => number;
}

export interface AuthThrottle {
  /** Ms until `keys` may try again, 0 when they may now. */
  blockedFor(keys: readonly string[]): number;
  failed(keys: readonly string[]): void;
  succeeded(key: string): void;
}

export function createAuthThrottle(options: AuthThrottleOptions): AuthThrottle {
  const now = options.now ?? (() => performance.now());
  const maxKeys = options.maxKeys ?? 10_000;
  const records = new Map<string, { failures: number; until: number }>();
  const delayAfter = (failures: number) =>
    failures <= options.freeFailures ? 0 : Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.min(failures - options.freeFailures - 1, 30));
  return {
    blockedFor(keys) {
      const t = now();
      let wait = 0;
      for (const key of keys) {
        const record = records.get(key);
        if (record !== undefined) wait = Math.max(wait, record.until - t);
      }
      return Math.max(0, Math.ceil(wait));
    },
    failed(keys) {
      const t = now();
      for (const key of keys) {
        const record = records.get(key) ?? { failures: 0, until: 0 };
        // Long after its last delay a key starts afresh.
        if (record.until > 0 && t - record.until > options.maxDelayMs) record.failures = 0;
        record.failures += 1;
        record.until = t + delayAfter(record.failures);
        records.delete(key);
        records.set(key, record);
        if (records.size > maxKeys) records.delete(records.keys().next().value as string);
      }
    },
    succeeded(key) {
      records.delete(key);
    },
  };
}
