import { explainRow, MAX_Z, zScore } from '../../../../src/core/model/explain.js';
import { trainModel } from '../../../../src/core/model/train.js';
import { baseOptions, ENGINE_NAMES, FEATURES3, normalRows } from './data.js';

const sum = (values: Record<string, number>) => Object.values(values).reduce((a, b) => a + b, 0);

describe('explain', () => {
  const rows = normalRows(3000);

  it.each(ENGINE_NAMES.flatMap((engine) => FEATURES3.map((feature, j) => [engine, feature, j] as const)))(
    'when %s sees %s pushed far out, then that sensor gets the largest share',
    (engine, feature, j) => {
      const model = trainModel(rows, { ...baseOptions, engine });
      const row = [25, 50, 60];
      row[j]! += j === 0 ? 12 : 25;
      const { contributions, zScores } = model.explain(row);
      const largest = Object.entries(contributions).sort((a, b) => b[1] - a[1])[0]![0];
      expect(largest).toBe(feature);
      expect(contributions[feature]).toBeGreaterThan(0.5);
      expect(sum(contributions)).toBeCloseTo(1, 12);
      expect(Math.abs(zScores[feature]!)).toBeGreaterThan(8);
    },
  );

  it('when explaining, then the z-scores use the training mean and sd', () => {
    const model = trainModel(rows, baseOptions);
    const { zScores } = model.explain([30, 50, 60]);
    const t = model.stats[0]!;
    expect(zScores.temperature).toBeCloseTo((30 - t.mean) / t.sd, 12);
    expect(Object.keys(zScores)).toEqual([...FEATURES3]);
  });

  it('when no feature lowers the score on reaching its median, then the shares follow |z|', () => {
    const stats = [
      { mean: 0, sd: 1, min: -3, max: 3, median: 0 },
      { mean: 10, sd: 2, min: 4, max: 16, median: 10 },
    ];
    const { contributions } = explainRow(() => 0.5, Float64Array.of(3, 12), stats, ['a', 'b']);
    // |z| = 3 and 1
    expect(contributions.a).toBeCloseTo(0.75, 12);
    expect(contributions.b).toBeCloseTo(0.25, 12);
  });

  it('when every z is 0 too, then the shares are equal', () => {
    const stats = [
      { mean: 0, sd: 1, min: -3, max: 3, median: 0 },
      { mean: 0, sd: 0, min: 0, max: 0, median: 0 },
    ];
    expect(explainRow(() => 0.5, Float64Array.of(0, 0), stats, ['a', 'b']).contributions).toEqual({ a: 0.5, b: 0.5 });
  });

  it('when only one feature occludes the anomaly, then it takes the whole share', () => {
    const stats = [0, 1].map(() => ({ mean: 0, sd: 1, min: -1, max: 1, median: 0 }));
    // The score is high only while feature 1 is away from 0.
    const score = (x: Float64Array) => (x[1] === 0 ? 0.4 : 0.9);
    expect(explainRow(score, Float64Array.of(5, 5), stats, ['a', 'b']).contributions).toEqual({ a: 0, b: 1 });
  });

  it.each([
    [5, { mean: 3, sd: 2 }, 1],
    [3, { mean: 3, sd: 0 }, 0],
    [4, { mean: 3, sd: 0 }, MAX_Z],
    [2, { mean: 3, sd: 0 }, -MAX_Z],
    [1e300, { mean: 0, sd: 1e-300 }, MAX_Z],
  ])('when the value is %f with %j, then z = %f (finite, capped)', (value, s, expected) => {
    expect(zScore(value, { ...s, min: 0, max: 0, median: 0 })).toBe(expected);
  });
});
