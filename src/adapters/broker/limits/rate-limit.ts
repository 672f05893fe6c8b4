/**
 * Per-client publish rate limit: a token bucket per connection that refills
 * at `perSecond` up to `burst`, so a device may catch up after a short gap
 * but cannot sustain more than the rate.
 */

export interface RateLimit {
  /** Sustained messages per second. */
  readonly perSecond: number;
  /** Messages that may arrive back to back; at least 1. */
  readonly burst: number;
}

export class TokenBucket {
  private tokens: number;
  private at: number;

  constructor(
    private readonly limit: RateLimit,
    now: number,
  ) {
    this.tokens = limit.burst;
    this.at = now;
  }

  /** Takes one token if there is one; `now` in milliseconds from a monotonic clock. */
  take(now: number): boolean {
    const elapsed = Math.max(0, now - this.at);
    this.tokens = Math.min(this.limit.burst, this.tokens + (elapsed / 1000) * this.limit.perSecond);
    this.at = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

export interface RateLimiter {
  /** True when `key` (a client) may publish one more message now. */
  allow(key: object): boolean;
}

export function createRateLimiter(limit: RateLimit, now: () => number = () => performance.now()): RateLimiter {
  if (!(Number.isFinite(limit.perSecond) && limit.perSecond > 0)) throw new RangeError(`perSecond must be a positive number, got ${limit.perSecond}`);
  if (!(Number.isFinite(limit.burst) && limit.burst >= 1)) throw new RangeError(`burst must be at least 1, got ${limit.burst}`);
  // Keyed on the client object: the bucket goes when the connection does.
  const buckets = new WeakMap<object, TokenBucket>();
  return {
    allow(key) {
      let bucket = buckets.get(key);
      if (bucket === undefined) {
        bucket = new TokenBucket(limit, now());
        buckets.set(key, bucket);
      }
      return bucket.take(now());
    },
  };
}
