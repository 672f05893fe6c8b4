import { elapsed, ewmaWeight, formatDuration, parseDuration } from '../../../../src/core/context/duration.js';

describe('durations', () => {
  it.each([
    ['10s', { ms: 10_000 }],
    ['5m', { ms: 300_000 }],
    ['1.5h', { ms: 5_400_000 }],
    ['2d', { ms: 172_800_000 }],
    ['1w', { ms: 604_800_000 }],
    ['100r', { readings: 100 }],
    ['inf', { ms: Infinity }],
  ])('when given %s, then it parses', (text, expected) => {
    expect(parseDuration(text)).toEqual(expected);
    expect(parseDuration(formatDuration(expected as never))).toEqual(expected);
  });

  it.each(['', '10', '10x', '-5s', '0r', 'soon'])('when given %j, then it says what is expected', (text) => {
    expect(parseDuration(text)).toMatch(/must be/);
  });

  it('when a half-life has passed, then the weight of the new value is one half; readings count one each whatever their spacing', () => {
    expect(ewmaWeight({ ms: 10_000 }, 10_000)).toBeCloseTo(0.5, 10);
    expect(ewmaWeight({ readings: 10 }, 123_456)).toBeCloseTo(1 - 2 ** -0.1, 10);
    expect(ewmaWeight({ ms: Infinity }, 1e9)).toBe(0);
    expect([elapsed({ ms: 30_000 }, 29_999, 99), elapsed({ ms: 30_000 }, 30_000, 0), elapsed({ readings: 3 }, 0, 3)]).toEqual([false, true, true]);
  });
});
