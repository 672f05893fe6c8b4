import { loadConfig } from '../../../src/app/config.js';
import { createRandom } from '../../../src/support/random.js';
import { ANOMALY_KINDS, INJECTED_MIN_DEVIATION, startFault } from '../../../src/simulator/faults.js';
import { maxDeviation, rails, type SensorProfile, type SensorValues } from '../../../src/simulator/sensor-model.js';
import { simulatorSettings } from '../../helpers/settings.js';

const profile = simulatorSettings(loadConfig({})).sensors;
const withField = (p: SensorProfile, name: string, change: { base: number; variation: number }): SensorProfile =>
  p.map((f) => (f.name === name ? { ...f, ...change } : f));
const healthy: SensorValues = [25, 50, 60];

/** Every reading of one fault of `kind`. */
function play(kind: (typeof ANOMALY_KINDS)[number], seed: number, p: SensorProfile = profile): SensorValues[] {
  const fault = startFault(kind, createRandom(seed), p);
  const out: SensorValues[] = [];
  while (fault.remaining > 0) out.push(fault.apply(healthy));
  return out;
}

const seeds = Array.from({ length: 200 }, (_, i) => i + 1);

describe('faults', () => {
  it('when a spike happens, then it lasts one reading with one to three sensors 6-12 sd out', () => {
    for (const seed of seeds) {
      const readings = play('spike', seed);
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
      const readings = play('drift', seed);
      expect(readings.length).toBeGreaterThanOrEqual(4);
      expect(readings.length).toBeLessThanOrEqual(7);
      const sensor = readings[0]!.findIndex((v, i) => v !== healthy[i]);
      const distance = readings.map((r) => Math.abs(r[sensor]! - healthy[sensor]!));
      for (let k = 1; k < distance.length; k++) expect(distance[k]).toBeGreaterThan(distance[k - 1]!);
      expect(readings.every((r) => r.filter((v, i) => v !== healthy[i]).length === 1)).toBe(true);
    }
  });

  it('when a sensor is stuck, then it reads the same rail value for the whole fault', () => {
    for (const seed of seeds) {
      const readings = play('stuck', seed);
      expect(readings.length).toBeGreaterThanOrEqual(3);
      const sensor = readings[0]!.findIndex((v, i) => v !== healthy[i]);
      const value = readings[0]![sensor]!;
      expect(rails(profile[sensor]!)).toContain(value);
      expect(readings.every((r) => r[sensor] === value)).toBe(true);
    }
  });

  it('when baselines sit near the rails, then a stuck sensor picks the rail far from baseline', () => {
    const nearTop = withField(profile, 'humidity', { base: 97, variation: 1 });
    for (const seed of seeds) {
      for (const r of play('stuck', seed, nearTop)) expect(r[1] === 100).toBe(false);
    }
  });

  it('when a noise burst happens, then every reading of it is at least 6 sd out on some sensor', () => {
    for (const seed of seeds) {
      const readings = play('noise_burst', seed);
      expect(readings.length).toBeGreaterThanOrEqual(3);
      for (const r of readings) expect(maxDeviation(r, profile)).toBeGreaterThanOrEqual(6 - 0.01);
    }
  });

  it.each(ANOMALY_KINDS)('when a %s is over, then applying it again throws', (kind) => {
    const fault = startFault(kind, createRandom(1), profile);
    while (fault.remaining > 0) fault.apply(healthy);
    expect(() => fault.apply(healthy)).toThrow(/over/);
  });

  it('when a sensor has no variation, then faults are still visible', () => {
    const flat = withField(profile, 'temperature', { base: 25, variation: 0 });
    const spikes = seeds.map((seed) => play('spike', seed, flat)[0]!);
    expect(spikes.every((r) => maxDeviation(r, flat) >= INJECTED_MIN_DEVIATION)).toBe(true);
  });
});
