import { featureStats } from '../../../../src/core/model/stats.js';
import { trainModel } from '../../../../src/core/model/train.js';
import { toMatrix } from '../../../../src/core/model/validate.js';
import { baseOptions, normalRows } from './data.js';

describe('trainModel', () => {
  const rows = normalRows(500);
  const now = () => new Date('2024-03-04T05:06:07.089Z');

  it('when trained, then info describes the model', () => {
    const model = trainModel(rows, { ...baseOptions, version: 4, now });
    expect(model.info).toEqual({
      id: expect.stringMatching(/^native-[0-9a-f]{8}$/),
      version: 4,
      engine: 'native',
      trees: 100,
      sampleSize: 256,
      seed: 7,
      features: ['temperature', 'humidity', 'sound'],
      trainingSize: 500,
      trainedAt: '2024-03-04T05:06:07.089Z',
    });
    expect(model.compiled.trees).toBe(100);
    expect(Object.isFrozen(model.info)).toBe(true);
  });

  it('when only the data changes, then the id changes; same data and settings give the same id', () => {
    const a = trainModel(rows, baseOptions).info.id;
    expect(trainModel(rows, { ...baseOptions, now }).info.id).toBe(a);
    const changed = rows.map((r) => [...r]);
    changed[100]![1]! += 1e-9;
    expect(trainModel(changed, baseOptions).info.id).not.toBe(a);
    expect(trainModel(rows, { ...baseOptions, engine: 'ml-isolation-forest' }).info.id).toMatch(/^ml-isolation-forest-/);
  });

  it('when trained, then the stats are the training mean, population sd, min, max and median', () => {
    const model = trainModel(
      [
        [1, 10, 5],
        [2, 20, 5],
        [3, 30, 5],
        [10, 40, 5],
      ],
      baseOptions,
    );
    expect(model.stats[0]).toEqual({ mean: 4, sd: Math.sqrt((9 + 4 + 1 + 36) / 4), min: 1, max: 10, median: 2.5 });
    expect(model.stats[1]!.median).toBe(25);
    expect(model.stats[2]).toEqual({ mean: 5, sd: 0, min: 5, max: 5, median: 5 });
    expect(featureStats(toMatrix([[3], [1], [2]]))[0]!.median).toBe(2);
  });

  it('when given typed-array rows, then they train the same model as plain arrays', () => {
    const typed = rows.map((r) => Float64Array.from(r));
    const a = trainModel(rows, baseOptions);
    const b = trainModel(typed, baseOptions);
    expect(b.info.id).toBe(a.info.id);
    expect(b.score(Float64Array.of(27, 52, 58))).toBe(a.score([27, 52, 58]));
  });

  it('when scoring a batch, then the results equal one-at-a-time scores', () => {
    const model = trainModel(rows, baseOptions);
    const probes = normalRows(45, 3);
    const out = model.scoreBatch(Float64Array.from(probes.flat()), probes.length, new Float64Array(probes.length));
    expect(Array.from(out)).toEqual(probes.map((p) => model.score(p)));
  });
});
