import { EventEmitter } from 'node:events';
import { createBackoff, reconnectWithBackoff, type ReconnectingClient } from '../../../../src/adapters/mqtt/backoff.js';

const fixed = (value: number) => () => value;

describe('createBackoff', () => {
  it.each([
    ['no jitter doubles from the initial delay up to the cap', 0, [500, 1000, 2000, 4000, 8000, 16000, 30000, 30000]],
    ['the largest jitter cuts every delay by the jitter share', 0.999999, [350, 700, 1400, 2800, 5600, 11200, 21000, 21000]],
  ])('when %s', (_name, random, expected) => {
    const backoff = createBackoff({ initialMs: 500, maxMs: 30_000, jitter: 0.3, random: fixed(random) });
    expect(expected.map(() => backoff.next())).toEqual(expected);
  });

  it('when delays are jittered at random, then each stays within (1 - jitter) x base .. base', () => {
    const backoff = createBackoff({ initialMs: 500, maxMs: 30_000 });
    for (let attempt = 0; attempt < 200; attempt++) {
      const base = Math.min(30_000, 500 * 2 ** attempt);
      const delay = backoff.next();
      expect(delay).toBeGreaterThanOrEqual(Math.round(base * 0.7));
      expect(delay).toBeLessThanOrEqual(base);
    }
  });

  it('when reset, then the next delay is the initial one again', () => {
    const backoff = createBackoff({ initialMs: 500, maxMs: 30_000, jitter: 0 });
    backoff.next();
    backoff.next();
    backoff.reset();
    expect(backoff.next()).toBe(500);
  });

  it.each([
    [{ initialMs: 0, maxMs: 10 }],
    [{ initialMs: 20, maxMs: 10 }],
    [{ initialMs: 1, maxMs: 10, factor: 0.5 }],
    [{ initialMs: 1, maxMs: 10, jitter: 1 }],
  ])('when given %j, then it refuses', (options) => {
    expect(() => createBackoff(options)).toThrow(RangeError);
  });
});

describe('reconnectWithBackoff', () => {
  function fakeClient(reconnectPeriod: number): ReconnectingClient & EventEmitter {
    return Object.assign(new EventEmitter(), { options: { reconnectPeriod } });
  }

  it('when attempts fail, then the period grows; when connected, it is back to the initial delay', () => {
    const client = fakeClient(1000);
    reconnectWithBackoff(client, createBackoff({ initialMs: 500, maxMs: 3000, jitter: 0 }));
    const periods = [client.options.reconnectPeriod];
    for (let i = 0; i < 4; i++) {
      client.emit('reconnect');
      periods.push(client.options.reconnectPeriod);
    }
    client.emit('connect');
    periods.push(client.options.reconnectPeriod);
    expect(periods).toEqual([500, 1000, 2000, 3000, 3000, 500]);
  });

  it('when reconnection is switched off (period 0), then it stays off', () => {
    const client = fakeClient(0);
    reconnectWithBackoff(client, createBackoff({ initialMs: 500, maxMs: 3000 }));
    client.emit('reconnect');
    expect(client.options.reconnectPeriod).toBe(0);
  });
});
