/**
 * Turns a target rate into "which readings are due now", against a start
 * time rather than by counting ticks, so timer jitter does not change the
 * long-run rate. Readings are numbered slots: slot n is due at
 * startMs + n / rate seconds. A backlog larger than `maxBacklog` (the process
 * stalled) is dropped, oldest first, rather than sent as a burst of stale readings.
 */
export interface Pacer {
  /** Slots `first` .. `first + due - 1` are due at `now` (epoch ms); `dropped` older ones were skipped. */
  take(now: number): { first: number; due: number; dropped: number };
  /** When slot `n` is due (epoch ms). */
  slotTime(n: number): number;
}

export interface PacerOptions {
  /** Readings per second, all devices together. */
  ratePerSecond: number;
  startMs: number;
  /** Most readings handed out by one take(); defaults to one second's worth. */
  maxBacklog?: number;
}

export function createPacer(options: PacerOptions): Pacer {
  const maxBacklog = Math.max(1, Math.ceil(options.maxBacklog ?? options.ratePerSecond));
  let scheduled = 0;
  return {
    take(now) {
      // Slots whose due time has passed; the epsilon keeps 0.3 s x 150/s at 45, not 46.
      const target = Math.ceil(((now - options.startMs) * options.ratePerSecond) / 1000 - 1e-9);
      const behind = Math.max(0, target - scheduled);
      scheduled += behind;
      const due = Math.min(behind, maxBacklog);
      const dropped = behind - due;
      return { first: scheduled - due, due, dropped };
    },
    slotTime: (n) => options.startMs + Math.floor((n * 1000) / options.ratePerSecond),
  };
}

/** Timer period: often enough for smooth pacing at high rates, rarely enough not to spin at low ones. */
export function tickIntervalMs(ratePerSecond: number): number {
  return Math.min(100, Math.max(10, Math.round(1000 / ratePerSecond)));
}
