import { DEFAULT_DETECTOR_SETTINGS, type DetectorSettings } from '../../../../src/core/context/settings.js';
import { fromSnapshot, toSnapshot } from '../../../../src/core/context/state.js';
import { createStepResult, stepContext } from '../../../../src/core/context/step.js';
import { createRandom, device, learn, noLimits, SECOND } from './harness.js';

/** Every part of the state in use: range records, a seasonal ring, a correlated pair, the likelihood. */
const SETTINGS: DetectorSettings = {
  ...DEFAULT_DETECTOR_SETTINGS,
  range: { tol: 0.05, lag: 20, window: 5 },
  season: { ...DEFAULT_DETECTOR_SETTINGS.season!, periods: [120 * SECOND] },
};
const SENSORS = ['current', 'temperature', 'cycle'];

function readings(random: ReturnType<typeof createRandom>, from: number, n: number): number[][] {
  let load = 0;
  return Array.from({ length: n }, (_, k) => {
    load = 0.95 * load + 0.3 * random.gaussian();
    const i = from + k;
    return [50 + 4 * load + 0.3 * random.gaussian(), 20 + 2 * load + 0.15 * random.gaussian(), 10 + 5 * Math.sin((2 * Math.PI * i) / 120) + 0.1 * random.gaussian()];
  });
}

describe('a device state moved between workers (toSnapshot / fromSnapshot)', () => {
  it('when a state is saved as JSON and restored, then the device goes on exactly as if it had never moved', () => {
    const random = createRandom(51);
    const model = learn(readings(random, 0, 1200), SENSORS, SETTINGS);
    expect(model.pairs.length).toBeGreaterThan(0);
    expect(model.profile[2]!.season).toBeDefined();
    const d = device(model, SENSORS, SETTINGS);
    readings(random, 1200, 600).forEach((r, i) => d.step(r, (1200 + i) * SECOND));
    expect(d.state.seasons[2]).toBeDefined();

    const restored = fromSnapshot(JSON.parse(JSON.stringify(toSnapshot(d.state))), SETTINGS, { profile: model.profile, pairs: model.pairs, depth: model.plan!.depth });
    expect(restored).toBeDefined();
    const out = createStepResult(SENSORS.length, model.plan!.names.length);
    const next = readings(random, 1800, 300);
    // A fault at the end, so that records, the pair and the likelihood all have something to say.
    next.slice(250).forEach((r) => (r[1] = r[1]! + 8));
    next.forEach((r, i) => {
      const t = (1800 + i) * SECOND;
      const open = d.incidents.open !== undefined;
      d.step(r, t);
      stepContext(SETTINGS, model, noLimits(SENSORS.length), restored!, r, t, open, out);
      expect([out.score, out.decision, Array.from(out.checks)]).toEqual([d.out.score, d.out.decision, Array.from(d.out.checks)]);
    });
    expect(d.decisions.slice(-50).some(Boolean)).toBe(true);
  });

  it('when a snapshot does not fit the model (another sensor count), then nothing is restored', () => {
    const random = createRandom(52);
    const model = learn(readings(random, 0, 600), SENSORS, SETTINGS);
    const d = device(model, SENSORS, SETTINGS);
    readings(random, 600, 50).forEach((r, i) => d.step(r, (600 + i) * SECOND));
    const other = { profile: model.profile.slice(0, 2), pairs: model.pairs, depth: model.plan!.depth };
    expect(fromSnapshot(toSnapshot(d.state), SETTINGS, other)).toBeUndefined();
  });
});
