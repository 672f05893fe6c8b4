import { isUtf8 } from 'node:buffer';
import type { ScoredReading } from './stages/score.js';
import type { RejectCode } from './stages/ingest.js';

/** Payloads the worker publishes. Field names are a public contract: extend, never rename. */

export interface ResultMessage extends ScoredReading {
  device: string;
  topic: string;
  scored_at: string;
}

export function resultMessage(device: string, topic: string, result: ScoredReading, scoredAt: Date): ResultMessage {
  return {
    device,
    topic,
    input_data: result.input_data,
    prediction: result.prediction,
    model: result.model,
    scored_at: scoredAt.toISOString(),
  };
}

export interface DeadLetter {
  topic: string;
  code: RejectCode;
  reason: string;
  /** The payload as text, or base64 when it is not UTF-8; cut at DEAD_LETTER_PAYLOAD_LIMIT bytes. */
  payload: string;
  payload_encoding: 'utf8' | 'base64';
  payload_bytes: number;
  payload_truncated: boolean;
  /** Which reading of a gateway's batch (a JSON array) was rejected; absent for a single reading. */
  batch_index?: number;
  received_at: string;
}

/** Dead letters echo the payload for diagnosis, but a 1 MiB garbage payload must not be re-published whole. */
export const DEAD_LETTER_PAYLOAD_LIMIT = 4096;

export function deadLetter(
  topic: string,
  payload: Buffer,
  code: RejectCode,
  reason: string,
  receivedAt: Date,
  batchIndex?: number,
): DeadLetter {
  const truncated = payload.length > DEAD_LETTER_PAYLOAD_LIMIT;
  const head = truncated ? payload.subarray(0, DEAD_LETTER_PAYLOAD_LIMIT) : payload;
  // A cut may split a UTF-8 sequence; decide the encoding on the whole payload, not on the cut.
  const utf8 = isUtf8(payload);
  return {
    topic,
    code,
    reason,
    payload: utf8 ? head.toString('utf8') : head.toString('base64'),
    payload_encoding: utf8 ? 'utf8' : 'base64',
    payload_bytes: payload.length,
    payload_truncated: truncated,
    ...(batchIndex !== undefined ? { batch_index: batchIndex } : {}),
    received_at: receivedAt.toISOString(),
  };
}
