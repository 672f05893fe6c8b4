/** How the parts' snapshots become labelled samples: closed label sets, known values shown at 0 from the start. */
import type { RejectCode } from '../../core/stages/ingest.js';
import type { BrokerStats } from '../broker/broker-stats.js';
import type { HttpStats } from '../http/stats.js';
import { byKey, type Sample } from './mirror.js';

/** The worker's counters (src/worker/worker-stats.ts), structurally. */
export interface WorkerCounters {
  readonly received: number;
  readonly rejectedByCode: Readonly<Record<string, number | undefined>>;
  readonly publishErrors: number;
}

export const flag = (value: boolean | undefined) => (value === undefined ? undefined : value ? 1 : 0);

/** Shown at 0 before the first one, so rate() and alerts work from the start. Codes added later appear when first counted. */
const REJECT_CODES = [
  'invalid_json',
  'invalid_reading',
  'empty_payload',
  'not_utf8',
  'unsupported_charset',
  'payload_too_large',
  'invalid_topic',
  'empty_batch',
  'batch_too_large',
  'model_not_ready',
  'invalid_device',
  'device_limit',
] as const satisfies readonly RejectCode[];

export function rejected(worker: Readonly<WorkerCounters> | undefined): Sample[] | undefined {
  if (worker === undefined) return undefined;
  const zeros = Object.fromEntries(REJECT_CODES.map((code) => [code, 0]));
  return byKey({ ...zeros, ...worker.rejectedByCode }, 'code');
}

/** Incident kinds shown at 0 before the first one opens; others appear when they do. */
export const INCIDENT_KINDS = ['anomaly', 'sensor_fault', 'flatline', 'silent'];

export function silent(open: Sample[]): number {
  return open.find(([labels]) => labels.kind === 'silent')?.[1] ?? 0;
}

export function modelInfo(model: { id: string; engine: string; version: number } | undefined): Sample[] | undefined {
  return model === undefined ? undefined : [[{ id: model.id, engine: model.engine, version: String(model.version) }, 1]];
}

export function brokerDrops(stats: BrokerStats | undefined): Sample[] | undefined {
  if (stats === undefined) return undefined;
  return [
    [{ reason: 'rate_limited' }, stats.rateLimited],
    [{ reason: 'queue_full' }, stats.queueCapped],
    [{ reason: 'undeliverable' }, stats.invalidMessages],
    [{ reason: 'retain_refused' }, stats.retainRefused],
  ];
}

export function brokerRefusals(stats: BrokerStats | undefined): Sample[] | undefined {
  if (stats === undefined) return undefined;
  return [
    [{ reason: 'connection_limit' }, stats.connectionsRefused],
    [{ reason: 'pending_limit' }, stats.pendingRefused],
    [{ reason: 'reserved_slots' }, stats.reservedRefused],
    [{ reason: 'protocol' }, stats.protocolRefused],
  ];
}

export function httpResponses(stats: Readonly<HttpStats> | undefined): Sample[] | undefined {
  if (stats === undefined) return undefined;
  const samples: Sample[] = [];
  for (const [route, r] of Object.entries(stats.routes)) {
    for (const [status, n] of Object.entries(r.responses)) samples.push([{ route, status }, n]);
  }
  return samples;
}
