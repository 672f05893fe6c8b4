import { createSeasonRing, decideSeason, stepSeason, type SeasonParams } from '../../../../src/core/context/season.js';
import { createRandom } from '../../../../src/support/random.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const PARAMS: SeasonParams = { periods: [DAY, 7 * DAY], maxSlots: 1008, refs: 3, gain: 4, minCover: 0.5 };

/** Two days of readings every 10 minutes. */
function series(value: (t: number, i: number) => number): { times: number[]; values: number[] } {
  const times = Array.from({ length: 2 * 144 }, (_, i) => i * 10 * 60_000);
  return { times, values: times.map((t, i) => value(t, i)) };
}

describe('seasonal context', () => {
  const random = createRandom(3);
  const daily = (t: number) => 50 + 10 * Math.sin((2 * Math.PI * t) / DAY) + random.gaussian();

  it('when a sensor follows a daily pattern, then it is found seasonal with a one-day period', () => {
    const { times, values } = series(daily);
    expect(decideSeason(PARAMS, times, values)).toMatchObject({ periodMs: DAY });
  });

  it.each([
    ['white noise', () => 50 + random.gaussian()],
    ['a random walk', (() => { let x = 0; return () => (x += random.gaussian()); })()],
    ['a trend', (_t: number, i: number) => i * 0.1 + random.gaussian()],
  ])('when a sensor is %s, then it is not seasonal', (_name, value) => {
    const { times, values } = series(value);
    expect(decideSeason(PARAMS, times, values).periodMs).toBe(0);
  });

  it('when readings span less than the evidence needs, then no period is decided', () => {
    const { times, values } = series(daily);
    expect(decideSeason(PARAMS, times.slice(0, 150), values.slice(0, 150)).periodMs).toBe(0);
  });

  it('when the same time of day comes again, then the residual is the value minus that slot in the past days', () => {
    const ring = createSeasonRing(PARAMS, { periodMs: DAY, widthMs: 10 * 60_000 });
    expect(Number.isNaN(stepSeason(PARAMS, ring, 8 * HOUR, 40))).toBe(true); // no reference yet
    expect(stepSeason(PARAMS, ring, DAY + 8 * HOUR, 43)).toBeCloseTo(3, 5);
    stepSeason(PARAMS, ring, 2 * DAY + 8 * HOUR, 41);
    // The median of 40, 43, 41: one odd day neither hides nor makes an anomaly.
    expect(stepSeason(PARAMS, ring, 3 * DAY + 8 * HOUR, 41)).toBeCloseTo(0, 5);
  });
});
