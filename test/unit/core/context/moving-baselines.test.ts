import { CHECK_INDEX } from '../../../../src/core/context/checks.js';
import { fitPairs } from '../../../../src/core/context/pairs.js';
import { fitProfile } from '../../../../src/core/context/profile.js';
import { DEFAULT_DETECTOR_SETTINGS } from '../../../../src/core/context/settings.js';
import { createRandom, device, learn, normal, SECOND } from './harness.js';

type Random = ReturnType<typeof createRandom>;

/** A machine load: a random walk that returns to 0 (AR(1), time constant `tau` readings, sd 1). */
function load(random: Random, n: number, tau: number): number[] {
  const phi = Math.exp(-1 / tau);
  let l = 0;
  return Array.from({ length: n }, () => (l = phi * l + Math.sqrt(1 - phi * phi) * random.gaussian()));
}

const times = (n: number) => Array.from({ length: n }, (_, i) => i * SECOND);
const profileOptions = { drift: DEFAULT_DETECTOR_SETTINGS.drift, flatline: undefined };

describe('sensors whose level moves on its own', () => {
  it('when a sensor warms up steadily (6 sd in a minute), then the noise check stays quiet: it judges the change from one reading to the next', () => {
    const random = createRandom(31);
    const sensors = ['temperature'];
    const d = device(learn(normal(random, 600, [40], [1]), sensors), sensors);
    let t = 600 * SECOND;
    for (let i = 0; i < 60; i++) d.step([40 + random.gaussian()], (t += SECOND));
    let noise = 0;
    for (let i = 0; i < 60; i++) {
      d.step([40 + i * 0.1 + random.gaussian()], (t += SECOND));
      noise = Math.max(noise, d.out.checks[CHECK_INDEX.noise]!);
    }
    expect(noise).toBeLessThan(0.5);
  });

  it('when one reading jumps far out and the next is back, then the noise check does not stay raised: each change counts at most twice its limit', () => {
    const random = createRandom(32);
    const sensors = ['temperature'];
    const d = device(learn(normal(random, 600, [40], [1]), sensors), sensors);
    let t = 600 * SECOND;
    for (let i = 0; i < 60; i++) d.step([40 + random.gaussian()], (t += SECOND));
    d.step([140], (t += SECOND));
    expect(d.out.decision).toBe(true);
    const after: number[] = [];
    for (let i = 0; i < 10; i++) {
      d.step([40 + random.gaussian()], (t += SECOND));
      after.push(d.out.checks[CHECK_INDEX.noise]!);
    }
    expect(Math.max(...after)).toBeLessThan(0.5);
  });

  it('when a sensor that follows a wandering load jumps by 3.5 of its sd, then the jump from its last value flags it, though its deviation alone would not; the way back is no second anomaly', () => {
    const random = createRandom(33);
    const sensors = ['current'];
    const rows = load(random, 2400, 30).map((l) => [10 + l + 0.05 * random.gaussian()]);
    const d = device(learn(rows.slice(0, 1200), sensors), sensors);
    // A moment when the load sits near its mean, so that 3.5 sd away stays inside the deviation limit.
    const at = rows.findIndex((r, i) => i > 1500 && Math.abs(r[0]! - 10) < 0.2);
    rows.slice(1200, at).forEach((r, i) => d.step(r, (1200 + i) * SECOND));
    const event = d.step([rows[at - 1]![0]! + 3.5], at * SECOND);
    expect(d.out.decision).toBe(true);
    expect(d.out.topCheck).toBe(CHECK_INDEX.deviation);
    expect(Math.abs(d.out.z[0]!)).toBeLessThan(DEFAULT_DETECTOR_SETTINGS.instantLimit); // the deviation alone is not enough
    expect(event).toMatchObject({ state: 'opened', kind: 'deviation' });
    d.step(rows[at]!, (at + 1) * SECOND);
    expect(d.out.decision).toBe(false);
  });

  it('when a sensor drifts on its own through its training, then it is judged against its running mean: its drift goes on without alarm, a spike is still flagged', () => {
    const random = createRandom(34);
    const sensors = ['temperature', 'pressure'];
    const warming = (i: number) => [30 + 0.01 * i + 0.2 * random.gaussian(), 4 + 0.1 * random.gaussian()];
    const model = learn(Array.from({ length: 600 }, (_, i) => warming(i)), sensors);
    expect(model.profile.map((p) => p.drifting)).toEqual([true, false]);
    const d = device(model, sensors);
    for (let i = 600; i < 1800; i++) d.step(warming(i), i * SECOND);
    expect(d.events).toEqual([]);
    const [temperature, pressure] = warming(1800) as [number, number];
    d.step([temperature + 3, pressure], 1800 * SECOND);
    expect(d.out.decision).toBe(true);
    expect(d.out.topSensor).toBe(0);
  });

  it('when a sensor that drifts in training is declared steady, then it keeps its level-shift check', () => {
    const random = createRandom(37);
    const rows = Array.from({ length: 600 }, (_, i) => [30 + 0.01 * i + 0.2 * random.gaussian()]);
    expect(fitProfile(rows, times(600), profileOptions)[0]!.drifting).toBe(true);
    expect(fitProfile(rows, times(600), { ...profileOptions, kinds: ['steady'] })[0]!.drifting).toBe(false);
  });

  it('when a sensor wanders with a load that comes and goes many times within its training, then the auto drift rule finds it steady; a level moving over the training span drifts', () => {
    const random = createRandom(35);
    const n = 4000;
    const wandering = load(random, n, 10).map((l) => [l]);
    const cycling = Array.from({ length: n }, (_, i) => [Math.sin((2 * Math.PI * i) / n) + 0.2 * random.gaussian()]);
    expect(fitProfile(wandering, times(n), profileOptions)[0]!.drifting).toBe(false);
    expect(fitProfile(cycling, times(n), profileOptions)[0]!.drifting).toBe(true);
    // A fixed block of 50 readings takes the load's ten-reading memory for drift.
    expect(fitProfile(wandering, times(n), { ...profileOptions, drift: { block: { readings: 50 }, share: 0.25 } })[0]!.drifting).toBe(true);
  });

  it('when a sensor varies from one reading to the next, then its profile learns that normal change', () => {
    const random = createRandom(36);
    const [p] = fitProfile(normal(random, 2000, [0], [2]), times(2000), profileOptions);
    expect(p!.noise).toBeCloseTo(2 * Math.SQRT2, 0); // white noise: √2 × sd
  });
});

