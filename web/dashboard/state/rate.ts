export interface RateMeter {
  /** One event at `at` (ms). */
  count(at: number): void;
  /** Events per second over the last `seconds` whole seconds before `now`. */
  rate(now: number): number;
}

/**
 * Counts per second in a ring of `seconds` slots: constant memory at any rate.
 * Until `seconds` have passed since the first event, the rate is over the
 * seconds there were, so a page just opened does not show a tenth of the truth.
 */
export function createRateMeter(seconds: number): RateMeter {
  const slots = new Float64Array(seconds + 1);
  const stamps = new Float64Array(seconds + 1).fill(-1);
  const slot = (second: number) => second % slots.length;
  let first: number | undefined;
  return {
    count(at) {
      const second = Math.floor(at / 1000);
      first ??= second;
      const i = slot(second);
      if (stamps[i] !== second) {
        stamps[i] = second;
        slots[i] = 0;
      }
      slots[i]! += 1;
    },
    rate(now) {
      const current = Math.floor(now / 1000);
      let sum = 0;
      // Whole seconds only: the current one is still filling.
      for (let s = current - seconds; s < current; s++) if (stamps[slot(s)] === s) sum += slots[slot(s)]!;
      const span = first === undefined ? seconds : Math.min(seconds, Math.max(1, current - first));
      return sum / span;
    },
  };
}
