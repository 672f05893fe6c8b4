import type { IncomingMessage } from 'node:http';
import { readReading } from '../../../core/reading.js';
import type { SensorSchema } from '../../../core/sensors.js';
import type { AnomalyModel } from '../../../core/model/types.js';
import type { DetectorSettings } from '../../../core/context/settings.js';
import { scoreAlone } from '../../../detector/score-alone.js';
import { readBody } from '../body.js';
import { decodeJson } from '../decode.js';
import { errors } from '../errors.js';
import { ok, type HttpResponse } from '../respond.js';
import type { Route } from '../route.js';

export interface PredictDeps {
  getModel(): AnomalyModel | undefined;
  /** MODEL_SCOPE=device: the device's own model once it has one; never creates or changes any state. */
  deviceModel?(device: string): AnomalyModel | undefined;
  schema: SensorSchema;
  /** How readings are judged (the stream's settings); /predict judges each reading alone with them. */
  settings: DetectorSettings;
  bodyLimitBytes: number;
}

/**
 * POST /predict, the contract of the original Flask service: a reading in,
 * `{input_data, prediction, model}` out. The reading is judged alone, by the
 * same checks as the stream, against the model's training profile (there is
 * no history in one request). Naming a device (`?device=line1/press-3`
 * or a `device` field) scores with that device's own model when it has one;
 * the answer then says which model scored it (`scored_by`).
 */
export function predictRoute(deps: PredictDeps): Route {
  const predict = async (req: IncomingMessage): Promise<HttpResponse> => {
    // Fail fast, before reading a body we could not score.
    if (deps.getModel() === undefined) return errors.modelNotReady;
    const body = await readBody(req, deps.bodyLimitBytes);
    if (!body.ok) return body.error;
    const device = new URL(req.url ?? '/', 'http://x').searchParams.get('device') ?? undefined;
    return predictFromBody(deps, body.bytes, req.headers['content-type'], { device });
  };
  return { path: '/predict', methods: { POST: predict } };
}

/** The synchronous part of /predict: bytes to a response. */
export function predictFromBody(
  deps: Omit<PredictDeps, 'bodyLimitBytes'>,
  bytes: Buffer,
  contentType: string | undefined,
  options: { device?: string | undefined } = {},
): HttpResponse {
  const decoded = decodeJson(bytes, contentType);
  if (!decoded.ok) return decoded.error;
  const checked = readReading(decoded.value, deps.schema);
  if (!checked.ok) return errors.invalidReading(checked.problems);
  const named = options.device ?? deviceField(decoded.value);
  const own = named === undefined ? undefined : deps.deviceModel?.(named);
  // Re-read: a reload may have finished while the body arrived.
  const model = own ?? deps.getModel();
  if (model === undefined) return errors.modelNotReady;
  const result = scoreAlone(model, checked.reading, deps.settings, deps.schema);
  if (typeof result === 'string') return errors.modelNotReady;
  if (named === undefined) return ok(result);
  return ok({ ...result, device: named, scored_by: own === undefined ? 'global' : 'device' });
}

function deviceField(value: unknown): string | undefined {
  const device = (value as { device?: unknown }).device;
  return typeof device === 'string' && device.length > 0 ? device : undefined;
}
