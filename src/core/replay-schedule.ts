/**
 * When each recorded row is sent, relative to the start of a replay: at the
 * recorded pace times a factor, at a fixed rate, or as fast as the broker
 * takes them (no schedule: the publisher's in-flight window paces it). Pure.
 */
export type ReplayPace = { readonly kind: 'speed'; readonly factor: number } | { readonly kind: 'rate'; readonly perSecond: number } | { readonly kind: 'max' };

/** Milliseconds after the start at which row `i` (event time `t`, the first row's `t0`) is due; 0 for `max`. */
export function dueAfter(pace: ReplayPace, i: number, t: number, t0: number): number {
  switch (pace.kind) {
    case 'speed':
      return Math.max(0, (t - t0) / pace.factor);
    case 'rate':
      return (i * 1000) / pace.perSecond;
    case 'max':
      return 0;
  }
}

/** `--speed 10`, `--rate 500`, `--max`: the one given, or recorded pace (speed 1) by default. */
export function paceOf(speed: number | undefined, rate: number | undefined, max: boolean): ReplayPace | string {
  const given = [speed !== undefined, rate !== undefined, max].filter(Boolean).length;
  if (given > 1) return 'give one of --speed, --rate, --max';
  if (speed !== undefined) return speed > 0 && Number.isFinite(speed) ? { kind: 'speed', factor: speed } : '--speed must be a positive number';
  if (rate !== undefined) return rate > 0 && Number.isFinite(rate) ? { kind: 'rate', perSecond: rate } : '--rate must be a positive number of readings per second';
  return max ? { kind: 'max' } : { kind: 'speed', factor: 1 };
}
