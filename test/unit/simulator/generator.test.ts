import { loadConfig } from '../../../src/app/config.js';
import { simulatorSettings } from '../../helpers/settings.js';
import {
  ANOMALY_KINDS,
  createGenerator,
  INJECTED_MIN_DEVIATION,
  normalReadings,
  type GeneratedReading,
  type GeneratorOptions,
} from '../../../src/simulator/generator.js';
import { maxDeviation, type SensorValues } from '../../../src/simulator/sensor-model.js';

const defaults = simulatorSettings(loadConfig({}));
const options = (overrides: Partial<GeneratorOptions> = {}): GeneratorOptions => ({ ...defaults, ...overrides });

/** `perDevice` readings of every device, round-robin, one second apart. */
function run(o: GeneratorOptions, perDevice: number): GeneratedReading[] {
  const generator = createGenerator(o);
  const out: GeneratedReading[] = [];
  for (let step = 0; step < perDevice; step++) {
    for (let d = 0; d < generator.devices.length; d++) out.push(generator.next(d, Date.UTC(2024, 0, 20) + step * 1000));
  }
  return out;
}

const valuesOf = (g: GeneratedReading): SensorValues => [g.reading.temperature, g.reading.humidity, g.reading.sound] as number[];

function meanSd(xs: number[]): { mean: number; sd: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1));
  return { mean, sd };
}

