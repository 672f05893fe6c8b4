import { loadConfig } from '../../../src/app/config.js';
import { createRandom } from '../../../src/support/random.js';
import { SettingError } from '../../../src/support/setting-error.js';
import { FAULT_KINDS, INJECTED_MIN_DEVIATION, resolveKinds, startFault, type FaultKind, type FaultStep } from '../../../src/simulator/faults.js';
import { SLOW_DRIFT_SPREADS, SUSTAINED_SECONDS } from '../../../src/simulator/faults-sustained.js';
import { createHealthyProcess } from '../../../src/simulator/healthy.js';
import { loadings } from '../../../src/simulator/load.js';
import { maxDeviation, rails, type SensorProfile, type SensorValues } from '../../../src/simulator/sensor-model.js';
import { simulatorSettings } from '../../helpers/settings.js';
import { correlation, mean, sd } from '../../helpers/statistics.js';

const profile = simulatorSettings(loadConfig({})).sensors;
const withField = (p: SensorProfile, name: string, change: { base: number; variation: number }): SensorProfile =>
  p.map((f) => (f.name === name ? { ...f, ...change } : f));
const healthy: SensorValues = [25, 50, 60];
/** temperature and sound follow the load (the default `auto`), correlated by 0.95. */
const onLoad = loadings(profile, { sensors: 'auto', correlation: 0.95, seconds: 30 });
const independent = profile.map(() => 0);

/** Every reading of one fault of `kind` applied to the same healthy reading, at 1 reading/s. */
function play(kind: FaultKind, seed: number, p: SensorProfile = profile): FaultStep[] {
  const fault = startFault(kind, { random: createRandom(seed), profile: p, loadings: onLoad, loadSeconds: 30, rate: 1 });
  const out: FaultStep[] = [];
  while (fault.remaining > 0) out.push(fault.apply({ healthy, baseline: healthy, load: 0, dt: 1 }));
  return out;
}

interface Played {
  healthy: SensorValues;
  baseline: SensorValues;
  step: FaultStep;
}

/** One fault of `kind` on a live healthy stream (noise, shared load), after `lead` healthy readings, at 1 reading/s. */
function playLive(kind: FaultKind, seed: number, lead = 0): { before: Played[]; during: Played[] } {
  const random = createRandom(seed);
  const process = createHealthyProcess(random, { profile, loadings: onLoad, loadSeconds: 30, originMs: 0 });
  const before: Played[] = [];
  for (let t = 0; t < lead; t++) {
    const s = process.sample(t * 1000);
    before.push({ healthy: s.values, baseline: s.baseline, step: { values: s.values, reported: false } });
  }
  const fault = startFault(kind, { random, profile, loadings: onLoad, loadSeconds: 30, rate: 1 });
  const during: Played[] = [];
  for (let t = lead; fault.remaining > 0; t++) {
    const s = process.sample(t * 1000);
    during.push({ healthy: s.values, baseline: s.baseline, step: fault.apply({ healthy: s.values, baseline: s.baseline, load: s.load, dt: s.dt }) });
  }
  return { before, during };
}

const valuesOf = (steps: FaultStep[]): SensorValues[] => steps.map((s) => s.values!);
const column = (rows: SensorValues[], i: number) => rows.map((r) => r[i]!);
const changedSensors = (values: SensorValues) => values.flatMap((v, i) => (v !== healthy[i] ? [i] : []));

const seeds = Array.from({ length: 200 }, (_, i) => i + 1);

