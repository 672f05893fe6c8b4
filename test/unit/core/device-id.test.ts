import { deviceIdProblem } from '../../../src/core/device-id.js';
import { createDeviceCap } from '../../../src/core/device-cap.js';
import { createRetainedLedger } from '../../../src/adapters/broker/limits/retained.js';
import { createAuthThrottle } from '../../../src/adapters/broker/auth/auth-throttle.js';

const rules = { pattern: /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\/[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/u };

describe('device ids (issue 10)', () => {
  it.each([
    ['dev1', /no line/],
    ['/dev1', /no line/],
    ['dev1/../dev2', /\.\. level/],
    ['line1/\uFFFDx', /not valid UTF-8/],
    ['line1/\uD800x', /not valid UTF-8/],
    ['line1/a b', /does not match/],
  ])('when the id is %j, then it is refused (%s)', (id, reason) => {
    expect(deviceIdProblem(id, rules)).toMatch(reason);
  });

  it('when the id is <line>/<device>, then it is accepted', () => {
    expect(deviceIdProblem('line1/press-3', rules)).toBeUndefined();
  });

  it('when a line invents more ids than its cap, then new ones are refused and known ones still pass', () => {
    const cap = createDeviceCap({ maxPerLine: 2, maxTotal: 3 });
    for (const id of ['l1/a', 'l1/b']) {
      expect(cap.refusal(id)).toBeUndefined();
      cap.record(id);
    }
    expect(cap.refusal('l1/c')).toMatch(/line l1 has its maximum of 2/);
    expect(cap.refusal('l1/a')).toBeUndefined();
    cap.record('l2/a');
    expect(cap.refusal('l3/a')).toMatch(/at most 3 device ids/);
  });
});

describe('retained ledger (issue 10)', () => {
  it('when retained messages exceed the bytes or per-owner caps, then they are refused, and clearing frees the room', () => {
    const ledger = createRetainedLedger({ maxCount: 10, maxBytes: 1000, maxPerOwner: 2 });
    expect(ledger.admit('dev', 't/1', 600)).toBeUndefined();
    expect(ledger.admit('dev', 't/2', 600)).toMatch(/exceed 1000 bytes/);
    expect(ledger.admit('dev', 't/2', 100)).toBeUndefined();
    expect(ledger.admit('dev', 't/3', 1)).toMatch(/dev holds its maximum of 2/);
    expect(ledger.admit('dev', 't/1', 0)).toBeUndefined();
    expect(ledger).toMatchObject({ count: 1, bytes: 100 });
    expect(ledger.admit('dev', 't/3', 800)).toBeUndefined();
  });
});

describe('login throttle (issue 10)', () => {
  it('when a key keeps failing, then it is blocked for a delay that doubles, and a success clears it', () => {
    let t = 0;
    const throttle = createAuthThrottle({ freeFailures: 2, baseDelayMs: 1000, maxDelayMs: 8000, now: () => t });
    throttle.failed(['user:a']);
    throttle.failed(['user:a']);
    expect(throttle.blockedFor(['user:a'])).toBe(0);
    throttle.failed(['user:a']);
    expect(throttle.blockedFor(['user:a'])).toBe(1000);
    throttle.failed(['user:a']);
    expect(throttle.blockedFor(['user:a'])).toBe(2000);
    expect(throttle.blockedFor(['user:b'])).toBe(0);
    t += 2000;
    throttle.succeeded('user:a');
    expect(throttle.blockedFor(['user:a'])).toBe(0);
  });
});
