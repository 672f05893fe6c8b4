/**
 * The original faults: a few readings far from the moving baseline. Each is
 * reported reading by reading once some sensor is INJECTED_MIN_DEVIATION
 * spreads out.
 */
import { countdown, INJECTED_MIN_DEVIATION, shuffle, sign, type Fault, type FaultContext, type FaultEnvironment } from './fault.js';
import { maxDeviation, rails, round2, spreads, type SensorProfile, type SensorValues } from './sensor-model.js';

/** A value fault: `change` makes the reading, and it is reported when it is far out. */
function valueStep(profile: SensorProfile, change: (context: FaultContext) => SensorValues) {
  return (context: FaultContext) => {
    const values = change(context);
    return { values, reported: maxDeviation(values, profile, context.baseline) >= INJECTED_MIN_DEVIATION };
  };
}

/** One reading with one to three sensors 6-12 spreads from their baseline, either direction. */
export function spike({ random, profile }: FaultEnvironment): Fault {
  const unit = spreads(profile);
  const count = 1 + random.int(Math.min(3, profile.length));
  const chosen = shuffle(profile.map((_, i) => i), random).slice(0, count);
  const offsets = chosen.map((i) => ({ i, offset: sign(random) * (6 + 6 * random.next()) * unit[i]! }));
  return countdown('spike', chosen, 1, valueStep(profile, ({ healthy, baseline }) => {
    const values: SensorValues = [...healthy];
    for (const { i, offset } of offsets) values[i] = round2(baseline[i]! + offset);
    return values;
  }));
}

/** One sensor ramps away by 2.5-3.5 spreads per reading for 4-7 readings: only the first one or two are below the reporting line. */
export function drift({ random, profile }: FaultEnvironment): Fault {
  const sensor = random.int(profile.length);
  const step = sign(random) * (2.5 + random.next()) * spreads(profile)[sensor]!;
  let k = 0;
  return countdown('drift', [sensor], 4 + random.int(4), valueStep(profile, ({ healthy }) => {
    k += 1;
    const values: SensorValues = [...healthy];
    values[sensor] = round2(healthy[sensor]! + k * step);
    return values;
  }));
}

/** One sensor reads a rail value for 3-8 readings, as a failed sensor does. */
export function stuck({ random, profile }: FaultEnvironment): Fault {
  const sensor = random.int(profile.length);
  const field = profile[sensor]!;
  const unit = spreads(profile)[sensor]!;
  const ends = rails(field);
  const distance = (rail: number) => Math.abs(rail - field.base) / unit;
  const far = ends.filter((rail) => distance(rail) >= 2 * INJECTED_MIN_DEVIATION);
  // With baselines near both rails, take the farther one; the reporting line still decides what counts.
  const rail = far.length > 0 ? far[random.int(far.length)]! : [...ends].sort((a, b) => distance(b) - distance(a))[0]!;
  return countdown('stuck', [sensor], 3 + random.int(6), valueStep(profile, ({ healthy }) => {
    const values: SensorValues = [...healthy];
    values[sensor] = rail;
    return values;
  }));
}

/**
 * 3-6 readings where every sensor has ten times its usual spread, each drawn
 * again until one sensor is at least 6 spreads out: a burst of wild but
 * centred values, none of which could pass for healthy.
 */
export function noiseBurst({ random, profile }: FaultEnvironment): Fault {
  const unit = spreads(profile);
  const draw = (): number[] => {
    for (let attempt = 0; attempt < 50; attempt++) {
      const z = profile.map(() => random.gaussian() * 10);
      if (Math.max(...z.map(Math.abs)) >= 6) return z;
    }
    return profile.map((_, i) => (i === 0 ? sign(random) * 6 : 0));
  };
  return countdown('noise_burst', profile.map((_, i) => i), 3 + random.int(4), valueStep(profile, ({ baseline }) => {
    const z = draw();
    return baseline.map((b, i) => round2(b + z[i]! * unit[i]!));
  }));
}
