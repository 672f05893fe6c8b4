import { betweenBlockShare, fitProfile } from '../../../../src/core/context/profile.js';
import { createRandom } from '../../../../src/support/random.js';

const OPTIONS = { drift: { block: { ms: 50_000 }, share: 0.25 }, flatline: { factor: 2, min: { ms: 60_000 } } };

describe('sensor profiles', () => {
  const random = createRandom(5);
  const times = Array.from({ length: 400 }, (_, i) => i * 1000);

  it('when a sensor wanders (a slow cycle) and another is noise, then the first drifts and the second is steady', () => {
    const rows = times.map((t) => [70 + 3 * Math.sin(t / 100_000) + 0.1 * random.gaussian(), 4 + 0.2 * random.gaussian()]);
    const [wandering, noisy] = fitProfile(rows, times, OPTIONS);
    expect(wandering!.drifting).toBe(true);
    expect(noisy!.drifting).toBe(false);
    expect(noisy!.mean).toBeCloseTo(4, 1);
    expect(noisy!.scale).toBeCloseTo(0.2, 1);
  });

  it('when a quantised sensor sat still in training, then its scale is floored at half its step, not zero', () => {
    const rows = times.map((_, i) => [i < 390 ? 32 : 33]);
    expect(fitProfile(rows, times, OPTIONS)[0]!.scale).toBeGreaterThanOrEqual(0.5);
  });

  it('when a sensor repeats values for at most 3 s in training, then it may sit still for 60 s (the minimum) before it is stuck', () => {
    const rows = times.map((_, i) => [Math.floor(i / 4)]);
    expect(fitProfile(rows, times, OPTIONS)[0]!.flatMs).toBe(60_000);
  });

  it('white noise has almost none of its variance between block means', () => {
    expect(betweenBlockShare(Float64Array.from({ length: 1000 }, () => random.gaussian()), 50)).toBeLessThan(0.1);
  });
});
