import { loadConfig } from '../../../src/app/config.js';
import { simulatorSettings } from '../../helpers/settings.js';
import { mean, sd } from '../../helpers/statistics.js';
import { groupBy } from '../../../tools/eval/incident-metrics.js';
import {
  createGenerator,
  FAULT_KINDS,
  INJECTED_MIN_DEVIATION,
  normalReadings,
  type GeneratedReading,
  type GeneratorOptions,
  type InjectedAnomaly,
} from '../../../src/simulator/generator.js';
import { maxDeviation, type SensorValues } from '../../../src/simulator/sensor-model.js';

const defaults = simulatorSettings(loadConfig({}));
const options = (overrides: Partial<GeneratorOptions> = {}): GeneratorOptions => ({ ...defaults, ...overrides });
/** Fixed baselines, independent sensors, no gap: the original simulation. */
const stationary = (overrides: Partial<GeneratorOptions> = {}): GeneratorOptions =>
  options({ baseline: undefined, load: undefined, faults: { kinds: 'all', gapSeconds: 0 }, ...overrides });
const T0 = Date.UTC(2024, 0, 20);

/** `perDevice` readings of every device, round-robin, one second apart. */
function run(o: GeneratorOptions, perDevice: number): GeneratedReading[] {
  const generator = createGenerator({ ...o, originMs: T0 });
  const out: GeneratedReading[] = [];
  for (let step = 0; step < perDevice; step++) {
    for (let d = 0; d < generator.devices.length; d++) out.push(generator.next(d, T0 + step * 1000));
  }
  return out;
}

const valuesOf = (g: GeneratedReading): SensorValues => [g.reading!.temperature, g.reading!.humidity, g.reading!.sound] as number[];
const withReading = (rs: GeneratedReading[]) => rs.filter((r) => r.reading !== undefined);
const truthOf = (rs: GeneratedReading[]): InjectedAnomaly[] => rs.flatMap((r) => r.truth);

function meanSd(xs: number[]): { mean: number; sd: number } {
  return { mean: mean(xs), sd: sd(xs) };
}

