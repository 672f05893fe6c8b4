/**
 * Injected faults. Each kind turns a run of healthy readings into faulty ones;
 * all sizes are in "spreads" (the sensor's configured variation), so faults
 * stay clearly abnormal whatever the baselines are.
 */
import type { Random } from '../support/random.js';
import { baselines, rails, round2, spreads, type SensorProfile, type SensorValues } from './sensor-model.js';

export const ANOMALY_KINDS = ['spike', 'drift', 'stuck', 'noise_burst'] as const;
export type AnomalyKind = (typeof ANOMALY_KINDS)[number];

/**
 * A faulty reading is reported as injected only when some sensor is at least
 * this far from baseline. Below it (the start of a drift) it is not clearly
 * abnormal yet, and a detector should not be blamed for missing it.
 */
export const INJECTED_MIN_DEVIATION = 5;

/** A fault in progress on one device. */
export interface Fault {
  readonly kind: AnomalyKind;
  /** Readings still to be affected, this one included. */
  readonly remaining: number;
  /** Turns the next healthy values into faulty ones and uses up one reading. */
  apply(normal: SensorValues): SensorValues;
}

/** A new fault of `kind`; its randomness comes from `random`, the device's own generator. */
export function startFault(kind: AnomalyKind, random: Random, profile: SensorProfile): Fault {
  const base = baselines(profile);
  const unit = spreads(profile);
  switch (kind) {
    case 'spike':
      return spike(random, base, unit);
    case 'drift':
      return drift(random, unit);
    case 'stuck':
      return stuck(random, base, unit, profile);
    case 'noise_burst':
      return noiseBurst(random, base, unit);
  }
}

/** One reading with one to three sensors 6-12 spreads away, either direction. */
function spike(random: Random, base: SensorValues, unit: SensorValues): Fault {
  const count = 1 + random.int(Math.min(3, base.length));
  const chosen = shuffle(base.map((_, i) => i), random).slice(0, count);
  const offsets = chosen.map((i) => ({ i, offset: sign(random) * (6 + 6 * random.next()) * unit[i]! }));
  return countdown('spike', 1, (normal) => {
    const values: SensorValues = [...normal];
    for (const { i, offset } of offsets) values[i] = round2(base[i]! + offset);
    return values;
  });
}

/** One sensor ramps away by 2.5-3.5 spreads per reading for 4-7 readings: only the first one or two are below the reporting line. */
function drift(random: Random, unit: SensorValues): Fault {
  const sensor = random.int(unit.length);
  const step = sign(random) * (2.5 + random.next()) * unit[sensor]!;
  let k = 0;
  return countdown('drift', 4 + random.int(4), (normal) => {
    k += 1;
    const values: SensorValues = [...normal];
    values[sensor] = round2(normal[sensor]! + k * step);
    return values;
  });
}

/** One sensor reads a rail value for 3-8 readings, as a failed sensor does. */
function stuck(random: Random, base: SensorValues, unit: SensorValues, profile: SensorProfile): Fault {
  const sensor = random.int(base.length);
  const ends = rails(profile[sensor]!);
  const distance = (rail: number) => Math.abs(rail - base[sensor]!) / unit[sensor]!;
  const far = ends.filter((rail) => distance(rail) >= 2 * INJECTED_MIN_DEVIATION);
  // With baselines near both rails, take the farther one; the reporting line still decides what counts.
  const rail = far.length > 0 ? far[random.int(far.length)]! : [...ends].sort((a, b) => distance(b) - distance(a))[0]!;
  return countdown('stuck', 3 + random.int(6), (normal) => {
    const values: SensorValues = [...normal];
    values[sensor] = rail;
    return values;
  });
}

/**
 * 3-6 readings where every sensor has ten times its usual spread, each drawn
 * again until one sensor is at least 6 spreads out: a burst of wild but
 * centred values, none of which could pass for healthy.
 */
function noiseBurst(random: Random, base: SensorValues, unit: SensorValues): Fault {
  const draw = (): number[] => {
    for (let attempt = 0; attempt < 50; attempt++) {
      const z = base.map(() => random.gaussian() * 10);
      if (Math.max(...z.map(Math.abs)) >= 6) return z;
    }
    return base.map((_, i) => (i === 0 ? sign(random) * 6 : 0));
  };
  return countdown('noise_burst', 3 + random.int(4), () => {
    const z = draw();
    return base.map((b, i) => round2(b + z[i]! * unit[i]!));
  });
}

function countdown(kind: AnomalyKind, length: number, step: (normal: SensorValues) => SensorValues): Fault {
  let remaining = length;
  return {
    kind,
    get remaining() {
      return remaining;
    },
    apply(normal) {
      if (remaining <= 0) throw new Error(`${kind} fault is over`);
      remaining -= 1;
      return step(normal);
    },
  };
}

function sign(random: Random): 1 | -1 {
  return random.next() < 0.5 ? -1 : 1;
}

function shuffle<T>(items: T[], random: Random): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
