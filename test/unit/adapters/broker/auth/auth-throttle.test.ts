import { createAuthThrottle, type LoginAttempt } from '../../../../../src/adapters/broker/auth/auth-throttle.js';

const options = { freeFailures: 2, baseDelayMs: 1000, maxDelayMs: 8000 };

function setup() {
  const clock = { t: 0 };
  const throttle = createAuthThrottle({ ...options, now: () => clock.t });
  /** One login that is checked (if admitted) and comes out `ok`; the wait it got. */
  const attempt = (login: LoginAttempt, ok: boolean): number => {
    const admission = throttle.begin(login);
    if (admission.blockedForMs === 0) admission.settle(ok);
    return admission.blockedForMs;
  };
  return { clock, throttle, attempt };
}

const guesser = { username: 'line1', address: '10.0.0.66', knownUser: true, lockableName: true };

describe('login throttle (issue 10)', () => {
  it('when a user name keeps failing, then it is refused for a delay that doubles with each attempt, and a success clears it', () => {
    const { clock, attempt } = setup();
    expect(attempt(guesser, false)).toBe(0);
    expect(attempt(guesser, false)).toBe(0);
    expect(attempt(guesser, false)).toBe(0); // the third failure starts the first delay
    expect(attempt(guesser, false)).toBe(1000); // refused outright; counts as the fourth failure
    clock.t += 2000;
    expect(attempt(guesser, false)).toBe(0);
    expect(attempt(guesser, true)).toBe(4000); // even the right password, and the delay doubles again
    clock.t += 8000;
    expect(attempt(guesser, true)).toBe(0);
    expect(attempt(guesser, false)).toBe(0);
  });

  it('when many checks run at once, then only as many as there are free failures are admitted', () => {
    const { throttle } = setup();
    const admitted = Array.from({ length: 16 }, () => throttle.begin(guesser)).filter((a) => a.blockedForMs === 0);
    expect(admitted).toHaveLength(2);
    for (const a of admitted) a.settle(false);
    expect(throttle.begin(guesser).blockedForMs).toBeGreaterThan(0);
  });

  it('when a check itself fails (no verdict), then it frees its place without counting a failure', () => {
    const { throttle, attempt } = setup();
    for (let i = 0; i < 5; i++) throttle.begin(guesser).settle(undefined);
    expect(attempt(guesser, false)).toBe(0);
    expect(attempt(guesser, false)).toBe(0);
  });

  it("when an address guesses a user's password, then that user still logs in from an address it used before, but not from a new one", () => {
    const { attempt } = setup();
    const device = { username: 'line1', address: '10.0.0.5', knownUser: true, lockableName: true };
    expect(attempt(device, true)).toBe(0);
    const attacker = { ...device, address: '10.0.0.66' };
    for (let i = 0; i < 3; i++) attempt(attacker, false);
    expect(attempt(attacker, true)).toBeGreaterThan(0);
    expect(attempt(device, true)).toBe(0);
    expect(attempt({ ...device, address: '10.0.0.7' }, true)).toBeGreaterThan(0);
  });

  it("when an address guesses the worker's password, then the worker logs in from any other address, even a new one", () => {
    const { attempt } = setup();
    const worker = { username: 'worker', address: '10.0.0.66', knownUser: true, lockableName: false };
    for (let i = 0; i < 3; i++) attempt(worker, false);
    expect(attempt(worker, true)).toBeGreaterThan(0);
    expect(attempt({ ...worker, address: '10.0.0.7' }, true)).toBe(0);
  });

  it('when an address keeps failing, then unknown and failing names from it are refused, while a known user in good standing is not', () => {
    const { attempt } = setup();
    for (const username of ['root', 'admin', 'guest']) attempt({ username, address: '10.0.0.66', knownUser: false, lockableName: true }, false);
    expect(attempt({ username: 'other', address: '10.0.0.66', knownUser: false, lockableName: true }, false)).toBeGreaterThan(0);
    expect(attempt({ username: 'line2', address: '10.0.0.66', knownUser: true, lockableName: true }, true)).toBe(0);
    expect(attempt({ username: 'root', address: '10.0.0.1', knownUser: false, lockableName: true }, false)).toBe(0);
  });

  it('when a key has been quiet for longer than the longest delay, then it starts afresh', () => {
    const { clock, attempt } = setup();
    for (let i = 0; i < 3; i++) attempt(guesser, false);
    clock.t += 1000 + options.maxDelayMs + 1;
    expect(attempt(guesser, false)).toBe(0);
    expect(attempt(guesser, false)).toBe(0);
    expect(attempt(guesser, false)).toBe(0);
    expect(attempt(guesser, false)).toBe(1000);
  });
});
