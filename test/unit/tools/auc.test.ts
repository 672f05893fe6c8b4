import { rocAuc } from '../../../tools/eval/auc.js';

describe('rocAuc', () => {
  it.each([
    ['perfect ranking', [0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9], 1],
    ['reversed ranking', [1, 1, 0, 0], [0.1, 0.2, 0.8, 0.9], 0],
    // pairs (pos, neg): (0.8 > 0.1), (0.8 > 0.9)? no, (0.3 > 0.1), (0.3 > 0.9)? no -> 2 of 4
    ['half the pairs right', [1, 0, 1, 0], [0.8, 0.1, 0.3, 0.9], 0.5],
    ['all scores tied', [0, 1, 0, 1, 1], [0.5, 0.5, 0.5, 0.5, 0.5], 0.5],
    // positive 0.5 ties with one negative (1/2) and beats the other (1): 1.5 of 2
    ['one tie across classes', [1, 0, 0], [0.5, 0.5, 0.2], 0.75],
    // positives 0.7, 0.4; negatives 0.4, 0.4, 0.1: 0.7 beats 3; 0.4 ties 2 (1) and beats 1 -> 5 of 6
    ['ties inside and across classes', [1, 1, 0, 0, 0], [0.7, 0.4, 0.4, 0.4, 0.1], 5 / 6],
    ['one of each', [0, 1], [3, 5], 1],
  ])('when the case is %s, then the AUC is hand-checked', (_name, labels, scores, expected) => {
    expect(rocAuc(labels, scores)).toBeCloseTo(expected, 12);
  });

  it('when rows are shuffled, then the AUC does not change', () => {
    const labels = [1, 0, 1, 0, 0, 1, 0, 0];
    const scores = [0.9, 0.3, 0.3, 0.5, 0.3, 0.7, 0.1, 0.9];
    const order = [5, 2, 7, 0, 3, 6, 1, 4];
    expect(rocAuc(order.map((i) => labels[i]!), order.map((i) => scores[i]!))).toBeCloseTo(rocAuc(labels, scores), 12);
  });

  it.each([
    ['only one class', [1, 1], [0.1, 0.2], /both classes: 2 outliers, 0 inliers/],
    ['mismatched lengths', [0, 1], [0.1], /2 labels, 1 scores/],
    ['a label 2', [0, 2], [0.1, 0.2], /label 1 is 2/],
    ['a NaN score', [0, 1], [NaN, 0.2], /score 0 is NaN/],
  ])('when given %s, then it throws', (_name, labels, scores, message) => {
    expect(() => rocAuc(labels, scores)).toThrow(message);
  });
});
