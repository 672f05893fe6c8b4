import { averagePathLength, mlAveragePathLength, scoreFromMeanPath } from '../../../../src/core/model/path-length.js';
import { trainNativeForest } from '../../../../src/core/model/native-forest.js';
import { treeDepth } from '../../../../src/core/model/itree.js';
import { toMatrix } from '../../../../src/core/model/validate.js';
import { trainModel } from '../../../../src/core/model/train.js';
import { baseOptions, ENGINE_NAMES, normalRows } from './data.js';

describe('c(n), the average path length', () => {
  it.each([
    [0, 0],
    [1, 0],
    [2, 1],
    // 2(ln 2 + γ) - 4/3
    [3, 2 * (Math.log(2) + 0.5772156649) - 4 / 3],
    [256, 2 * (Math.log(255) + 0.5772156649) - (2 * 255) / 256],
  ])('when n = %d, then c(n) = %f', (n, expected) => {
    expect(averagePathLength(n)).toBeCloseTo(expected, 12);
  });

  it('when ml-isolation-forest computes it, then γ is added once, not twice', () => {
    expect(averagePathLength(256) - mlAveragePathLength(256)).toBeCloseTo(0.5772156649 * 2 - 0.57721, 9);
  });

  it('when the mean path equals c(ψ), then the score is 0.5; shorter paths score higher', () => {
    expect(scoreFromMeanPath(averagePathLength(256), averagePathLength(256))).toBeCloseTo(0.5, 12);
    expect(scoreFromMeanPath(1, averagePathLength(256))).toBeGreaterThan(0.8);
    expect(scoreFromMeanPath(0, 0)).toBe(0.5);
  });
});

describe('native forest training', () => {
  const rows = normalRows(2000);

  it('when trained twice with the same seed and data, then the scores are identical', () => {
    const a = trainModel(rows, baseOptions);
    const b = trainModel(rows, baseOptions);
    const probes = normalRows(50, 99);
    expect(probes.map((p) => a.score(p))).toEqual(probes.map((p) => b.score(p)));
    expect(Array.from(a.compiled.split)).toEqual(Array.from(b.compiled.split));
    expect(a.info.id).toBe(b.info.id);
  });

  it('when the seed differs, then the model differs', () => {
    const a = trainModel(rows, baseOptions);
    const b = trainModel(rows, { ...baseOptions, seed: 8 });
    expect(Array.from(a.compiled.split)).not.toEqual(Array.from(b.compiled.split));
    const probe = [27, 55, 57];
    expect(a.score(probe)).not.toBe(b.score(probe));
    expect(a.info.id).not.toBe(b.info.id);
  });

  it('when trees grow on ψ = 256, then no tree is deeper than ceil(log2 256) = 8', () => {
    const forest = trainNativeForest(toMatrix(rows), { trees: 50, sampleSize: 256, seed: 3 });
    expect(forest.trees).toHaveLength(50);
    expect(Math.max(...forest.trees.map(treeDepth))).toBe(8);
    expect(forest.normalizer).toBeCloseTo(averagePathLength(256), 12);
  });

  it('when there are fewer rows than ψ, then ψ is the row count', () => {
    const forest = trainNativeForest(toMatrix(rows.slice(0, 40)), { trees: 20, sampleSize: 256, seed: 3 });
    expect(forest.normalizer).toBeCloseTo(averagePathLength(40), 12);
    expect(Math.max(...forest.trees.map(treeDepth))).toBeLessThanOrEqual(Math.ceil(Math.log2(40)));
  });

  it.each(ENGINE_NAMES)('when scoring anything with %s, then scores are in [0, 1]', (engine) => {
    const model = trainModel(rows, { ...baseOptions, engine });
    for (const probe of [...normalRows(200, 5), [1e6, -1e6, 0], [-1e300, 1e300, 60], [25, 50, 60]]) {
      const s = model.score(probe);
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThanOrEqual(1);
    }
  });

  // Far out on every axis: iForest scores saturate for a point beyond the training range on one axis only.
  it.each(ENGINE_NAMES)('when a few points lie far from the cluster, then %s scores them above every inlier', (engine) => {
    const outliers = [
      [32, 62, 72],
      [18, 38, 48],
      [32, 38, 72],
      [18, 62, 48],
    ];
    const model = trainModel([...rows, ...outliers], { ...baseOptions, engine });
    const inlierMax = Math.max(...rows.map((r) => model.score(r)));
    for (const o of outliers) expect(model.score(o)).toBeGreaterThan(inlierMax);
    expect(model.score([32, 62, 72])).toBeGreaterThanOrEqual(model.threshold);
  });
});

describe('degenerate training sets', () => {
  it('when every feature is constant, then the native engine scores everything 0.5 (no split is possible)', () => {
    const model = trainModel(Array.from({ length: 300 }, () => [1, 2, 3]), baseOptions);
    for (const p of [[1, 2, 3], [100, -5, 3], [0, 0, 0]]) expect(model.score(p)).toBeCloseTo(0.5, 12);
    expect(model.explain([100, 2, 3]).contributions.temperature).toBeCloseTo(1, 12);
  });

  it('when every feature is constant, then ml-isolation-forest still splits, isolating only points below the constant', () => {
    // Its rule: split = min = max, everything trained goes right, the left side stays empty.
    const model = trainModel(Array.from({ length: 300 }, () => [1, 2, 3]), { ...baseOptions, engine: 'ml-isolation-forest' });
    const [same, above, below] = [[1, 2, 3], [100, 50, 30], [0, 0, 0]].map((p) => model.score(p));
    for (const s of [same!, above!, below!]) expect(Number.isFinite(s)).toBe(true);
    expect(above).toBe(same);
    expect(below).toBeGreaterThan(same!);
  });

  it('when one feature is constant, then no split uses it', () => {
    const rows = normalRows(500).map(([t, h]) => [t!, h!, 60]);
    const model = trainModel(rows, baseOptions);
    const { feature, split } = model.compiled;
    const used = Array.from(feature).filter((_, i) => split[i] !== Infinity);
    expect(used.length).toBeGreaterThan(0);
    expect(used).not.toContain(2);
  });

  it.each([
    ['native', 1],
    ['native', 2],
    ['native', 3],
    ['ml-isolation-forest', 1],
    ['ml-isolation-forest', 2],
    ['ml-isolation-forest', 3],
  ] as const)('when %s trains on %d row(s), then it scores without NaN or throwing', (engine, count) => {
    const rows = normalRows(count);
    const model = trainModel(rows, { ...baseOptions, engine });
    for (const probe of [...rows, [0, 0, 0], [25, 50, 60]]) {
      const s = model.score(probe);
      expect(Number.isFinite(s)).toBe(true);
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThanOrEqual(1);
    }
    expect(Number.isFinite(model.threshold)).toBe(true);
    const shares = Object.values(model.explain([0, 0, 0]).contributions);
    expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('when trained on one row, then every score is the neutral 0.5 (nothing can be isolated)', () => {
    const model = trainModel([[1, 2, 3]], baseOptions);
    expect(model.score([1, 2, 3])).toBe(0.5);
    expect(model.score([9, 9, 9])).toBe(0.5);
  });
});
