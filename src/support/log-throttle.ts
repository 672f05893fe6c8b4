/**
 * A flood of bad messages must not become a flood of log lines: allow one line
 * per key per interval and report how many were suppressed in between.
 */
export function createLogThrottle(intervalMs: number, now: () => number = Date.now) {
  const last = new Map<string, { at: number; suppressed: number }>();
  return (key: string, emit: (suppressed: number) => void): void => {
    const t = now();
    const entry = last.get(key);
    if (entry && t - entry.at < intervalMs) {
      entry.suppressed += 1;
      return;
    }
    emit(entry?.suppressed ?? 0);
    last.set(key, { at: t, suppressed: 0 });
  };
}
