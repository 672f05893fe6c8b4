import { createRange, stepRange, type RangeOut } from '../../../../src/core/context/range-novelty.js';

const P = { tol: 0.05, lag: 5, window: 3 };

function run(values: number[]) {
  const s = createRange(P, 1);
  const out: RangeOut = { novelty: new Float64Array(1), record: new Float64Array(1) };
  return values.map((v) => {
    stepRange(P, s, [v], out);
    return { novel: out.novelty[0]! >= 1, record: out.record[0]! >= 1 };
  });
}

describe('range novelty', () => {
  it('when a value goes beyond everything seen more than lag readings ago, then it is novel and a record', () => {
    const history = [0, 10, 0, 10, 0, 10, 0, 10, 0, 10];
    const r = run([...history, 11, 30]);
    expect(r.slice(0, history.length).some((x) => x.novel)).toBe(false);
    expect(r.at(-2)).toEqual({ novel: true, record: true }); // 11: beyond 10 by more than 5 % of 10
    expect(r.at(-1)).toEqual({ novel: true, record: true });
  });

  it('when an excursion stays out at the same level, then its records stop once the rolling window has settled', () => {
    const r = run([0, 10, 0, 10, 0, 10, 0, 10, 0, 10, ...Array(12).fill(20)]);
    expect(r[10]).toEqual({ novel: true, record: true });
    // The rolling mean climbs towards 20 for `window` readings (each step a record of the mean), and the
    // rolling sd's drop to 0 is a record once the excursion's own sd has joined the lagged history; after
    // that nothing goes further, so nothing is news.
    expect(r.slice(10).filter((x) => x.record).length).toBeLessThanOrEqual(P.window + 1);
    expect(r.slice(10 + P.lag + P.window).filter((x) => x.record)).toEqual([]);
  });

  it('when a value is only just beyond the range (within the tolerance), then it is not novel', () => {
    const r = run([0, 10, 0, 10, 0, 10, 0, 10, 0, 10, 10.4]);
    expect(r.at(-1)).toEqual({ novel: false, record: false });
  });
});
