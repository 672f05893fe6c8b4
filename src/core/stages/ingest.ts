import { decodeJson, type DecodeCode } from '../decode.js';
import { readBatch, type Reading } from '../reading.js';
import type { SensorSchema } from '../sensors.js';
import { deviceFromTopic } from '../topics.js';
import { deviceIdProblem, type DeviceIdRules } from '../device-id.js';

/**
 * One MQTT message in: topic check, size, UTF-8, JSON, then one reading or a
 * gateway's batch, each validated against the sensor schema. Pure: nothing is
 * scored here; the detector scores each reading with the state it holds.
 */
export type RejectCode =
  | DecodeCode
  | 'invalid_topic'
  | 'invalid_reading'
  | 'empty_batch'
  | 'batch_too_large'
  | 'model_not_ready'
  // Issue 10: device ids outside the rules (device-id.ts), or new ones over a cap (the worker's, src/worker/device-cap.ts)
  | 'invalid_device'
  | 'device_limit';

export interface IngestOptions {
  /** The sensor topic prefix, e.g. `factory/sensors`. */
  readonly sensorPrefix: string;
  readonly maxPayloadBytes: number;
  readonly maxBatch: number;
  readonly schema: SensorSchema;
  /** Which device ids are accepted; every id the topic rules allow when absent. */
  readonly deviceRules?: DeviceIdRules | undefined;
}

export type IngestItem =
  | { readonly ok: true; readonly index: number; readonly reading: Reading }
  | { readonly ok: false; readonly index: number; readonly code: 'invalid_reading'; readonly reason: string };

export type Ingested =
  | { readonly ok: true; readonly device: string; readonly batch: boolean; readonly items: readonly IngestItem[] }
  | { readonly ok: false; readonly code: RejectCode; readonly reason: string };

export function ingestMessage(topic: string, payload: Uint8Array, options: IngestOptions): Ingested {
  const device = deviceFromTopic(topic, options.sensorPrefix);
  if (!device.ok) return { ok: false, code: 'invalid_topic', reason: device.reason };
  const problem = options.deviceRules === undefined ? undefined : deviceIdProblem(device.device, options.deviceRules);
  if (problem !== undefined) return { ok: false, code: 'invalid_device', reason: problem };
  const decoded = decodeJson(payload, { maxBytes: options.maxPayloadBytes });
  if (!decoded.ok) return decoded;
  const read = readBatch(decoded.value, options.schema, options.maxBatch);
  if (!read.ok) return read;
  const { batch, items } = read.value;
  return {
    ok: true,
    device: device.device,
    batch,
    items: items.map(({ index, result }) =>
      result.ok
        ? { ok: true, index, reading: result.reading }
        : { ok: false, index, code: 'invalid_reading', reason: (batch ? [`reading [${index}]: ${result.problems[0]}`, ...result.problems.slice(1)] : result.problems).join('; ') },
    ),
  };
}
