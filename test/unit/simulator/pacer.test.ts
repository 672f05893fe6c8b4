import { createPacer, tickIntervalMs } from '../../../src/simulator/pacer.js';

describe('pacer', () => {
  it('when ticks are irregular, then the total follows the rate and the start time', () => {
    const pacer = createPacer({ ratePerSecond: 200, startMs: 1000 });
    let total = 0;
    for (const now of [1003, 1017, 1100, 1101, 1350, 1777, 2000]) total += pacer.take(now).due;
    expect(total).toBe(200);
  });

  it('when the rate is fractional, then readings arrive on schedule', () => {
    const pacer = createPacer({ ratePerSecond: 0.5, startMs: 0 });
    expect(pacer.take(0).due).toBe(0);
    expect(pacer.take(1).due).toBe(1);
    expect(pacer.take(2000).due).toBe(0);
    expect(pacer.take(2001).due).toBe(1);
  });

  it('when slots are taken, then they are consecutive and each is due at its share of the second', () => {
    const pacer = createPacer({ ratePerSecond: 4, startMs: 10_000 });
    expect(pacer.take(10_600)).toEqual({ first: 0, due: 3, dropped: 0 });
    expect(pacer.take(11_000)).toEqual({ first: 3, due: 1, dropped: 0 });
    expect([0, 1, 2, 3, 4].map(pacer.slotTime)).toEqual([10_000, 10_250, 10_500, 10_750, 11_000]);
  });

  it('when the process stalls, then the backlog beyond one second is dropped, not burst', () => {
    const pacer = createPacer({ ratePerSecond: 100, startMs: 0 });
    expect(pacer.take(5000)).toEqual({ first: 400, due: 100, dropped: 400 });
    expect(pacer.take(5010)).toEqual({ first: 500, due: 1, dropped: 0 });
    expect(pacer.take(5011)).toEqual({ first: 501, due: 1, dropped: 0 });
  });

  it('when the time scale is 60, then readings are due 60 times as often and stamped a simulated minute per wall-clock second', () => {
    const pacer = createPacer({ ratePerSecond: 2, startMs: 10_000, timeScale: 60 });
    expect(pacer.take(11_000)).toEqual({ first: 0, due: 120, dropped: 0 });
    // Slot 120 is a simulated minute after the start: 2 readings a second.
    expect([0, 1, 120].map(pacer.slotTime)).toEqual([10_000, 10_500, 70_000]);
    expect(pacer.simulatedTime(11_000)).toBe(70_000);
    expect(pacer.slotTime(119)).toBeLessThan(pacer.simulatedTime(11_000));
  });

  it('when the time scale is 1, then simulated time is the wall clock', () => {
    const pacer = createPacer({ ratePerSecond: 4, startMs: 10_000 });
    expect(pacer.simulatedTime(12_345)).toBe(12_345);
  });

  it.each([0, -1, Number.NaN])('when the time scale is %p, then it throws', (timeScale) => {
    expect(() => createPacer({ ratePerSecond: 4, startMs: 0, timeScale })).toThrow(/timeScale/);
  });

  it('when time goes backwards, then nothing is due', () => {
    const pacer = createPacer({ ratePerSecond: 100, startMs: 0 });
    pacer.take(1000);
    expect(pacer.take(900)).toEqual({ first: 100, due: 0, dropped: 0 });
  });

  it.each([
    [0.1, 100],
    [5, 100],
    [50, 20],
    [100_000, 10],
  ])('when the total rate is %p/s, then the timer ticks every %i ms', (rate, ms) => {
    expect(tickIntervalMs(rate)).toBe(ms);
  });
});
