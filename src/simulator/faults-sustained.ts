/**
 * Faults that last minutes of simulated time and that no single reading
 * gives away (or, for a slow drift, not before it has gone far): a detector
 * needs each device's recent history to see them. Every reading of a
 * pattern fault counts as anomalous; a slow drift's once it is far out.
 */
import { createLoad } from './load.js';
import {
  between,
  countdown,
  INJECTED_MIN_DEVIATION,
  pick,
  readingsIn,
  sign,
  varyingSensors,
  type Fault,
  type FaultEnvironment,
} from './fault.js';
import { maxDeviation, round2, spreads, type SensorValues } from './sensor-model.js';

/** How long each sustained fault lasts, in simulated seconds [shortest, longest). */
export const SUSTAINED_SECONDS = {
  flatline: [60, 180],
  slow_drift: [180, 360],
  noise_increase: [60, 180],
  correlation_break: [90, 240],
  dropout: [60, 180],
} as const satisfies Record<string, readonly [number, number]>;

/** How far a slow drift has gone by its last reading, in spreads [least, most). */
export const SLOW_DRIFT_SPREADS = [8, 12] as const;
/** How many times its healthy spread a noisier sensor has [least, most). */
export const NOISE_INCREASE_FACTOR = [3, 5] as const;

function duration(env: FaultEnvironment, kind: keyof typeof SUSTAINED_SECONDS): number {
  const [low, high] = SUSTAINED_SECONDS[kind];
  // At least two readings: a pattern needs more than one to be one.
  return readingsIn(between(env.random, low, high), env.rate, 2);
}

const withSensor = (healthy: SensorValues, sensor: number, value: number): SensorValues => {
  const values = [...healthy];
  values[sensor] = value;
  return values;
};

/** One sensor stuck at the value it read when the fault began: a normal value, so only its lack of variation shows. */
export function flatline(env: FaultEnvironment): Fault {
  const sensor = pick(varyingSensors(env.profile), env.random);
  let frozen: number | undefined;
  return countdown('flatline', [sensor], duration(env, 'flatline'), ({ healthy }) => {
    frozen ??= healthy[sensor]!;
    return { values: withSensor(healthy, sensor, frozen), reported: true };
  });
}

/** One sensor drifts away linearly, reaching 8-12 spreads at its last reading, then reads healthy again (recalibrated). */
export function slowDrift(env: FaultEnvironment): Fault {
  const sensor = env.random.int(env.profile.length);
  const length = duration(env, 'slow_drift');
  const [least, most] = SLOW_DRIFT_SPREADS;
  const total = sign(env.random) * between(env.random, least, most) * spreads(env.profile)[sensor]!;
  let k = 0;
  return countdown('slow_drift', [sensor], length, ({ healthy, baseline }) => {
    k += 1;
    const values = withSensor(healthy, sensor, round2(healthy[sensor]! + (total * k) / length));
    return { values, reported: maxDeviation(values, env.profile, baseline) >= INJECTED_MIN_DEVIATION };
  });
}

/** One sensor's spread grows 3-5 times around the same mean: extra zero-mean noise on top of its healthy value. */
export function noiseIncrease(env: FaultEnvironment): Fault {
  const sensor = pick(varyingSensors(env.profile), env.random);
  const [least, most] = NOISE_INCREASE_FACTOR;
  const factor = between(env.random, least, most);
  const extra = Math.sqrt(factor * factor - 1) * spreads(env.profile)[sensor]!;
  return countdown('noise_increase', [sensor], duration(env, 'noise_increase'), ({ healthy }) => ({
    values: withSensor(healthy, sensor, round2(healthy[sensor]! + extra * env.random.gaussian())),
    reported: true,
  }));
}

/**
 * One of the sensors that follow the shared load stops following it and
 * follows a load of its own instead, which starts where the shared one is (no
 * jump) and wanders off with the same statistics: each sensor alone still
 * looks healthy; only their relation breaks. Needs two sensors on the load.
 */
export function correlationBreak(env: FaultEnvironment): Fault {
  const onLoad = env.loadings.flatMap((l, i) => (l > 0 ? [i] : []));
  if (onLoad.length < 2) throw new RangeError('a correlation break needs two sensors that follow the load');
  const sensor = pick(onLoad, env.random);
  const loading = env.loadings[sensor]!;
  const variation = env.profile[sensor]!.variation > 0 ? env.profile[sensor]!.variation : 1;
  let own: ReturnType<typeof createLoad> | undefined;
  // The broken sensor first, then the ones it used to move with.
  const sensors = [sensor, ...onLoad.filter((i) => i !== sensor)];
  return countdown('correlation_break', sensors, duration(env, 'correlation_break'), ({ healthy, load, dt }) => {
    const mine = own === undefined ? (own = createLoad(env.random, env.loadSeconds, load)).value : own.step(dt);
    return { values: withSensor(healthy, sensor, round2(healthy[sensor]! + variation * loading * (mine - load))), reported: true };
  });
}

/** The device publishes nothing for 60-180 s (a network or power loss); its readings resume where they would have been. */
export function dropout(env: FaultEnvironment): Fault {
  return countdown('dropout', [], duration(env, 'dropout'), () => ({ values: undefined, reported: false }));
}