describe('pairs on moving baselines', () => {
  /** Two sensors on one load, each also on a slow cycle of its own phase (their raw values barely correlate). */
  function cycling(random: Random, from: number, n: number, decoupled = false): number[][] {
    const shared = load(random, n, 20);
    const own = load(random, n, 20);
    return shared.map((l, k) => {
      const i = from + k;
      const phase = (2 * Math.PI * i) / 7200;
      return [50 + l + 3 * Math.sin(phase) + 0.1 * random.gaussian(), 20 + 2 * (decoupled ? own[k]! : l) + 6 * Math.cos(phase) + 0.2 * random.gaussian()];
    });
  }

  it('when two sensors share a load but each swings on a cycle of its own, then the pair is found on their deviations, not on their raw values', () => {
    const random = createRandom(41);
    const rows = cycling(random, 0, 3600);
    const rawCorrelation = fitPairs(rows, times(3600), { readings: 1e9 }, 0)[0]!.correlation;
    expect(Math.abs(rawCorrelation)).toBeLessThan(0.5);
    const [pair] = fitPairs(rows, times(3600), DEFAULT_DETECTOR_SETTINGS.normalizer, 0.8);
    expect(pair).toMatchObject({ a: 0, b: 1 });
    expect(pair!.correlation).toBeGreaterThan(0.8);
  });

  it('when such a pair keeps cycling, then nothing opens; when one of them leaves the shared load, then a correlation incident opens', () => {
    const random = createRandom(42);
    const sensors = ['current', 'temperature'];
    const d = device(learn(cycling(random, 0, 3600), sensors), sensors);
    let t = 3600 * SECOND;
    for (const row of cycling(random, 3600, 1800)) d.step(row, (t += SECOND));
    expect(d.events).toEqual([]);
    for (const row of cycling(random, 5400, 300, true)) d.step(row, (t += SECOND));
    expect(d.events.find((e) => e.state === 'opened')).toMatchObject({ kind: 'correlation' });
  });
});
