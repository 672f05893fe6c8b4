import { CHECK_INDEX } from '../../../../src/core/context/checks.js';
import { createIncidentState, stepIncident } from '../../../../src/core/context/incidents.js';
import { DEFAULT_DETECTOR_SETTINGS, type DetectorSettings } from '../../../../src/core/context/settings.js';
import { createContextState } from '../../../../src/core/context/state.js';
import { createStepResult } from '../../../../src/core/context/step.js';

/** Drives the incident stage with hand-made verdicts: which check spoke, how strongly, on which sensor. */
function harness(settings: DetectorSettings = DEFAULT_DETECTOR_SETTINGS) {
  const incidents = createIncidentState();
  const context = createContextState(settings, 2, 1);
  const out = createStepResult(2, 1);
  let t = 0;
  const sensors = ['flow', 'pressure'];
  return {
    incidents,
    /** One reading: `score` on `check` for `sensor` (0 = a normal reading). */
    reading(score: number, check: keyof typeof CHECK_INDEX = 'level_shift', sensor = 0) {
      return this.checks({ [check]: score }, sensor);
    },
    /** One reading on which several checks speak at once; the strongest is the reading's score. */
    checks(scores: Partial<Record<keyof typeof CHECK_INDEX, number>>, sensor = 0) {
      t += 1000;
      out.checks.fill(0);
      out.bySensor.fill(0);
      let score = 0;
      out.topCheck = -1;
      for (const [check, value] of Object.entries(scores) as Array<[keyof typeof CHECK_INDEX, number]>) {
        out.checks[CHECK_INDEX[check]] = value;
        if (value > score) [score, out.topCheck] = [value, CHECK_INDEX[check]];
      }
      out.bySensor[sensor] = score;
      out.score = score;
      out.decision = score >= settings.threshold;
      out.records = 0;
      out.novel = 0;
      context.readings++;
      context.lastT = t;
      context.history = ((context.history << 1) | (out.decision ? 1 : 0)) & ((1 << settings.incident.openN) - 1);
      if (out.decision) {
        context.lastAnomalyT = t;
        context.lastAnomalyReading = context.readings;
      }
      return stepIncident(settings, incidents, context, out, t, 'line1/pump-1', sensors)?.state;
    },
  };
}

describe('incidents', () => {
  it('when 3 of the last 5 readings are anomalous, then an incident opens; a quiet period without one closes it', () => {
    const h = harness();
    expect([h.reading(0.7), h.reading(0), h.reading(0.7)]).toEqual([undefined, undefined, undefined]);
    expect(h.reading(0.7)).toBe('opened');
    const states = Array.from({ length: 30 }, () => h.reading(0));
    // INCIDENT_QUIET = 30 readings: it closes on the 30th reading without an anomaly.
    expect(states.indexOf('closed')).toBe(29);
    expect(h.incidents.open).toBeUndefined();
  });

  it('when one reading is extreme, then it opens an incident on its own', () => {
    const h = harness();
    expect(h.reading(0.95)).toBe('opened');
  });

  it('when another check or another sensor joins, then the incident is updated; more of the same is not news', () => {
    const h = harness();
    h.reading(0.95);
    expect(h.reading(0.8)).toBeUndefined();
    expect(h.reading(0.8, 'noise')).toBe('updated');
    expect(h.reading(0.8, 'noise')).toBeUndefined();
    expect(h.reading(0.8, 'level_shift', 1)).toBe('updated');
  });

  it('when a second check stays past the threshold under the strongest one, then it is news once, not on every reading', () => {
    const h = harness();
    expect(h.checks({ level_shift: 0.95 })).toBe('opened');
    expect(h.checks({ level_shift: 0.9, noise: 0.6 })).toBe('updated');
    expect([h.checks({ level_shift: 0.9, noise: 0.6 }), h.checks({ level_shift: 0.8, noise: 0.7 })]).toEqual([undefined, undefined]);
    // Leading the score for the first time makes it one of the incident's kinds: that is news.
    expect(h.checks({ level_shift: 0.6, noise: 0.8 })).toBe('updated');
    expect(h.checks({ level_shift: 0.6, noise: 0.8 })).toBeUndefined();
    // A check already speaking when the incident opened is not news later either.
    const g = harness();
    expect(g.checks({ level_shift: 0.95, noise: 0.6 })).toBe('opened');
    expect(g.checks({ level_shift: 0.9, noise: 0.6 })).toBeUndefined();
  });

  it('when the device has a cooldown, then no incident opens within it of the last close', () => {
    const h = harness({ ...DEFAULT_DETECTOR_SETTINGS, incident: { ...DEFAULT_DETECTOR_SETTINGS.incident, cooldown: { ms: 60_000 } } });
    h.reading(0.95);
    for (let i = 0; i < 30; i++) h.reading(0);
    expect(h.incidents.open).toBeUndefined();
    expect(h.reading(0.95)).toBeUndefined();
    // One reading a second: the close was 31 s ago; 60 more quiet readings pass the 60 s cooldown.
    for (let i = 0; i < 60; i++) h.reading(0);
    expect(h.reading(0.95)).toBe('opened');
  });

  it('when readings are below the threshold, then nothing opens however many there are', () => {
    const h = harness();
    expect(Array.from({ length: 100 }, () => h.reading(0.49)).filter(Boolean)).toEqual([]);
  });
});
