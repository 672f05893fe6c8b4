import { IsolationForest } from 'ml-isolation-forest';
import { createRandom } from '../../../../src/support/random.js';
import { compileForest } from '../../../../src/core/model/compiled-forest.js';
import { scoreCompiled } from '../../../../src/core/model/compiled-score.js';
import { trainMlForest, withSeededMathRandom } from '../../../../src/core/model/ml-engine.js';
import { trainModel } from '../../../../src/core/model/train.js';
import { toMatrix } from '../../../../src/core/model/validate.js';
import { baseOptions, normalRows } from './data.js';

const ml = { ...baseOptions, engine: 'ml-isolation-forest' as const };

describe('the library itself (why the adapter exists)', () => {
  it('when an instance is trained a second time, then predict ignores the new trees', () => {
    const lib = new IsolationForest({ nEstimators: 5 });
    lib.train(normalRows(64, 1));
    const first = lib.forest.slice(0, 5);
    lib.train(normalRows(64, 2));
    expect(lib.forest).toHaveLength(10);
    expect(lib.forest.slice(0, 5)).toEqual(first);
  });

  it('when the first row holds a NaN, then it silently returns distorted scores', () => {
    const rows = normalRows(200);
    const scoresAfter = (training: number[][]) => {
      const lib = new IsolationForest({ nEstimators: 50 });
      withSeededMathRandom(createRandom(3), () => lib.train(training));
      return lib.predict(rows.slice(0, 50));
    };
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    // A NaN max makes the split NaN: no row goes either way and the tree ends at once.
    const poisoned = scoresAfter([[NaN, 50, 60], ...rows]);
    expect(poisoned.every(Number.isFinite)).toBe(true);
    expect(mean(poisoned)).toBeGreaterThan(mean(scoresAfter(rows)) + 0.1);
  });

  it('when trained, then it keeps a reference to the caller’s array', () => {
    const rows = normalRows(16);
    const lib = new IsolationForest({ nEstimators: 1 });
    lib.train(rows);
    expect(lib.trainingSet).toBe(rows);
  });
});

describe('ml-isolation-forest adapter', () => {
  const rows = normalRows(1000);

  it('when a second model is trained on other data, then it is a new model reflecting that data', () => {
    const first = trainModel(rows, ml);
    // Shifted by +10 °C: what was normal for the first model is anomalous for the second.
    const second = trainModel(
      rows.map(([t, h, s]) => [t! + 10, h!, s!]),
      ml,
    );
    expect(second).not.toBe(first);
    expect(second.info.id).not.toBe(first.info.id);
    expect(second.score([25, 50, 60])).toBeGreaterThan(first.score([25, 50, 60]));
    expect(second.score([35, 50, 60])).toBeLessThan(first.score([35, 50, 60]));
  });

  it('when training, then the caller’s rows are neither mutated nor kept', () => {
    const mine = normalRows(300);
    const snapshot = JSON.parse(JSON.stringify(mine));
    const model = trainModel(mine, ml);
    expect(mine).toEqual(snapshot);
    const probe = [27, 53, 58];
    const before = model.score(probe);
    for (const row of mine) row.fill(1e6);
    expect(model.score(probe)).toBe(before);
  });

  it('when a row holds NaN, then training is refused before the library sees it', () => {
    expect(() => trainModel([...rows.slice(0, 10), [25, NaN, 60]], ml)).toThrow(/row 10, column 1 \(humidity\) is NaN/);
  });

  it('when the same seed is used, then the model is the same; another seed gives another', () => {
    const a = trainModel(rows, ml);
    const b = trainModel(rows, ml);
    const c = trainModel(rows, { ...ml, seed: 8 });
    expect(Array.from(a.compiled.split)).toEqual(Array.from(b.compiled.split));
    expect(Array.from(a.compiled.split)).not.toEqual(Array.from(c.compiled.split));
  });

  it('when training is done, then Math.random is the real one again, even after a throw', () => {
    const original = Math.random;
    trainModel(rows.slice(0, 50), ml);
    expect(Math.random).toBe(original);
    expect(() => withSeededMathRandom(createRandom(1), () => {
      throw new Error('boom');
    })).toThrow('boom');
    expect(Math.random).toBe(original);
  });

  it('when ψ >= n, then the compiled scores equal what the library computes with the same random sequence', () => {
    const data = normalRows(200, 4);
    const forest = compileForest(trainMlForest(toMatrix(data), { trees: 25, sampleSize: 256, seed: 5 }));
    const lib = new IsolationForest({ nEstimators: 25 });
    withSeededMathRandom(createRandom(5), () => lib.train(data.map((r) => [...r])));
    const probes = [...normalRows(50, 9), [40, 80, 90], [0, 0, 0]];
    const expected = lib.predict(probes);
    probes.forEach((p, i) => expect(scoreCompiled(forest, Float64Array.from(p))).toBe(expected[i]));
  });

  it('when ψ < n, then each tree is grown on ψ rows and normalised by the library’s c(ψ)', () => {
    const forest = trainMlForest(toMatrix(rows), { trees: 10, sampleSize: 64, seed: 5 });
    const leafSizes = (node: (typeof forest.trees)[number]): number =>
      node.kind === 'leaf' ? node.size : leafSizes(node.left) + leafSizes(node.right);
    for (const tree of forest.trees) expect(leafSizes(tree)).toBe(64);
    expect(forest.normalizer).toBeCloseTo(2 * Math.log(63) + 0.57721 - (2 * 63) / 64, 12);
  });
});
