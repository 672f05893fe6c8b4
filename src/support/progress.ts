/**
 * A progress line for long tasks (training on a big CSV, eval, replay, bench,
 * soak): rewritten in place on a terminal, redrawn at most every 100 ms, and
 * nothing at all when disabled (a pipe, a log file, CI), where carriage
 * returns only garble the output. The caller decides whether it is enabled
 * (src/app/progress-mode.ts: a terminal, and not CI).
 */

export interface ProgressStream {
  write(text: string): unknown;
}

export interface ProgressOptions {
  stream: ProgressStream;
  enabled: boolean;
  label: string;
  /** Expected total: with it the line shows a percentage and the time left. */
  total?: number;
  /** What is counted: `bytes` are shown as KB/MB/GB, anything else as a plain count with this word. */
  unit?: string;
  intervalMs?: number;
  now?: () => number;
}

export interface Progress {
  /** `done` so far; `note` is appended (e.g. the current seed). */
  update(done: number, note?: string): void;
  /** Starts a new step with its own label and total; the clock restarts. */
  phase(label: string, total?: number, unit?: string): void;
  /** Clears the line, so what is printed next starts clean. Idempotent. */
  finish(): void;
}

export interface ProgressView {
  label: string;
  done: number;
  total?: number | undefined;
  unit?: string | undefined;
  elapsedMs: number;
  note?: string | undefined;
}

export function createProgress(o: ProgressOptions): Progress {
  const now = o.now ?? (() => performance.now());
  const interval = o.intervalMs ?? 100;
  let label = o.label;
  let total = o.total;
  let unit = o.unit;
  let started = now();
  let drawn = -Infinity;
  let shown = false;

  const draw = (done: number, note: string | undefined, force: boolean) => {
    const at = now();
    if (!force && at - drawn < interval) return;
    drawn = at;
    shown = true;
    o.stream.write(`\r${formatProgress({ label, done, total, unit, elapsedMs: at - started, note })}\x1b[K`);
  };

  if (!o.enabled) return { update: () => undefined, phase: () => undefined, finish: () => undefined };
  return {
    update: (done, note) => draw(done, note, total !== undefined && done >= total),
    phase(nextLabel, nextTotal, nextUnit) {
      label = nextLabel;
      total = nextTotal;
      unit = nextUnit ?? unit;
      started = now();
      draw(0, undefined, true);
    },
    finish() {
      if (!shown) return;
      shown = false;
      o.stream.write('\r\x1b[K');
    },
  };
}

/** `reading data.csv  45%  450 MB / 1.0 GB  120 MB/s  4 s left`; without a total, the count, the rate and the time so far. */
export function formatProgress(v: ProgressView): string {
  const parts = [v.label];
  const seconds = v.elapsedMs / 1000;
  const rate = seconds > 0 ? v.done / seconds : 0;
  const amount = (n: number) => (v.unit === 'bytes' ? bytes(n) : count(n));
  if (v.total !== undefined && v.total > 0) {
    const share = Math.min(1, v.done / v.total);
    parts.push(`${Math.floor(share * 100)}%`.padStart(4), `${amount(v.done)} / ${amount(v.total)}${v.unit !== undefined && v.unit !== 'bytes' ? ` ${v.unit}` : ''}`);
    if (v.done > 0) parts.push(`${amount(rate)}/s`);
    if (v.done > 0 && share < 1) parts.push(`${duration((v.total - v.done) / rate)} left`);
  } else {
    if (v.done > 0) parts.push(`${amount(v.done)}${v.unit !== undefined && v.unit !== 'bytes' ? ` ${v.unit}` : ''}`, `${amount(rate)}/s`);
    parts.push(duration(seconds));
  }
  if (v.note !== undefined) parts.push(v.note);
  return parts.join('  ');
}

function count(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(0)}k`;
  return String(Math.round(n));
}

function bytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${Math.round(n)} B`;
}

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const m = Math.floor(seconds / 60);
  return m < 60 ? `${m} min ${Math.round(seconds - m * 60)} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}
