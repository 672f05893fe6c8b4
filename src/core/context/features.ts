/**
 * What the forest sees. Feature names are recorded in every model file, so a
 * model says which features it needs and the stage computes exactly those:
 *   `temperature`       the raw value (models trained without time context)
 *   `temperature~z`     (x - m) / s against the running mean m and sd s of the
 *                       normaliser (taken before this reading, so a spike is
 *                       measured against the past, not itself)
 *   `temperature~z-3`   the same, 3 readings ago (a shingle of recent context)
 */
export interface FeaturePlan {
  readonly names: readonly string[];
  /** Per feature: the sensor's index. */
  readonly sensor: Int32Array;
  /** Per feature: -1 for the raw value, else how many readings ago its z is taken. */
  readonly lag: Int32Array;
  /** Longest lag + 1: the shingle ring's length. */
  readonly depth: number;
}

const NAME = /^(.*?)(?:~z(?:-(\d+))?)?$/;

/** Names for a new model: each sensor's z and its `shingle - 1` predecessors, or the raw values. */
export function featureNames(sensors: readonly string[], shingle: number, raw: boolean): string[] {
  if (raw) return [...sensors];
  const names: string[] = [];
  for (let lag = shingle - 1; lag >= 0; lag--) for (const s of sensors) names.push(lag === 0 ? `${s}~z` : `${s}~z-${lag}`);
  return names;
}

/** The plan for a model's features, or the problem (a feature of a sensor that is not configured). */
export function planFeatures(names: readonly string[], sensors: readonly string[]): FeaturePlan | string {
  const index = new Map(sensors.map((s, i) => [s, i]));
  const sensor = new Int32Array(names.length);
  const lag = new Int32Array(names.length);
  let depth = 1;
  const unknown: string[] = [];
  names.forEach((name, f) => {
    const exact = index.get(name);
    if (exact !== undefined) {
      sensor[f] = exact;
      lag[f] = -1;
      return;
    }
    const m = NAME.exec(name)!;
    const j = name.includes('~z') ? index.get(m[1]!) : undefined;
    if (j === undefined) return unknown.push(name);
    sensor[f] = j;
    lag[f] = m[2] === undefined ? 0 : Number(m[2]);
    depth = Math.max(depth, lag[f]! + 1);
  });
  if (unknown.length > 0) return `features ${unknown.join(', ')} are not computed from the configured sensors`;
  return { names, sensor, lag, depth };
}

/** True when the plan reads only raw values (no time context needed for the forest). */
export function isRawPlan(plan: FeaturePlan): boolean {
  return plan.lag.every((l) => l === -1);
}
