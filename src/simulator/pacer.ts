/**
 * Turns a target rate into "how many readings are due now", against a start
 * time rather than by counting ticks, so timer jitter does not change the
 * long-run rate. A backlog larger than `maxBacklog` (the process stalled, or
 * the connection is slow) is dropped rather than sent in a burst of stale readings.
 */
export interface Pacer {
  /** Readings due at `now` (epoch ms), and how many were dropped as too late. */
  take(now: number): { due: number; dropped: number };
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
      const target = Math.floor(((now - options.startMs) / 1000) * options.ratePerSecond);
      const behind = Math.max(0, target - scheduled);
      scheduled += behind;
      const due = Math.min(behind, maxBacklog);
      return { due, dropped: behind - due };
    },
  };
}

/** Timer period: often enough for smooth pacing at high rates, rarely enough not to spin at low ones. */
export function tickIntervalMs(ratePerSecond: number): number {
  return Math.min(100, Math.max(10, Math.round(1000 / ratePerSecond)));
}