describe('brief faults', () => {
  it('when a spike happens, then it lasts one reading with one to three sensors 6-12 sd out', () => {
    for (const seed of seeds) {
      const readings = valuesOf(play('spike', seed));
      expect(readings).toHaveLength(1);
      const z = readings[0]!.map((v, i) => Math.abs(v - healthy[i]!) / [1, 2, 2][i]!);
      const moved = z.filter((d) => d > 0);
      expect(moved.length).toBeGreaterThanOrEqual(1);
      for (const d of moved) {
        expect(d).toBeGreaterThanOrEqual(6 - 0.01);
        expect(d).toBeLessThanOrEqual(12 + 0.01);
      }
    }
  });

  it('when a drift happens, then one sensor moves further from baseline at every reading', () => {
    for (const seed of seeds) {
      const readings = valuesOf(play('drift', seed));
      expect(readings.length).toBeGreaterThanOrEqual(4);
      expect(readings.length).toBeLessThanOrEqual(7);
      const sensor = changedSensors(readings[0]!)[0]!;
      const distance = readings.map((r) => Math.abs(r[sensor]! - healthy[sensor]!));
      for (let k = 1; k < distance.length; k++) expect(distance[k]).toBeGreaterThan(distance[k - 1]!);
      expect(readings.every((r) => changedSensors(r).length === 1)).toBe(true);
    }
  });

  it('when a sensor is stuck, then it reads the same rail value for the whole fault', () => {
    for (const seed of seeds) {
      const readings = valuesOf(play('stuck', seed));
      expect(readings.length).toBeGreaterThanOrEqual(3);
      const sensor = changedSensors(readings[0]!)[0]!;
      const value = readings[0]![sensor]!;
      expect(rails(profile[sensor]!)).toContain(value);
      expect(readings.every((r) => r[sensor] === value)).toBe(true);
    }
  });

  it('when baselines sit near the rails, then a stuck sensor picks the rail far from baseline', () => {
    const nearTop = withField(profile, 'humidity', { base: 97, variation: 1 });
    for (const seed of seeds) {
      for (const r of valuesOf(play('stuck', seed, nearTop))) expect(r[1] === 100).toBe(false);
    }
  });

  it('when a noise burst happens, then every reading of it is at least 6 sd out on some sensor', () => {
    for (const seed of seeds) {
      const readings = valuesOf(play('noise_burst', seed));
      expect(readings.length).toBeGreaterThanOrEqual(3);
      for (const r of readings) expect(maxDeviation(r, profile)).toBeGreaterThanOrEqual(6 - 0.01);
    }
  });

  it.each(['spike', 'drift', 'stuck', 'noise_burst'] as const)('when a %s reading is reported, then it is at least 5 sd from the moving baseline', (kind) => {
    for (const seed of seeds.slice(0, 50)) {
      for (const { step, baseline } of playLive(kind, seed, 5).during) {
        expect(step.reported).toBe(maxDeviation(step.values!, profile, baseline) >= INJECTED_MIN_DEVIATION);
      }
    }
  });

  it('when a sensor has no variation, then faults are still visible', () => {
    const flat = withField(profile, 'temperature', { base: 25, variation: 0 });
    const spikes = seeds.map((seed) => valuesOf(play('spike', seed, flat))[0]!);
    expect(spikes.every((r) => maxDeviation(r, flat) >= INJECTED_MIN_DEVIATION)).toBe(true);
  });
});

