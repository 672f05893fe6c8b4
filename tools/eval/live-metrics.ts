/**
 * Live detection quality: the anomalies the worker published matched against
 * the ground truth the simulator published. Pure; the I/O is in tools/eval/eval-live.ts.
 */

export interface Injected {
  device: string;
  timestamp: string;
  kind: string;
}

export interface Flagged {
  device: string;
  timestamp: string;
  /** When the observer received the anomaly, epoch ms. */
  receivedAt: number;
}

export interface LiveMetrics {
  scored: number;
  injected: number;
  flagged: number;
  true_positives: number;
  false_positives: number;
  false_negatives: number;
  precision: number;
  recall: number;
  f1: number;
  false_alarms_per_1000_normal: number;
  recall_by_kind: Record<string, number>;
  delay_ms_p50: number;
  delay_ms_p99: number;
}

const key = (device: string, timestamp: string) => `${device}\u0000${timestamp}`;

export function liveMetrics(scored: number, injected: readonly Injected[], flagged: readonly Flagged[]): LiveMetrics {
  const truth = new Map(injected.map((i) => [key(i.device, i.timestamp), i]));
  const caught = new Set<string>();
  const delays: number[] = [];
  let falsePositives = 0;
  for (const f of flagged) {
    const k = key(f.device, f.timestamp);
    if (!truth.has(k)) {
      falsePositives += 1;
      continue;
    }
    if (caught.has(k)) continue; // a redelivered duplicate is not a second detection
    caught.add(k);
    delays.push(f.receivedAt - Date.parse(f.timestamp));
  }
  const tp = caught.size;
  const fn = truth.size - tp;
  const precision = tp + falsePositives === 0 ? 1 : tp / (tp + falsePositives);
  const recall = truth.size === 0 ? 1 : tp / truth.size;
  const normal = Math.max(0, scored - truth.size);
  return {
    scored,
    injected: truth.size,
    flagged: flagged.length,
    true_positives: tp,
    false_positives: falsePositives,
    false_negatives: fn,
    precision: round(precision),
    recall: round(recall),
    f1: round(precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall)),
    false_alarms_per_1000_normal: round(normal === 0 ? 0 : (1000 * falsePositives) / normal),
    recall_by_kind: recallByKind([...truth.entries()], caught),
    delay_ms_p50: percentile(delays, 0.5),
    delay_ms_p99: percentile(delays, 0.99),
  };
}

function recallByKind(truth: Array<[string, Injected]>, caught: Set<string>): Record<string, number> {
  const totals: Record<string, { all: number; hit: number }> = {};
  for (const [k, i] of truth) {
    const t = (totals[i.kind] ??= { all: 0, hit: 0 });
    t.all += 1;
    if (caught.has(k)) t.hit += 1;
  }
  return Object.fromEntries(Object.entries(totals).map(([kind, t]) => [kind, round(t.hit / t.all)]));
}

/** Nearest-rank percentile; 0 for no data. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return round(sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!);
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
