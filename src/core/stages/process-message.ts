import { isUtf8 } from 'node:buffer';
import { parseReading, type RejectCode } from '../reading.js';
import type { AnomalyModel } from '../model/types.js';
import { deviceFromTopic } from '../topics.js';
import { scoreReading, type ModelStatus, type ScoredReading } from './score.js';

export type MessageRejectCode =
  | RejectCode
  | 'payload_too_large'
  | 'invalid_topic'
  | 'not_utf8'
  | 'model_not_ready'
  // Issue 10: hardening (src/core/device-id.ts, device-cap.ts; checked in src/worker/message-handler.ts)
  | 'invalid_device'
  | 'device_limit';

export type Outcome =
  | { kind: 'scored'; device: string; result: ScoredReading }
  | { kind: 'rejected'; code: MessageRejectCode; reason: string };

export interface ProcessContext {
  /** The sensor topic prefix, e.g. `factory/sensors`. */
  readonly sensorPrefix: string;
  readonly maxPayloadBytes: number;
  readonly model: AnomalyModel | undefined;
  /** See decide.ts; DEFAULT_Z_LIMIT when omitted. */
  readonly zLimit?: number;
  /** Reused feature row, so the hot path does not allocate one per message. */
  readonly scratch?: Float64Array;
  /** Picks the model per device (src/detector); when given it replaces `model` and results carry its status. */
  readonly modelFor?: (device: string) => ModelChoice;
}

/** The model to score a device's reading with, and whether it is the device's own yet. */
export interface ModelChoice {
  readonly model: AnomalyModel | undefined;
  readonly status: ModelStatus;
}

/** One MQTT message in, one outcome out: topic check, size check, decode, validate, score. Pure. */
export function processMessage(topic: string, payload: Buffer, ctx: ProcessContext): Outcome {
  const device = deviceFromTopic(topic, ctx.sensorPrefix);
  if (!device.ok) return { kind: 'rejected', code: 'invalid_topic', reason: device.reason };
  if (payload.length > ctx.maxPayloadBytes) {
    return {
      kind: 'rejected',
      code: 'payload_too_large',
      reason: `payload is ${payload.length} bytes, the limit is ${ctx.maxPayloadBytes}`,
    };
  }
  if (!isUtf8(payload)) return { kind: 'rejected', code: 'not_utf8', reason: 'payload is not UTF-8 text' };
  const parsed = parseReading(payload);
  if (!parsed.ok) return { kind: 'rejected', code: parsed.code, reason: parsed.reason };
  // Chosen only for valid readings, so garbage never takes a place among the per-device models.
  const choice = ctx.modelFor?.(device.device);
  const model = choice ? choice.model : ctx.model;
  if (model === undefined) return { kind: 'rejected', code: 'model_not_ready', reason: 'no model is loaded yet' };
  const result = scoreReading(model, parsed.reading, ctx.scratch, ctx.zLimit);
  if (choice) result.prediction.status = choice.status;
  return { kind: 'scored', device: device.device, result };
}
