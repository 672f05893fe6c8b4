import { compileForest, type CompiledForest } from '../../../../src/core/model/compiled-forest.js';
import { scoreBatchCompiled, scoreCompiled } from '../../../../src/core/model/compiled-score.js';
import { trainMlForest } from '../../../../src/core/model/ml-engine.js';
import { scoreObjectForest, trainNativeForest } from '../../../../src/core/model/native-forest.js';
import { toMatrix } from '../../../../src/core/model/validate.js';
import type { ObjectForest } from '../../../../src/core/model/itree.js';
import { normalRows } from './data.js';

const training = toMatrix([...normalRows(1500), [40, 80, 90], [10, 20, 30]]);
// Probes inside, at the edge of and far outside the training range, plus exact training rows (ties with splits).
const probes = [...normalRows(300, 11), [40, 80, 90], [-1e9, 1e9, 0], [25, 50, 60], ...normalRows(20)];

const forests: [string, ObjectForest][] = [
  ['native, ψ = 256', trainNativeForest(training, { trees: 37, sampleSize: 256, seed: 1 })],
  ['native, ψ = 5', trainNativeForest(training, { trees: 10, sampleSize: 5, seed: 2 })],
  ['native, 1 row', trainNativeForest(toMatrix([[1, 2, 3]]), { trees: 3, sampleSize: 256, seed: 2 })],
  ['ml-isolation-forest, ψ = 256', trainMlForest(training, { trees: 21, sampleSize: 256, seed: 3 })],
];

function layouts(forest: ObjectForest): [string, CompiledForest][] {
  // maxCompleteDepth 0 forces the linked layout on the same trees.
  return [
    ['complete', compileForest(forest)],
    ['linked', compileForest(forest, 0)],
  ];
}

describe.each(forests)('compiled scoring of %s', (_name, forest) => {
  describe.each(layouts(forest))('in the %s layout', (layout, compiled) => {
    it('when scoring one row at a time, then it equals the object-tree scorer exactly', () => {
      expect(compiled.layout).toBe(layout === 'linked' && forest.trees.every((t) => t.kind === 'leaf') ? 'complete' : layout);
      for (const p of probes) expect(scoreCompiled(compiled, Float64Array.from(p))).toBe(scoreObjectForest(forest, p));
    });

    it('when scoring a batch (not a multiple of 8, over several blocks), then it equals single scoring exactly', () => {
      const n = 777;
      const rows = Float64Array.from(Array.from({ length: n }, (_, r) => probes[r % probes.length]!).flat());
      const out = scoreBatchCompiled(compiled, rows, n, new Float64Array(n).fill(-1));
      for (let r = 0; r < n; r++) expect(out[r]).toBe(scoreCompiled(compiled, rows.subarray(r * 3, r * 3 + 3)));
    });
  });
});

describe('the complete layout', () => {
  it('when a tree stops early, then its slots below are pass-through splits (+Infinity) and its value sits in the leftmost leaf', () => {
    const forest: ObjectForest = {
      dims: 1,
      normalizer: 1,
      trees: [
        {
          kind: 'split',
          feature: 0,
          split: 5,
          left: { kind: 'leaf', depth: 1, size: 1, value: 1 },
          right: {
            kind: 'split',
            feature: 0,
            split: 8,
            left: { kind: 'leaf', depth: 2, size: 1, value: 2 },
            right: { kind: 'leaf', depth: 2, size: 1, value: 3 },
          },
        },
      ],
    };
    const compiled = compileForest(forest);
    if (compiled.layout !== 'complete') throw new Error('expected the complete layout');
    expect(compiled.depth).toBe(2);
    expect(Array.from(compiled.split)).toEqual([5, Infinity, 8]);
    expect(Array.from(compiled.leaf)).toEqual([1, 0, 2, 3]);
    expect([4, 5, 7, 8, 9].map((x) => scoreCompiled(compiled, Float64Array.of(x)))).toEqual(
      [4, 5, 7, 8, 9].map((x) => scoreObjectForest(forest, [x])),
    );
  });
});
