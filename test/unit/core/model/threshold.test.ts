import { chooseThreshold, quantile, thresholdFromContamination } from '../../../../src/core/model/threshold.js';
import { trainModel } from '../../../../src/core/model/train.js';
import { baseOptions, normalRows } from './data.js';

describe('quantile (linear interpolation between order statistics)', () => {
  it.each([
    [[1, 2, 3, 4, 5], 0, 1],
    [[1, 2, 3, 4, 5], 1, 5],
    [[5, 1, 4, 2, 3], 0.5, 3],
    [[1, 2, 3, 4], 0.5, 2.5],
    // position 0.9 * 4 = 3.6: 4 + 0.6 * (5 - 4)
    [[3, 1, 5, 2, 4], 0.9, 4.6],
    [[10, 20], 0.25, 12.5],
    [[7], 0.99, 7],
  ])('when the values are %j and q = %f, then the quantile is %f', (values, q, expected) => {
    expect(quantile(values, q)).toBeCloseTo(expected, 12);
  });

  it('when there are no values or q is outside [0, 1], then it throws', () => {
    expect(() => quantile([], 0.5)).toThrow(/no values/);
    expect(() => quantile([1], 1.5)).toThrow(/\[0, 1\], got 1.5/);
  });

  it('when given an array, then it does not reorder it', () => {
    const values = [3, 1, 2];
    quantile(values, 0.5);
    expect(values).toEqual([3, 1, 2]);
  });
});

describe('threshold calibration', () => {
  it('when the contamination is 1%, then the threshold is the 99th percentile of the scores', () => {
    const scores = Array.from({ length: 1001 }, (_, i) => i / 1000);
    expect(thresholdFromContamination(scores, 0.01)).toBeCloseTo(0.99, 12);
    expect(thresholdFromContamination(scores.reverse(), 0.1)).toBeCloseTo(0.9, 12);
  });

  it('when a fixed threshold is given, then it wins over contamination', () => {
    expect(chooseThreshold([0.1, 0.9], 0.01, 0.75)).toEqual({ threshold: 0.75, contamination: undefined });
    expect(chooseThreshold([0.1, 0.9], 0.5)).toEqual({ threshold: 0.5, contamination: 0.5 });
  });

  it.each([0, -0.1, 0.6, NaN])('when the contamination is %f, then it is rejected', (c) => {
    expect(() => thresholdFromContamination([0.5], c)).toThrow(/contamination must be in \(0, 0.5\]/);
  });

  it('when a model is trained with contamination c, then about c of its training rows score at or above the threshold', () => {
    const rows = normalRows(4000);
    for (const contamination of [0.005, 0.02, 0.1]) {
      const model = trainModel(rows, { ...baseOptions, contamination });
      const flagged = rows.filter((r) => model.score(r) >= model.threshold).length / rows.length;
      expect(model.contamination).toBe(contamination);
      expect(flagged).toBeGreaterThanOrEqual(contamination - 0.001);
      expect(flagged).toBeLessThanOrEqual(contamination + 0.001);
    }
  });

  it('when a model is trained with a fixed threshold, then it keeps it and records no contamination', () => {
    const model = trainModel(normalRows(300), { ...baseOptions, threshold: 0.66 });
    expect(model.threshold).toBe(0.66);
    expect(model.contamination).toBeUndefined();
  });
});
