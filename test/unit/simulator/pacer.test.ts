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
    expect(pacer.take(1999).due).toBe(0);
    expect(pacer.take(2000).due).toBe(1);
    expect(pacer.take(3999).due).toBe(0);
    expect(pacer.take(4000).due).toBe(1);
  });

  it('when the process stalls, then the backlog beyond one second is dropped, not burst', () => {
    const pacer = createPacer({ ratePerSecond: 100, startMs: 0 });
    expect(pacer.take(5000)).toEqual({ due: 100, dropped: 400 });
    expect(pacer.take(5010)).toEqual({ due: 1, dropped: 0 });
  });

  it('when time goes backwards, then nothing is due', () => {
    const pacer = createPacer({ ratePerSecond: 100, startMs: 0 });
    pacer.take(1000);
    expect(pacer.take(900)).toEqual({ due: 0, dropped: 0 });
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
