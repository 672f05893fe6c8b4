import { decide } from '../../../../src/core/stages/decide.js';
import type { FeatureStats } from '../../../../src/core/model/types.js';

const stats: FeatureStats[] = [
  { mean: 25, sd: 1, min: 21, max: 29, median: 25 },
  { mean: 50, sd: 2, min: 42, max: 58, median: 50 },
  { mean: 60, sd: 0, min: 60, max: 60, median: 60 },
];

describe('decide', () => {
  it('when every sensor is inside the z limit, then the isolation score decides alone', () => {
    expect(decide(0.4, [26, 52, 60], stats, 0.6, 4.5)).toEqual({ score: 0.4, isAnomaly: false, maxZ: 1 });
    expect(decide(0.7, [26, 52, 60], stats, 0.6, 4.5)).toMatchObject({ score: 0.7, isAnomaly: true });
  });

  it('when a sensor is at the z limit, then the score is the threshold and it is an anomaly', () => {
    const d = decide(0.3, [29.5, 50, 60], stats, 0.6, 4.5);
    expect(d.maxZ).toBeCloseTo(4.5);
    expect(d.score).toBeCloseTo(0.6);
    expect(d.isAnomaly).toBe(true);
  });

  it('when a sensor is further out, then the score keeps rising towards 1 (no saturation)', () => {
    const scores = [30, 40, 90, 1000].map((t) => decide(0.58, [t, 50, 60], stats, 0.6, 4.5).score);
    for (let i = 1; i < scores.length; i++) expect(scores[i]!).toBeGreaterThan(scores[i - 1]!);
    expect(scores[scores.length - 1]!).toBeLessThan(1);
  });

  it('when the z limit is 0, then the guard is off', () => {
    expect(decide(0.58, [90, 50, 60], stats, 0.6, 0)).toMatchObject({ score: 0.58, isAnomaly: false });
  });

  it('when a feature was constant in training, then it is skipped rather than dividing by zero', () => {
    expect(decide(0.2, [25, 50, 61], stats, 0.6, 4.5)).toEqual({ score: 0.2, isAnomaly: false, maxZ: 0 });
  });
});
