/**
 * One `throughput` log line every LOG_SUMMARY_SECONDS: what the worker did
 * since the last one (readings, scored, anomalies, rejections by code, the
 * rate). The per-reading path logs nothing at info, so this is how a log
 * shows the stream is alive and how busy it is.
 */
import type { Logger } from '../support/logger.js';

export interface ThroughputCounters {
  readonly received: number;
  readonly scored: number;
  readonly anomalies: number;
  readonly rejected: number;
  readonly rejectedByCode: Readonly<Record<string, number | undefined>>;
  readonly publishErrors: number;
}

export interface ThroughputSummary {
  seconds: number;
  received: number;
  scored: number;
  anomalies: number;
  rejected: number;
  perSecond: number;
  rejectedByCode?: Record<string, number>;
  publishErrors?: number;
}

/** What changed between two snapshots, over `seconds`. */
export function throughputSummary(before: ThroughputCounters, after: ThroughputCounters, seconds: number): ThroughputSummary {
  const received = after.received - before.received;
  const summary: ThroughputSummary = {
    seconds: Math.round(seconds * 10) / 10,
    received,
    scored: after.scored - before.scored,
    anomalies: after.anomalies - before.anomalies,
    rejected: after.rejected - before.rejected,
    perSecond: seconds > 0 ? Math.round((received / seconds) * 10) / 10 : 0,
  };
  const codes: Record<string, number> = {};
  for (const [code, n] of Object.entries(after.rejectedByCode)) {
    const delta = (n ?? 0) - (before.rejectedByCode[code] ?? 0);
    if (delta > 0) codes[code] = delta;
  }
  if (Object.keys(codes).length > 0) summary.rejectedByCode = codes;
  const publishErrors = after.publishErrors - before.publishErrors;
  if (publishErrors > 0) summary.publishErrors = publishErrors;
  return summary;
}

/** Starts the periodic line; the returned function stops it. Nothing when `intervalSeconds` is 0. */
export function startThroughputLog(stats: () => Readonly<ThroughputCounters>, intervalSeconds: number, logger: Logger, now: () => number = () => performance.now()): () => void {
  if (intervalSeconds <= 0) return () => undefined;
  const log = logger.child({ component: 'throughput' });
  let last = snapshot(stats());
  let lastAt = now();
  const timer = setInterval(() => {
    const current = snapshot(stats());
    const at = now();
    log.info(throughputSummary(last, current, (at - lastAt) / 1000), 'throughput');
    last = current;
    lastAt = at;
  }, intervalSeconds * 1000);
  timer.unref();
  return () => clearInterval(timer);
}

function snapshot(s: Readonly<ThroughputCounters>): ThroughputCounters {
  return { ...s, rejectedByCode: { ...s.rejectedByCode } };
}
