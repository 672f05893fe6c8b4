import { withoutOutliers } from '../../../src/detector/robust-sample.js';
import { createRandom } from '../../../src/support/random.js';

function flat(rows: number[][]): Float64Array {
  return Float64Array.from(rows.flat());
}

describe('withoutOutliers', () => {
  const random = createRandom(3);
  const normal = Array.from({ length: 200 }, () => [180 + 2 * random.gaussian(), 20 + random.gaussian()]);

  it('when the sample is normal, then nothing is dropped', () => {
    expect(withoutOutliers(flat(normal), normal.length, 2, 4.5).dropped).toBe(0);
  });

  it('when a fifth of the sample is a fault, then exactly the faulty rows are dropped', () => {
    const faulty = [...normal.slice(0, 160), ...Array.from({ length: 40 }, (_, i) => [250 + i % 3, 20])];
    const { rows, dropped } = withoutOutliers(flat(faulty), faulty.length, 2, 4.5);
    expect(dropped).toBe(40);
    expect(rows.every((r) => r[0]! < 200)).toBe(true);
  });

  it('when one sensor is constant, then it is ignored instead of dropping every other value', () => {
    const rows = [...Array.from({ length: 50 }, () => [1, 5]), [1, 6], [100, 5]];
    const result = withoutOutliers(flat(rows), rows.length, 2, 4.5);
    // MAD of both columns is 0: no scale to judge by, so nothing is dropped (the forest still sees the rows).
    expect(result.dropped).toBe(0);
  });

  it('when it keeps rows, then they are copies in their original order', () => {
    const data = flat([[1, 2], [3, 4], [5, 6]]);
    const { rows } = withoutOutliers(data, 3, 2, 4.5);
    data[0] = 99;
    expect(rows.map((r) => Array.from(r))).toEqual([[1, 2], [3, 4], [5, 6]]);
  });
});
