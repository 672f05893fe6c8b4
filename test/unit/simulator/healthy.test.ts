import { loadConfig } from '../../../src/app/config.js';
import { dailyCycle, warmup } from '../../../src/simulator/baseline.js';
import { createGenerator, type GeneratorOptions } from '../../../src/simulator/generator.js';
import { loadings } from '../../../src/simulator/load.js';
import type { BaselineSettings } from '../../../src/simulator/settings.js';
import { simulatorSettings } from '../../helpers/settings.js';
import { correlation, mean, sd } from '../../helpers/statistics.js';

const defaults = simulatorSettings(loadConfig({}));
const names = defaults.sensors.map((s) => s.name);
const still: BaselineSettings = { warmupSeconds: 0, warmupOffset: 0, daySeconds: 86_400, dailyAmplitude: 0 };

/**
 * Healthy readings of every device, one a second for `seconds`, in variations
 * from the configured base: rows[device][t][sensor].
 */
function healthyRuns(overrides: Partial<GeneratorOptions>, devices: number, seconds: number): number[][][] {
  const generator = createGenerator({ ...defaults, anomalyRate: 0, devices, originMs: 0, ...overrides });
  return generator.devices.map((_, d) =>
    Array.from({ length: seconds }, (_, t) => {
      const reading = generator.next(d, t * 1000).reading!;
      return defaults.sensors.map((f) => ((reading[f.name] as number) - f.base) / f.variation);
    }),
  );
}


describe('moving baselines', () => {
  it('when a device starts, then it starts the warm-up offset away and closes 63 % of the gap per time constant', () => {
    const baseline = { ...still, warmupSeconds: 30, warmupOffset: -6 };
    const runs = healthyRuns({ baseline, load: undefined }, 300, 151);
    // Averaged over 300 devices and 3 sensors the noise (sd 1) leaves ±0.06 sd.
    const at = (t: number) => mean(runs.flatMap((rows) => rows[t]!));
    expect(at(0)).toBeCloseTo(-6, 0);
    expect(Math.abs(at(0) + 6)).toBeLessThan(0.2);
    expect(Math.abs(at(30) + 6 / Math.E)).toBeLessThan(0.2);
    expect(Math.abs(at(150))).toBeLessThan(0.2);
    expect(warmup(baseline, 60)).toBeCloseTo(-6 * Math.exp(-2), 10);
  });

  it('when the day is 600 s, then every sensor swings by the daily amplitude over it, each with its own phase', () => {
    const baseline = { ...still, daySeconds: 600, dailyAmplitude: 3 };
    const [rows] = healthyRuns({ baseline, load: undefined }, 1, 6000);
    names.forEach((_, i) => {
      // Least-squares fit of a sin + b cos at the daily frequency: amplitude √(a² + b²).
      const w = (2 * Math.PI) / 600;
      const a = (2 / rows!.length) * rows!.reduce((s, r, t) => s + r[i]! * Math.sin(w * t), 0);
      const b = (2 / rows!.length) * rows!.reduce((s, r, t) => s + r[i]! * Math.cos(w * t), 0);
      expect(Math.hypot(a, b)).toBeGreaterThan(2.9);
      expect(Math.hypot(a, b)).toBeLessThan(3.1);
    });
    const peaks = names.map((_, i) => Array.from({ length: 600 }, (_, t) => dailyCycle(baseline, i, t)).reduce((best, v, t, all) => (v > all[best]! ? t : best), 0));
    expect(new Set(peaks).size).toBe(names.length);
  });

  it('when baselines move, then a fixed envelope around the configured base no longer holds', () => {
    const runs = healthyRuns({ baseline: { warmupSeconds: 30, warmupOffset: -6, daySeconds: 3600, dailyAmplitude: 3 }, load: undefined }, 5, 3600);
    const outside = runs.flatMap((rows) => rows.filter((r) => r.some((z) => Math.abs(z) >= 4.5))).length;
    // A fixed baseline would put ~1 reading in 50,000 beyond 4.5 sd on some sensor.
    expect(outside / (5 * 3600)).toBeGreaterThan(0.05);
  });
});

describe('shared load', () => {
  const load = { sensors: 'auto' as const, correlation: 0.95, seconds: 30 };

  it('when auto, then the 1st and 3rd of the default sensors follow the load, and both of two sensors do', () => {
    expect(loadings(defaults.sensors, load).map((l) => l > 0)).toEqual([true, false, true]);
    expect(loadings(defaults.sensors.slice(0, 2), load).map((l) => l > 0)).toEqual([true, true]);
    expect(loadings(defaults.sensors.slice(0, 1), load)).toEqual([0]);
  });

  it('when two sensors follow the load, then they are correlated as configured and each keeps its variation', () => {
    const runs = healthyRuns({ baseline: still, load }, 40, 2000);
    const rows = runs.flat();
    const col = (i: number) => rows.map((r) => r[i]!);
    expect(correlation(col(0), col(2))).toBeGreaterThan(0.93);
    expect(correlation(col(0), col(2))).toBeLessThan(0.97);
    expect(Math.abs(correlation(col(0), col(1)))).toBeLessThan(0.05);
    for (const i of [0, 1, 2]) expect(Math.abs(sd(col(i)) - 1)).toBeLessThan(0.05);
    // The load wanders with its time constant: lag-1 s autocorrelation of a follower ≈ ρ · e^(−1/30).
    const lagged = runs.flatMap((r) => r.slice(1).map((row, t) => [r[t]![0]!, row[0]!] as const));
    const lag1 = correlation(lagged.map((p) => p[0]), lagged.map((p) => p[1]));
    expect(Math.abs(lag1 - 0.95 * Math.exp(-1 / 30))).toBeLessThan(0.02);
  });

  it('when the correlation setting is 0.5, then the followers are correlated by 0.5', () => {
    const rows = healthyRuns({ baseline: still, load: { ...load, correlation: 0.5 } }, 40, 2000).flat();
    expect(Math.abs(correlation(rows.map((r) => r[0]!), rows.map((r) => r[2]!)) - 0.5)).toBeLessThan(0.04);
  });
});
