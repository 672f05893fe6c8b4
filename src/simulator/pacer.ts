/**
 * Turns a target rate into "which readings are due now", against a start
 * time rather than by counting ticks, so timer jitter does not change the
 * long-run rate. Readings are numbered slots: slot n is due at
 * startMs + n / (rate · timeScale) wall-clock seconds and stamped
 * startMs + n / rate seconds of simulated time, so with a time scale above 1
 * a run covers more simulated time than it takes. A backlog larger than
 * `maxBacklog` (the process stalled) is dropped, oldest first, rather than
 * sent as a burst of stale readings.
 */
export interface Pacer {
  /** Slots `first` .. `first + due - 1` are due at `now` (wall-clock epoch ms); `dropped` older ones were skipped. */
  take(now: number): { first: number; due: number; dropped: number };
  /** The simulated time slot `n` is stamped with (epoch ms). */
  slotTime(n: number): number;
  /** The simulated time at wall-clock time `wallMs` (epoch ms). */
  simulatedTime(wallMs: number): number;
}

export interface PacerOptions {
  /** Readings per second of simulated time, all devices together. */
  ratePerSecond: number;
  startMs: number;
  /** Simulated seconds per wall-clock second (default 1). */
  timeScale?: number;
  /** Most readings handed out by one take(); defaults to one wall-clock second's worth. */
  maxBacklog?: number;
}

export function createPacer(options: PacerOptions): Pacer {
  const timeScale = options.timeScale ?? 1;
  if (!(Number.isFinite(timeScale) && timeScale > 0)) throw new RangeError(`timeScale must be a positive number, got ${timeScale}`);
  const wallRate = options.ratePerSecond * timeScale;
  const maxBacklog = Math.max(1, Math.ceil(options.maxBacklog ?? wallRate));
  let scheduled = 0;
  return {
    take(now) {
      // Slots whose due time has passed; the epsilon keeps 0.3 s x 150/s at 45, not 46.
      const target = Math.ceil(((now - options.startMs) * wallRate) / 1000 - 1e-9);
      const behind = Math.max(0, target - scheduled);
      scheduled += behind;
      const due = Math.min(behind, maxBacklog);
      const dropped = behind - due;
      return { first: scheduled - due, due, dropped };
    },
    slotTime: (n) => options.startMs + Math.floor((n * 1000) / options.ratePerSecond),
    simulatedTime: (wallMs) => options.startMs + (wallMs - options.startMs) * timeScale,
  };
}

/** Timer period: often enough for smooth pacing at high rates, rarely enough not to spin at low ones. */
export function tickIntervalMs(ratePerSecond: number): number {
  return Math.min(100, Math.max(10, Math.round(1000 / ratePerSecond)));
}
