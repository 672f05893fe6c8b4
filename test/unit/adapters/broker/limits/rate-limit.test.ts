import { createRateLimiter, TokenBucket } from '../../../../../src/adapters/broker/limits/rate-limit.js';

describe('publish rate limit', () => {
  it('when a burst is spent, then further messages wait for the refill', () => {
    const bucket = new TokenBucket({ perSecond: 2, burst: 3 }, 0);
    expect([bucket.take(0), bucket.take(0), bucket.take(0), bucket.take(0)]).toEqual([true, true, true, false]);
    expect(bucket.take(400)).toBe(false); // 0.8 token
    expect(bucket.take(500)).toBe(true); // 1 token after 500 ms at 2/s
    expect(bucket.take(500)).toBe(false);
  });

  it('when idle for long, then it refills no further than the burst', () => {
    const bucket = new TokenBucket({ perSecond: 10, burst: 2 }, 0);
    const taken = [0, 1, 2, 3].map(() => bucket.take(60_000));
    expect(taken).toEqual([true, true, false, false]);
  });

  it('keeps one bucket per client', () => {
    let now = 0;
    const limiter = createRateLimiter({ perSecond: 1, burst: 1 }, () => now);
    const a = {};
    const b = {};
    expect([limiter.allow(a), limiter.allow(a), limiter.allow(b)]).toEqual([true, false, true]);
    now = 1000;
    expect(limiter.allow(a)).toBe(true);
  });

  it.each([
    [{ perSecond: 0, burst: 1 }],
    [{ perSecond: 1, burst: 0.5 }],
    [{ perSecond: Number.NaN, burst: 1 }],
  ])('refuses the limit %j', (limit) => {
    expect(() => createRateLimiter(limit)).toThrow(RangeError);
  });
});