describe('reading generator', () => {
  it('when run twice with the same seed, then the readings are identical', () => {
    expect(run(options({ seed: 7 }), 500)).toEqual(run(options({ seed: 7 }), 500));
  });

  it('when the seed differs, then the readings differ', () => {
    const a = run(options({ seed: 7 }), 50).map(valuesOf);
    const b = run(options({ seed: 8 }), 50).map(valuesOf);
    expect(a).not.toEqual(b);
  });

  it('when devices are interleaved differently, then each device still gets the same sequence', () => {
    const g1 = createGenerator(options({ devices: 2, anomalyRate: 0.2 }));
    const g2 = createGenerator(options({ devices: 2, anomalyRate: 0.2 }));
    const first1 = Array.from({ length: 20 }, (_, i) => g1.next(0, i).reading);
    for (let i = 0; i < 20; i++) g2.next(1, i);
    const first2 = Array.from({ length: 20 }, (_, i) => g2.next(0, i).reading);
    expect(first2).toEqual(first1);
  });

  it('when there are no anomalies, then each sensor has the configured baseline and variation', () => {
    const readings = run(options({ anomalyRate: 0 }), 4000);
    expect(readings.every((r) => r.fault === undefined && r.injected === undefined)).toBe(true);
    defaults.sensors.forEach(({ base, variation }, i) => {
      const { mean, sd } = meanSd(readings.map((r) => valuesOf(r)[i]!));
      expect(Math.abs(mean - base)).toBeLessThan(0.05 * variation);
      expect(Math.abs(sd - variation)).toBeLessThan(0.05 * variation);
    });
  });

  it('when the configuration changes the baselines, then readings follow it', () => {
    const sensors = [
      { name: 'temperature', base: 80, variation: 3 },
      { name: 'humidity', base: 20, variation: 1 },
      { name: 'sound', base: 90, variation: 5 },
    ];
    const readings = run(options({ anomalyRate: 0, sensors }), 2000);
    expect(meanSd(readings.map((r) => r.reading.temperature as number)).mean).toBeCloseTo(80, 0);
    expect(meanSd(readings.map((r) => r.reading.sound as number)).sd).toBeCloseTo(5, 0);
  });

  it('then readings are well formed: ISO timestamp, values rounded to 2 decimals', () => {
    for (const { reading } of run(options({ anomalyRate: 0.1 }), 100)) {
      expect(Date.parse(reading.timestamp)).not.toBeNaN();
      expect(reading.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      for (const v of [reading.temperature, reading.humidity, reading.sound] as number[]) expect(Math.round(v * 100) / 100).toBe(v);
    }
  });

  it('when the anomaly rate is 2%, then about 2% of the readings outside faults start one', () => {
    const readings = run(options({ anomalyRate: 0.02 }), 20_000);
    const starts = readings.filter((r) => r.fault?.step === 0).length;
    const eligible = readings.filter((r) => r.fault === undefined).length + starts;
    // 100k readings: a 2% rate gives ~1800 starts with sd ~42, so 10% is a wide margin.
    expect(starts / eligible).toBeGreaterThan(0.018);
    expect(starts / eligible).toBeLessThan(0.022);
  });

  it('when anomalies are injected, then every kind occurs', () => {
    const kinds = new Set(run(options({ anomalyRate: 0.05 }), 2000).flatMap((r) => (r.injected ? [r.injected.kind] : [])));
    expect([...kinds].sort()).toEqual([...ANOMALY_KINDS].sort());
  });

  it('then every injected reading is at least 5 sd out on some sensor, and healthy readings keep Gaussian tails', () => {
    const readings = run(options({ anomalyRate: 0.05 }), 10_000);
    const injected = readings.filter((r) => r.injected !== undefined);
    expect(injected.length).toBeGreaterThan(1000);
    for (const r of injected) expect(maxDeviation(valuesOf(r), defaults.sensors)).toBeGreaterThanOrEqual(INJECTED_MIN_DEVIATION);
    // Healthy readings keep Gaussian tails: beyond 4 sd about 1 sensor value in 16,000, beyond 6 sd never in practice.
    const healthy = readings.filter((r) => r.fault === undefined).map((r) => maxDeviation(valuesOf(r), defaults.sensors));
    const expectedBeyond4 = healthy.length * 3 * 6.3e-5;
    expect(healthy.filter((d) => d >= 4).length).toBeLessThan(3 * expectedBeyond4);
    expect(healthy.filter((d) => d >= 6)).toHaveLength(0);
  });

  it('then the ground truth names exactly the readings that were made anomalous', () => {
    for (const r of run(options({ anomalyRate: 0.05 }), 5000)) {
      const anomalous = r.fault !== undefined && maxDeviation(valuesOf(r), defaults.sensors) >= INJECTED_MIN_DEVIATION;
      if (anomalous) {
        expect(r.injected).toEqual({ device: r.device.id, timestamp: r.reading.timestamp, kind: r.fault!.kind });
      } else {
        expect(r.injected).toBeUndefined();
      }
    }
  });

  it('when a drift starts, then its first reading is mostly not yet reported and the ramp soon is', () => {
    const drifts = run(options({ anomalyRate: 0.05 }), 5000).filter((r) => r.fault?.kind === 'drift');
    const reportedShare = (rs: GeneratedReading[]) => rs.filter((r) => r.injected).length / rs.length;
    expect(reportedShare(drifts.filter((r) => r.fault!.step === 0))).toBeLessThan(0.1);
    expect(reportedShare(drifts.filter((r) => r.fault!.step >= 3))).toBeGreaterThan(0.99);
  });

  it('when the anomaly rate is 1, then faults follow one another', () => {
    const readings = run(options({ anomalyRate: 1, devices: 1 }), 200);
    expect(readings.every((r) => r.fault !== undefined)).toBe(true);
    expect(readings.filter((r) => r.injected).length).toBeGreaterThan(150);
  });

  it('when asked for an unknown device, then it throws', () => {
    expect(() => createGenerator(options({ devices: 2 })).next(2, 0)).toThrow(RangeError);
  });
});

describe('normalReadings', () => {
  it('then it returns n healthy rows in feature order, the same for the same seed', () => {
    const rows = normalReadings(defaults.sensors, 3000, 1);
    expect(rows).toHaveLength(3000);
    expect(rows).toEqual(normalReadings(defaults.sensors, 3000, 1));
    expect(rows).not.toEqual(normalReadings(defaults.sensors, 3000, 2));
    const [t, h, s] = [0, 1, 2].map((i) => meanSd(rows.map((row) => row[i]!)));
    expect(t!.mean).toBeCloseTo(25, 1);
    expect(h!.mean).toBeCloseTo(50, 0);
    expect(s!.mean).toBeCloseTo(60, 0);
    expect(t!.sd).toBeCloseTo(1, 1);
    expect(h!.sd).toBeCloseTo(2, 0);
    expect(s!.sd).toBeCloseTo(2, 0);
  });
});
