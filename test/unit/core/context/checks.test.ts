import { DEFAULT_DETECTOR_SETTINGS } from '../../../../src/core/context/settings.js';
import { CHECK_INDEX } from '../../../../src/core/context/checks.js';
import { createRandom, device, learn, normal, SECOND } from './harness.js';

const SENSORS = ['temperature', 'pressure'];
const MEANS = [60, 4];
const SDS = [1, 0.2];

/** A device trained on 600 normal seconds, then streaming from t = 600 s. */
function trained(seed = 1) {
  const random = createRandom(seed);
  const model = learn(normal(random, 600, MEANS, SDS), SENSORS);
  const d = device(model, SENSORS);
  let t = 600 * SECOND;
  const send = (values: number[]) => {
    t += SECOND;
    return d.step(values, t);
  };
  const healthy = () => normal(random, 1, MEANS, SDS)[0]!;
  return { d, send, healthy, random };
}

describe('time-context checks on a seeded stream', () => {
  it('when readings are normal for an hour, then no incident opens', () => {
    const { d, send, healthy } = trained(2);
    for (let i = 0; i < 3600; i++) send(healthy());
    expect(d.events.filter((e) => e.state === 'opened')).toEqual([]);
    expect(d.decisions.filter(Boolean).length).toBeLessThan(36); // under 1 % of readings
  });

  it('when one sensor spikes far out for one reading, then that reading is anomalous by deviation and opens an incident naming the sensor', () => {
    const { d, send, healthy } = trained(3);
    for (let i = 0; i < 60; i++) send(healthy());
    const [t, p] = healthy() as [number, number];
    const event = send([t + 12, p]);
    expect(d.out.topCheck).toBe(CHECK_INDEX.deviation);
    expect(event).toMatchObject({ state: 'opened', kind: 'deviation', sensors: { temperature: expect.any(Number) } });
    expect(Object.keys(event!.sensors)).toEqual(['temperature']);
  });

  it('when a sensor freezes at a perfectly normal value, then the flatline check speaks once the freeze outlasts its limit, in an incident naming the sensor', () => {
    const { d, send, healthy } = trained(4);
    for (let i = 0; i < 60; i++) send(healthy());
    const stuck = MEANS[0]!; // exactly the mean: no deviation at all
    const flat: boolean[] = [];
    for (let i = 0; i < 120; i++) {
      const [, p] = healthy() as [number, number];
      send([stuck, p]);
      flat.push(d.out.checks[CHECK_INDEX.flatline]! >= 0.5);
    }
    // FLATLINE_MIN (60 s) at one reading a second: silent until the freeze has lasted that long, then on.
    expect(flat.indexOf(true)).toBe(60);
    expect(flat.slice(60).every(Boolean)).toBe(true);
    expect(d.events.filter((e) => e.state === 'opened')).toHaveLength(1);
    expect(d.events.at(-1)).toMatchObject({ sensors: { temperature: expect.any(Number) } });
    expect(d.events.at(-1)?.kinds).toContain('flatline');
  });

  it.each([
    ['all checks', DEFAULT_DETECTOR_SETTINGS],
    ['the noise check alone (no forest)', { ...DEFAULT_DETECTOR_SETTINGS, forest: undefined }],
  ])('when the noise of a sensor grows threefold with its mean unchanged, then an incident opens and the noise check speaks in it (%s)', (_name, settings) => {
    const random = createRandom(5);
    const d = device(learn(normal(random, 600, MEANS, SDS), SENSORS, settings), SENSORS, settings);
    let t = 600 * SECOND;
    for (let i = 0; i < 60; i++) d.step(normal(random, 1, MEANS, SDS)[0]!, (t += SECOND));
    expect(d.events).toEqual([]);
    for (let i = 0; i < 120; i++) d.step([MEANS[0]! + 3 * SDS[0]! * random.gaussian(), MEANS[1]! + SDS[1]! * random.gaussian()], (t += SECOND));
    const last = d.events.at(-1);
    expect(d.events[0]?.state).toBe('opened');
    expect(last?.kinds).toContain('noise');
    expect(last?.sensors).toHaveProperty('temperature');
  });

  it('when a sensor shifts by 3 sd and stays there, then a level-shift incident opens and stays open while the shift lasts', () => {
    const { d, send, healthy } = trained(6);
    for (let i = 0; i < 60; i++) send(healthy());
    for (let i = 0; i < 300; i++) {
      const [t, p] = healthy() as [number, number];
      send([t, p + 3 * SDS[1]!]);
    }
    expect(d.events.filter((e) => e.state === 'opened')).toHaveLength(1);
    expect(d.events[0]).toMatchObject({ state: 'opened', sensors: { pressure: expect.any(Number) } });
    expect(d.events.at(-1)?.kinds).toContain('level_shift');
    expect(d.incidents.open).toBeDefined(); // the baseline is frozen while it is open: the shift is not learnt
  });

  it('when the baseline drifts slowly (2 sd over 4 hours), then it is followed without an alarm', () => {
    const { d, send, healthy } = trained(7);
    const seconds = 4 * 3600;
    for (let i = 0; i < seconds; i++) {
      const [t, p] = healthy() as [number, number];
      send([t + (2 * SDS[0]! * i) / seconds, p]);
    }
    expect(d.events.filter((e) => e.state === 'opened')).toEqual([]);
    // Followed, with the lag of a one-hour half-life: about 1.44 h × 0.5 sd/h behind the level at 62.
    expect(d.state.base[0]).toBeGreaterThan(MEANS[0]! + 1.1 * SDS[0]!);
    expect(d.state.base[0]).toBeLessThan(MEANS[0]! + 2 * SDS[0]!);
  });

  it('when a reading is missing an optional sensor, then its last value stands in and the reading is still judged', () => {
    const { d, send, healthy } = trained(8);
    for (let i = 0; i < 30; i++) send(healthy());
    send([Number.NaN, MEANS[1]!]);
    expect(Array.from(d.out.missing)).toEqual([1, 0]);
    expect(d.out.decision).toBe(false);
  });

  it('when a timestamp goes backwards, then the reading is judged without moving time on, and counted', () => {
    const { d, send, healthy } = trained(9);
    for (let i = 0; i < 30; i++) send(healthy());
    const last = d.state.lastT;
    d.step(healthy(), last - 5 * SECOND);
    expect(d.state.lastT).toBe(last);
    expect(d.state.outOfOrder).toBe(1);
  });
});

describe('the calibrated score', () => {
  it('when two devices differ only in scale and offset, then the same threshold flags the same readings: one false-alarm rate for both', () => {
    const random = createRandom(11);
    const base = normal(random, 4200, [0], [1]);
    const small = base.map(([x]) => [20 + x!]);
    const big = base.map(([x]) => [5000 + 250 * x!]);
    const run = (rows: number[][]) => {
      const d = device(learn(rows.slice(0, 600), ['x']), ['x']);
      rows.slice(600).forEach((r, i) => d.step(r, (600 + i) * SECOND));
      return d.decisions;
    };
    const a = run(small);
    const b = run(big);
    const rate = (ds: boolean[]) => ds.filter(Boolean).length / ds.length;
    expect(rate(a)).toBeLessThan(0.01);
    expect(rate(b)).toBeCloseTo(rate(a), 3);
    expect(b).toEqual(a);
  });

  it('when a check is exactly at its limit, then the score is the threshold', () => {
    expect(DEFAULT_DETECTOR_SETTINGS.threshold).toBe(0.5);
  });
});