describe('sustained faults', () => {
  it('when a flatline happens, then one sensor repeats the normal value it read at the start for 60-180 s and the others still vary', () => {
    for (const seed of seeds.slice(0, 50)) {
      const { during } = playLive('flatline', seed, 20);
      expect(during.length).toBeGreaterThanOrEqual(SUSTAINED_SECONDS.flatline[0]);
      expect(during.length).toBeLessThanOrEqual(SUSTAINED_SECONDS.flatline[1]);
      const rows = during.map((p) => p.step.values!);
      const stuckAt = profile.map((_, i) => new Set(column(rows, i)).size).findIndex((distinct) => distinct === 1);
      expect(stuckAt).toBeGreaterThanOrEqual(0);
      // A normal value: the healthy reading of the fault's first slot, near its baseline.
      expect(rows[0]![stuckAt]).toBe(during[0]!.healthy[stuckAt]);
      expect(Math.abs(rows[0]![stuckAt]! - during[0]!.baseline[stuckAt]!) / profile[stuckAt]!.variation).toBeLessThan(4);
      for (let i = 0; i < profile.length; i++) if (i !== stuckAt) expect(new Set(column(rows, i)).size).toBeGreaterThan(rows.length / 2);
      expect(during.every((p) => p.step.reported)).toBe(true);
    }
  });

  it('when a slow drift happens, then one sensor moves away linearly over 3-6 minutes, 8-12 sd by its end, reported once 5 sd out', () => {
    for (const seed of seeds) {
      const steps = play('slow_drift', seed);
      expect(steps.length).toBeGreaterThanOrEqual(SUSTAINED_SECONDS.slow_drift[0]);
      expect(steps.length).toBeLessThanOrEqual(SUSTAINED_SECONDS.slow_drift[1]);
      const sensor = changedSensors(steps.at(-1)!.values!)[0]!;
      const offsets = steps.map((s) => (s.values![sensor]! - healthy[sensor]!) / profile[sensor]!.variation);
      const last = Math.abs(offsets.at(-1)!);
      expect(last).toBeGreaterThanOrEqual(SLOW_DRIFT_SPREADS[0] - 0.01);
      expect(last).toBeLessThanOrEqual(SLOW_DRIFT_SPREADS[1] + 0.01);
      // Linear: equal steps, up to the 2-decimal rounding.
      const slope = offsets.at(-1)! / steps.length;
      expect(Math.max(...offsets.map((o, k) => Math.abs(o - slope * (k + 1))))).toBeLessThan(0.01);
      expect(steps.map((s) => s.reported)).toEqual(offsets.map((o) => Math.abs(o) >= INJECTED_MIN_DEVIATION - 1e-9));
    }
  });

  it('when the noise increases, then one sensor spreads 3-5 times wider around the same mean for 1-3 minutes', () => {
    const shifts: number[] = [];
    for (const seed of seeds.slice(0, 60)) {
      const { during } = playLive('noise_increase', seed, 5);
      expect(during.length).toBeGreaterThanOrEqual(SUSTAINED_SECONDS.noise_increase[0]);
      expect(during.length).toBeLessThanOrEqual(SUSTAINED_SECONDS.noise_increase[1]);
      const sensor = profile.findIndex((_, i) => during.some((p) => p.step.values![i] !== p.healthy[i]));
      const extra = during.map((p) => (p.step.values![sensor]! - p.healthy[sensor]!) / profile[sensor]!.variation);
      // Added noise of sd √(k²−1) with k in 3-5: 2.8-4.9 sd, with room for sampling error over 60+ readings.
      expect(sd(extra)).toBeGreaterThan(2.2);
      expect(sd(extra)).toBeLessThan(5.9);
      shifts.push(mean(extra));
      expect(during.every((p) => p.step.reported)).toBe(true);
    }
    // The mean is unchanged: the added noise averages to zero over all episodes (sd of this mean ~0.07).
    expect(Math.abs(mean(shifts))).toBeLessThan(0.25);
  });

  it('when a correlation break happens, then two sensors that moved together decouple while each keeps its spread', () => {
    const healthyPairs: Array<[number, number]> = [];
    const brokenPairs: Array<[number, number]> = [];
    const brokenSpread: number[] = [];
    for (const seed of seeds.slice(0, 60)) {
      const { before, during } = playLive('correlation_break', seed, 120);
      expect(during.length).toBeGreaterThanOrEqual(SUSTAINED_SECONDS.correlation_break[0]);
      const residual = (p: Played, i: number) => ((p.step.values ?? p.healthy)[i]! - p.baseline[i]!) / profile[i]!.variation;
      for (const p of before) healthyPairs.push([residual(p, 0), residual(p, 2)]);
      // After the load of its own has had time to wander off (one time constant).
      for (const p of during.slice(30)) {
        brokenPairs.push([residual(p, 0), residual(p, 2)]);
        brokenSpread.push(residual(p, during[0]!.step.values![0] === during[0]!.healthy[0] ? 0 : 2));
      }
      expect(during.every((p) => p.step.reported)).toBe(true);
    }
    const r = (pairs: Array<[number, number]>) => correlation(pairs.map((p) => p[0]), pairs.map((p) => p[1]));
    expect(r(healthyPairs)).toBeGreaterThan(0.9);
    expect(r(brokenPairs)).toBeLessThan(0.6);
    expect(sd(brokenSpread)).toBeGreaterThan(0.8);
    expect(sd(brokenSpread)).toBeLessThan(1.2);
  });

  it('when a correlation break happens, then it names the decoupled sensor first and its partner', () => {
    const fault = startFault('correlation_break', { random: createRandom(3), profile, loadings: onLoad, loadSeconds: 30, rate: 1 });
    expect([...fault.sensors].sort()).toEqual([0, 2]);
  });

  it('when a dropout happens, then the device publishes nothing for 60-180 s and no reading is reported', () => {
    for (const seed of seeds) {
      const steps = play('dropout', seed);
      expect(steps.length).toBeGreaterThanOrEqual(SUSTAINED_SECONDS.dropout[0]);
      expect(steps.length).toBeLessThanOrEqual(SUSTAINED_SECONDS.dropout[1]);
      expect(steps.every((s) => s.values === undefined && !s.reported)).toBe(true);
    }
  });

  it('when the rate is 10 readings/s, then a sustained fault lasts as long in seconds, ten times the readings', () => {
    const fault = startFault('flatline', { random: createRandom(1), profile, loadings: onLoad, loadSeconds: 30, rate: 10 });
    expect(fault.remaining).toBeGreaterThanOrEqual(10 * SUSTAINED_SECONDS.flatline[0]);
    expect(fault.remaining).toBeLessThanOrEqual(10 * SUSTAINED_SECONDS.flatline[1]);
  });
});

describe('fault kinds', () => {
  it.each(FAULT_KINDS)('when a %s is over, then applying it again throws', (kind) => {
    const fault = startFault(kind, { random: createRandom(1), profile, loadings: onLoad, loadSeconds: 30, rate: 1 });
    while (fault.remaining > 0) fault.apply({ healthy, baseline: healthy, load: 0, dt: 1 });
    expect(() => fault.apply({ healthy, baseline: healthy, load: 0, dt: 1 })).toThrow(/over/);
  });

  it('when all kinds are asked for, then a correlation break is left out unless two sensors follow the load', () => {
    expect(resolveKinds('all', onLoad)).toEqual([...FAULT_KINDS]);
    expect(resolveKinds('all', independent)).toEqual(FAULT_KINDS.filter((k) => k !== 'correlation_break'));
  });

  it('when a correlation break is asked for by name without two load sensors, then it is a setting error', () => {
    expect(() => resolveKinds(['flatline', 'correlation_break'], independent)).toThrow(SettingError);
    expect(() => resolveKinds(['flatline', 'correlation_break'], independent)).toThrow(/simulator.load.sensors/);
  });

  it('when an unknown kind is asked for, then it is a setting error naming the known ones', () => {
    expect(() => resolveKinds(['flatline', 'melt' as FaultKind], onLoad)).toThrow(/unknown kind melt.*known: spike/);
  });
});
