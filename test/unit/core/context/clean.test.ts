import { blankOutliers } from '../../../../src/core/context/clean.js';
import { createRandom } from '../../../../src/support/random.js';

describe('cleaning training readings', () => {
  it('when a tenth of a continuous sensor sits at a fault value, then those values are blanked and the others kept', () => {
    const random = createRandom(1);
    const data = Float64Array.from({ length: 400 }, (_, i) => (i % 10 === 5 ? 250 : 180 + 2 * random.gaussian()));
    const faulty = blankOutliers(data, 400, 1);
    expect(faulty.reduce((a, b) => a + b, 0)).toBe(40);
    expect(Array.from(data).filter((x) => Number.isNaN(x))).toHaveLength(40);
  });

  it('when a quantised sensor mostly reads 32 and sometimes 31 or 33, then nothing is blanked', () => {
    const random = createRandom(2);
    const data = Float64Array.from({ length: 400 }, () => (random.next() < 0.8 ? 32 : random.next() < 0.5 ? 31 : 33));
    expect(blankOutliers(data, 400, 1).reduce((a, b) => a + b, 0)).toBe(0);
  });
});
