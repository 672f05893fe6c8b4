import { trainModel } from '../../../../src/core/model/train.js';
import { baseOptions, ENGINE_NAMES, normalRows } from './data.js';

describe('training input validation', () => {
  const good = normalRows(10);

  it.each([
    ['no rows', [], /training data is empty/],
    ['a NaN', [...good, [25, NaN, 60]], /row 10, column 1 \(humidity\) is NaN/],
    ['an Infinity', [[Infinity, 50, 60], ...good], /row 0, column 0 \(temperature\) is Infinity/],
    ['a -Infinity', [...good.slice(0, 3), [25, 50, -Infinity]], /row 3, column 2 \(sound\) is -Infinity/],
    ['a short row', [...good.slice(0, 5), [25, 50]], /row 5 has 2 values, expected 3/],
    ['a long row', [...good.slice(0, 2), [25, 50, 60, 1]], /row 2 has 4 values, expected 3/],
    ['a string', [...good.slice(0, 4), [25, '50', 60] as unknown as number[]], /row 4, column 1 \(humidity\) is "50"/],
    ['a null row', [...good.slice(0, 1), null as unknown as number[]], /row 1 is not an array/],
    ['rows narrower than the feature list', [[1, 2]], /row 0 has 2 values but 3 features are named/],
  ])('when the rows contain %s, then training fails naming the problem', (_name, rows, message) => {
    for (const engine of ENGINE_NAMES) {
      expect(() => trainModel(rows as number[][], { ...baseOptions, engine })).toThrow(message);
    }
  });

  it.each([
    ['0 trees', { trees: 0 }, /trees must be an integer/],
    ['a fractional sample size', { sampleSize: 2.5 }, /sampleSize must be a positive integer/],
    ['a NaN seed', { seed: NaN }, /seed must be an integer/],
    ['contamination 0', { contamination: 0 }, /contamination must be in \(0, 0.5\]/],
    ['a threshold of 1', { threshold: 1 }, /threshold must be in \(0, 1\)/],
    ['duplicate features', { features: ['a', 'a', 'b'] }, /names must be unique/],
    ['an unknown engine', { engine: 'forest' as 'native' }, /unknown engine "forest"/],
  ])('when the options have %s, then training fails naming it', (_name, change, message) => {
    expect(() => trainModel(good, { ...baseOptions, ...change })).toThrow(message);
  });
});

describe('scoring input validation', () => {
  const model = trainModel(normalRows(300), baseOptions);

  it.each([
    ['a NaN', [25, NaN, 60], /humidity\) is NaN/],
    ['an Infinity', [25, 50, Infinity], /sound\) is Infinity/],
    ['two values', [25, 50], /has 2 values, expected 3 \(temperature, humidity, sound\)/],
    ['four values', [25, 50, 60, 1], /has 4 values, expected 3/],
    ['undefined', undefined as unknown as number[], /has no array, expected 3/],
  ])('when the row has %s, then score and explain throw a clear error', (_name, row, message) => {
    expect(() => model.score(row)).toThrow(message);
    expect(() => model.explain(row)).toThrow(message);
  });

  it('when a batch holds a NaN, then scoreBatch names its row and column', () => {
    const rows = Float64Array.from([25, 50, 60, 25, 50, NaN]);
    expect(() => model.scoreBatch(rows, 2, new Float64Array(2))).toThrow(/batch row 1, column 2 is NaN/);
  });

  it('when the batch or output is shorter than n rows, then scoreBatch refuses', () => {
    expect(() => model.scoreBatch(new Float64Array(5), 2, new Float64Array(2))).toThrow(/expected 2 rows x 3 = 6/);
    expect(() => model.scoreBatch(new Float64Array(6), 2, new Float64Array(1))).toThrow(/output buffer holds 1/);
  });
});
