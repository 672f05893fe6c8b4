import type { RejectCode } from '../core/stages/ingest.js';

/** Counters of one worker: what came in, what was scored, what was rejected and why. */
export interface WorkerStats {
  received: number;
  scored: number;
  anomalies: number;
  rejected: number;
  rejectedByCode: Partial<Record<RejectCode, number>>;
  publishErrors: number;
  /** Incidents opened and closed (issue 9). */
  incidents: { opened: number; closed: number };
  /** Issue 10: retained sensor messages replayed at subscription and not scored again. */
  retainedSkipped: number;
  /** WORKER_PARTITION: readings of devices another worker owns, acknowledged unscored. */
  otherPartition: number;
  lastScoredAt: string | undefined;
}

export function createWorkerStats(): WorkerStats {
  return {
    received: 0,
    scored: 0,
    anomalies: 0,
    rejected: 0,
    rejectedByCode: {},
    publishErrors: 0,
    incidents: { opened: 0, closed: 0 },
    retainedSkipped: 0,
    otherPartition: 0,
    lastScoredAt: undefined,
  };
}

export function countRejected(stats: WorkerStats, code: RejectCode): void {
  stats.rejected += 1;
  stats.rejectedByCode[code] = (stats.rejectedByCode[code] ?? 0) + 1;
}
