import { CHECK_INDEX } from '../../../../src/core/context/checks.js';
import { DEFAULT_DETECTOR_SETTINGS } from '../../../../src/core/context/settings.js';
import { createContextState } from '../../../../src/core/context/state.js';
import { createStepResult, stepContext } from '../../../../src/core/context/step.js';
import { createRandom, device, learn, noLimits, normal, SECOND } from './harness.js';

/**
 * A device that joins with no history (the live stream: no replay of its past) and starts far from the
 * model's normal. Learnt: one sensor at 40 ± 1. Warm-ups start 5 sd below: within INCIDENT_EXTREME (about
 * 6.9 sd at the default limit) with the readings' noise, so that no single reading is news on its own.
 */
describe('a device settling after it joins', () => {
  const sensors = ['temperature'];
  const model = learn(normal(createRandom(41), 900, [40], [1]), sensors);
  const T0 = 10_000 * SECOND;

  /** `n` readings one second apart from T0: `at(i)` plus noise of sd 1. */
  function run(seed: number, n: number, at: (i: number) => number) {
    const random = createRandom(seed);
    const d = device(model, sensors);
    for (let i = 0; i < n; i++) d.step([at(i) + random.gaussian()], T0 + i * SECOND);
    return d;
  }
  const firstFlagged = (decisions: boolean[]) => decisions.indexOf(true);

  it('when it warms up from 5 sd below and closes in (time constant 30 s), then no reading is an anomaly and no incident opens', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const d = run(seed, 240, (i) => 40 - 5 * Math.exp(-i / 30));
      expect({ seed, flagged: d.decisions.filter(Boolean).length, events: d.events.length }).toEqual({ seed, flagged: 0, events: 0 });
    }
  });

  it('when it has settled and then steps 8 sd up, then that step is flagged at once (settling is over for good)', () => {
    const d = run(6, 300, (i) => (i < 240 ? 40 - 5 * Math.exp(-i / 30) : 48));
    expect(d.decisions.slice(0, 240).some(Boolean)).toBe(false);
    expect(firstFlagged(d.decisions)).toBe(240);
    expect(d.events[0]).toMatchObject({ state: 'opened', kind: 'deviation' });
  });

  it('when it joins 5 sd off and stays there (a device that starts broken), then it is flagged within 75 readings and an incident opens', () => {
    for (const seed of [7, 8, 9, 12, 13, 14, 15, 16]) {
      const d = run(seed, 120, () => 45);
      // From here on every reading is flagged (a noisy reading past INCIDENT_EXTREME may be flagged earlier).
      const flaggedFrom = d.decisions.lastIndexOf(false) + 1;
      // The level is a reference after one half-life (LEVEL_HALF_LIFE, 10 readings); then 30 readings (three
      // half-lives) without a closer approach end the settling, later when the level's noise makes one.
      expect(flaggedFrom).toBeLessThanOrEqual(75);
      // Far from normal in one reading and in its smoothed level: either check may lead.
      expect(d.events[0]).toMatchObject({ state: 'opened', kind: expect.stringMatching(/^(deviation|level_shift)$/) });
    }
  });

  it('when it closes in from 5 sd below and then turns away again, then it is flagged within a few readings of turning', () => {
    // Up to 3 sd below by reading 20, then back down at 0.5 sd a reading. The smoothed level (half-life 10
    // readings) still closes in for a few readings after the turn, then must fall 1 sd behind its closest approach.
    const d = run(10, 80, (i) => (i < 20 ? 35 + 0.1 * i : 37 - 0.5 * (i - 20)));
    const first = firstFlagged(d.decisions);
    expect(first).toBeGreaterThan(20);
    expect(first).toBeLessThanOrEqual(32);
  });

  it('when a sensor warms up, then the checks that do not judge distance from normal still speak: a spike in the middle of the warm-up is flagged', () => {
    const d = run(11, 60, (i) => 40 - 5 * Math.exp(-i / 30) + (i === 30 ? 12 : 0));
    expect(firstFlagged(d.decisions)).toBe(30);
  });

  it('when its first reading is 20 sd off (one reading that would open an incident on its own), then it is flagged at once, settling or not', () => {
    const d = run(17, 3, () => 60);
    expect(d.decisions).toEqual([true, true, true]);
    expect(d.events[0]).toMatchObject({ state: 'opened', kind: 'deviation' });
  });

  it("when a device's context is replayed from its own history, then it does not settle: a far first reading is judged at once", () => {
    const state = createContextState(DEFAULT_DETECTOR_SETTINGS, 1, model.plan?.depth ?? 1, 'first');
    const out = createStepResult(1, model.plan?.names.length ?? 1);
    stepContext(DEFAULT_DETECTOR_SETTINGS, model, noLimits(1), state, [52], T0, false, out);
    expect(out.checks[CHECK_INDEX.deviation]).toBeGreaterThan(DEFAULT_DETECTOR_SETTINGS.threshold);
  });

  it('when time context is off (each reading alone), then nothing settles: a device joining far off is flagged from its first reading', () => {
    const settings = { ...DEFAULT_DETECTOR_SETTINGS, timeContext: false };
    const d = device(model, sensors, settings);
    d.step([52], T0);
    expect(d.decisions).toEqual([true]);
  });
});