describe('reading generator', () => {
  it('when run twice with the same seed, then the readings and ground truth are identical', () => {
    expect(run(options({ seed: 7 }), 500)).toEqual(run(options({ seed: 7 }), 500));
  });

  it('when the seed differs, then the readings differ', () => {
    const a = withReading(run(options({ seed: 7, anomalyRate: 0 }), 50)).map(valuesOf);
    const b = withReading(run(options({ seed: 8, anomalyRate: 0 }), 50)).map(valuesOf);
    expect(a).not.toEqual(b);
  });

  it('when devices are interleaved differently, then each device still gets the same sequence', () => {
    const g1 = createGenerator(options({ devices: 2, anomalyRate: 0.2, faults: { kinds: 'all', gapSeconds: 0 } }));
    const g2 = createGenerator(options({ devices: 2, anomalyRate: 0.2, faults: { kinds: 'all', gapSeconds: 0 } }));
    const first1 = Array.from({ length: 300 }, (_, i) => g1.next(0, i * 1000));
    for (let i = 0; i < 300; i++) g2.next(1, i * 1000);
    const first2 = Array.from({ length: 300 }, (_, i) => g2.next(0, i * 1000));
    expect(first2).toEqual(first1);
  });

  it('when baselines are fixed and there are no anomalies, then each sensor has the configured baseline and variation', () => {
    const readings = run(stationary({ anomalyRate: 0 }), 4000);
    expect(readings.every((r) => r.fault === undefined && r.truth.length === 0)).toBe(true);
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
    const readings = run(stationary({ anomalyRate: 0, sensors }), 2000);
    expect(meanSd(readings.map((r) => r.reading!.temperature as number)).mean).toBeCloseTo(80, 0);
    expect(meanSd(readings.map((r) => r.reading!.sound as number)).sd).toBeCloseTo(5, 0);
  });

  it('then readings are well formed: ISO timestamp, values rounded to 2 decimals', () => {
    for (const { reading } of withReading(run(options({ anomalyRate: 0.1 }), 300))) {
      expect(Date.parse(reading!.timestamp)).not.toBeNaN();
      expect(reading!.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      for (const v of valuesOf({ reading } as GeneratedReading)) expect(Math.round(v * 100) / 100).toBe(v);
    }
  });

  it('when the anomaly rate is 2%, then about 2% of the readings outside faults and gaps start one', () => {
    const gapSeconds = 30;
    const readings = run(options({ anomalyRate: 0.02, faults: { kinds: 'all', gapSeconds } }), 20_000);
    const byDevice = groupBy(readings, (r) => r.device.id);
    let starts = 0;
    let eligible = 0;
    for (const stream of byDevice.values()) {
      let quietUntil = Date.parse(stream[0]!.timestamp) + gapSeconds * 1000;
      for (const r of stream) {
        const at = Date.parse(r.timestamp);
        const started = r.fault?.step === 0;
        if (started) starts += 1;
        if ((r.fault === undefined || started) && at >= quietUntil) eligible += 1;
        if (r.truth.some((t) => t.marker === 'end')) quietUntil = at + gapSeconds * 1000;
      }
    }
    // ~1200 starts at 2% have a relative sd of ~3%, so 10% is a wide margin.
    expect(starts / eligible).toBeGreaterThan(0.018);
    expect(starts / eligible).toBeLessThan(0.022);
  });

  it('when a fault ends, then the device stays healthy for at least the gap, and the first fault waits for the gap too', () => {
    const gapSeconds = 45;
    const readings = run(options({ anomalyRate: 0.5, faults: { kinds: 'all', gapSeconds } }), 3000);
    for (const stream of groupBy(readings, (r) => r.device.id).values()) {
      let previousEnd = Date.parse(stream[0]!.timestamp) - 1000;
      for (const r of stream) {
        if (r.truth.some((t) => t.marker === 'start')) expect(Date.parse(r.timestamp) - previousEnd).toBeGreaterThanOrEqual(gapSeconds * 1000);
        if (r.truth.some((t) => t.marker === 'end')) previousEnd = Date.parse(r.timestamp);
      }
    }
  });

  it('when faults are injected, then every kind occurs, in about equal numbers', () => {
    const starts = truthOf(run(options({ anomalyRate: 0.05 }), 3 * 3600)).filter((t) => t.marker === 'start');
    const counts = groupBy(starts, (t) => t.kind);
    expect([...counts.keys()].sort()).toEqual([...FAULT_KINDS].sort());
    const sizes = [...counts.values()].map((c) => c.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(defaults.devices);
  });

  it('when there are at least as many devices as kinds, then the first fault of the devices covers every kind', () => {
    const firsts = new Map<string, string>();
    for (const t of truthOf(run(options({ devices: FAULT_KINDS.length, anomalyRate: 1 }), 70))) {
      if (t.marker === 'start' && !firsts.has(t.device)) firsts.set(t.device, t.kind);
    }
    expect([...firsts.values()].sort()).toEqual([...FAULT_KINDS].sort());
  });

  it('when the kinds are limited, then only those occur', () => {
    const kinds = truthOf(run(options({ anomalyRate: 0.1, faults: { kinds: ['flatline', 'dropout'], gapSeconds: 0 } }), 2000)).map((t) => t.kind);
    expect(new Set(kinds)).toEqual(new Set(['flatline', 'dropout']));
  });

  it('when no two sensors follow the load, then no correlation break is scheduled', () => {
    const generator = createGenerator(options({ load: { sensors: ['temperature'], correlation: 0.9, seconds: 30 } }));
    expect(generator.kinds).not.toContain('correlation_break');
  });

  it('then every fault has a start and an end marker, in order, with one id, and reading markers only in between', () => {
    const readings = run(options({ anomalyRate: 0.05 }), 2 * 3600);
    const byFault = groupBy(truthOf(readings), (t) => t.fault_id);
    expect(byFault.size).toBeGreaterThan(100);
    for (const [id, markers] of byFault) {
      const [first, ...rest] = markers;
      expect(first).toMatchObject({ marker: 'start', fault_id: id });
      expect(id).toBe(`${first!.device}#${id.split('#')[1]}`);
      expect(first!.sensors).toBeDefined();
      const last = rest.at(-1);
      // A fault still in progress when the run stopped has no end marker yet.
      if (last?.marker !== 'end') {
        expect(Date.parse(first!.timestamp)).toBeGreaterThan(T0 + (2 * 3600 - 400) * 1000);
        continue;
      }
      expect(rest.slice(0, -1).every((m) => m.marker === 'reading')).toBe(true);
      expect(markers.every((m) => m.kind === first!.kind && m.device === first!.device)).toBe(true);
      const times = markers.map((m) => Date.parse(m.timestamp));
      expect([...times].sort((a, b) => a - b)).toEqual(times);
    }
  });

  it('then a dropout withholds exactly the readings between its markers, and the device reads on both sides', () => {
    const readings = run(options({ anomalyRate: 0.05, faults: { kinds: ['dropout', 'spike'], gapSeconds: 10 } }), 3600);
    const dropouts = truthOf(readings).filter((t) => t.kind === 'dropout');
    const starts = dropouts.filter((t) => t.marker === 'start');
    expect(starts.length).toBeGreaterThan(5);
    for (const start of starts) {
      const end = dropouts.find((t) => t.marker === 'end' && t.fault_id === start.fault_id);
      if (end === undefined) continue;
      const stream = readings.filter((r) => r.device.id === start.device);
      const from = stream.findIndex((r) => r.timestamp === start.timestamp);
      const to = stream.findIndex((r) => r.timestamp === end.timestamp);
      expect(to - from + 1).toBeGreaterThanOrEqual(60);
      expect(stream.slice(from, to + 1).every((r) => r.reading === undefined)).toBe(true);
      expect(stream[from - 1]!.reading).toBeDefined();
      if (to + 1 < stream.length) expect(stream[to + 1]!.reading).toBeDefined();
      expect(dropouts.filter((t) => t.fault_id === start.fault_id && t.marker === 'reading')).toHaveLength(0);
    }
  });

  it('then the reading markers name exactly the readings that are anomalous on their own, with the original fields', () => {
    for (const r of run(options({ anomalyRate: 0.05, faults: { kinds: ['spike', 'drift', 'stuck', 'noise_burst', 'flatline'], gapSeconds: 10 } }), 3000)) {
      const readingMarkers = r.truth.filter((t) => t.marker === 'reading');
      expect(readingMarkers).toEqual(r.injected ? [r.injected] : []);
      if (r.injected === undefined) continue;
      expect(r.injected).toMatchObject({ device: r.device.id, timestamp: r.reading!.timestamp, kind: r.fault!.kind, fault_id: r.fault!.id });
    }
  });

  it('then value faults are reported once 5 sd from the moving baseline, and healthy readings keep Gaussian tails around it', () => {
    const readings = run(stationary({ anomalyRate: 0.05, faults: { kinds: ['spike', 'drift', 'stuck', 'noise_burst'], gapSeconds: 0 } }), 10_000);
    const injected = readings.filter((r) => r.injected !== undefined);
    expect(injected.length).toBeGreaterThan(1000);
    for (const r of injected) expect(maxDeviation(valuesOf(r), defaults.sensors)).toBeGreaterThanOrEqual(INJECTED_MIN_DEVIATION);
    // Healthy readings keep Gaussian tails: beyond 4 sd about 1 sensor value in 16,000, beyond 6 sd never in practice.
    const healthy = readings.filter((r) => r.fault === undefined).map((r) => maxDeviation(valuesOf(r), defaults.sensors));
    const expectedBeyond4 = healthy.length * 3 * 6.3e-5;
    expect(healthy.filter((d) => d >= 4).length).toBeLessThan(3 * expectedBeyond4);
    expect(healthy.filter((d) => d >= 6)).toHaveLength(0);
  });

  it('when a drift starts, then its first reading is mostly not yet reported and the ramp soon is', () => {
    const drifts = run(stationary({ anomalyRate: 0.05 }), 5000).filter((r) => r.fault?.kind === 'drift');
    const reportedShare = (rs: GeneratedReading[]) => rs.filter((r) => r.injected).length / rs.length;
    expect(reportedShare(drifts.filter((r) => r.fault!.step === 0))).toBeLessThan(0.1);
    expect(reportedShare(drifts.filter((r) => r.fault!.step >= 3))).toBeGreaterThan(0.99);
  });

  it('when the anomaly rate is 1 and there is no gap, then faults follow one another', () => {
    const readings = run(stationary({ anomalyRate: 1, devices: 1 }), 600);
    expect(readings.every((r) => r.fault !== undefined)).toBe(true);
  });

  it('when asked for an unknown device, then it throws', () => {
    expect(() => createGenerator(options({ devices: 2 })).next(2, 0)).toThrow(RangeError);
  });

  it('when a load sensor is not in the schema, then it is a setting error', () => {
    expect(() => createGenerator(options({ load: { sensors: ['vibration'], correlation: 0.9, seconds: 30 } }))).toThrow(/vibration, not in the sensor schema/);
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
