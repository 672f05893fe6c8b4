/**
 * Password guessing, slowed down. Failures are counted per user name, per
 * source address and per (user name, address) pair; after a few, a key is
 * refused outright, without running scrypt, for a delay that doubles with
 * every further attempt (up to a cap), so a guesser costs the broker no CPU
 * and other clients log in at their usual speed. Checks in progress count
 * against the free failures, so 16 guesses sent at once do not all get a
 * scrypt before the first one fails.
 *
 * Whom each key may lock out:
 * - the pair: that user from that address. An attacker guessing the worker's
 *   password from the worker's own address cannot be told from the worker.
 * - the user name: that user from every address it has not logged in from
 *   before, so guessing from many addresses is slowed too, while a device
 *   reconnecting from its usual address still gets in. Not for the worker:
 *   a restarted worker may come from a new address (a new container), and
 *   keeping it out stops detection; its name is guarded per address only.
 * - the address: every login from it, except known users in good standing,
 *   so a guesser sharing the worker's address (loopback, a NAT) does not
 *   lock the worker out.
 * Pure; `now` is injectable.
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

export interface LoginAttempt {
  readonly username: string;
  readonly address: string;
  /** Whether the users file has this user name. */
  readonly knownUser: boolean;
  /**
   * False for a user whose lockout would stop detection (the worker): failures under its name then block only
   * the address and the pair, never the name everywhere, so a guesser cannot keep a restarted worker out.
   */
  readonly lockableName: boolean;
}

export interface Admission {
  /** Ms until this login may be checked, during which it is refused outright (and counted as a failure); 0 = check it now. */
  readonly blockedForMs: number;
  /**
   * Call once the password was checked (only when admitted): a success clears the records that were asked and trusts
   * this address for the user, a failure extends them; undefined (the check itself failed) only ends the check.
   */
  settle(ok: boolean | undefined): void;
}

export interface AuthThrottle {
  begin(attempt: LoginAttempt): Admission;
}

interface KeyRecord {
  failures: number;
  until: number;
  /** Checks admitted and not settled yet. */
  pending: number;
}

export function createAuthThrottle(options: AuthThrottleOptions): AuthThrottle {
  const now = options.now ?? (() => performance.now());
  const maxKeys = options.maxKeys ?? 10_000;
  const records = new Map<string, KeyRecord>();
  // Pairs that logged in successfully: only a right password adds one, so a guesser cannot push them out.
  const trusted = new Map<string, true>();
  const delayAfter = (failures: number) =>
    failures <= options.freeFailures ? 0 : Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.min(failures - options.freeFailures - 1, 30));

  const touch = <V>(map: Map<string, V>, key: string, value: V) => {
    map.delete(key);
    map.set(key, value);
    if (map.size > maxKeys) map.delete(map.keys().next().value as string);
  };
  const recordOf = (key: string, t: number): KeyRecord => {
    const record = records.get(key) ?? { failures: 0, until: 0, pending: 0 };
    // Long after its last delay a key starts afresh.
    if (record.until > 0 && t - record.until > options.maxDelayMs) {
      record.failures = 0;
      record.until = 0;
    }
    return record;
  };
  const waitFor = (key: string, t: number): number => {
    const record = records.get(key);
    if (record === undefined) return 0;
    if (record.until > t) return Math.ceil(record.until - t);
    // Out of its delay: as many checks at once as it has free failures left, one once it has none.
    const budget = Math.max(1, options.freeFailures - record.failures);
    return record.pending >= budget ? options.baseDelayMs : 0;
  };
  const fail = (keys: readonly string[], t: number) => {
    for (const key of keys) {
      const record = recordOf(key, t);
      record.failures += 1;
      record.until = t + delayAfter(record.failures);
      touch(records, key, record);
    }
  };

  return {
    begin({ username, address, knownUser, lockableName }) {
      const t = now();
      const pair = `pair:${address} ${username}`;
      const user = `user:${username}`;
      const addressKey = `address:${address}`;
      const keys = lockableName ? [pair, user, addressKey] : [pair, addressKey];
      const pairWait = waitFor(pair, t);
      const fromTrusted = trusted.has(pair);
      const userWait = fromTrusted || !lockableName ? 0 : waitFor(user, t);
      const addressWait = knownUser && pairWait === 0 && userWait === 0 ? 0 : waitFor(addressKey, t);
      const blockedForMs = Math.max(pairWait, userWait, addressWait);
      if (blockedForMs > 0) {
        fail(keys, t);
        return { blockedForMs, settle: () => undefined };
      }
      for (const key of keys) {
        const record = recordOf(key, t);
        record.pending += 1;
        touch(records, key, record);
      }
      let settled = false;
      return {
        blockedForMs: 0,
        settle(ok) {
          if (settled) return;
          settled = true;
          for (const key of keys) {
            const record = records.get(key);
            if (record === undefined) continue;
            record.pending = Math.max(0, record.pending - 1);
            if (record.pending === 0 && record.failures === 0) records.delete(key);
          }
          if (ok === undefined) return;
          if (!ok) return fail(keys, now());
          records.delete(pair);
          // From a trusted address the user name's record was not asked: failures elsewhere stand.
          if (!fromTrusted) records.delete(user);
          touch(trusted, pair, true);
        },
      };
    },
  };
}
