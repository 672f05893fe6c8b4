import type { IncomingMessage } from 'node:http';
import { FEATURES, validateReading, type Reading } from '../../../core/reading.js';
import type { AnomalyModel } from '../../../core/model/types.js';
import { scoreReading } from '../../../core/stages/score.js';
import { readBody } from '../body.js';
import { decodeJson } from '../decode.js';
import { errors } from '../errors.js';
import { ok, type HttpResponse } from '../respond.js';
import type { Route } from '../route.js';

export interface PredictDeps {
  getModel(): AnomalyModel | undefined;
  bodyLimitBytes: number;
  zLimit?: number | undefined;
}

/**
 * POST /predict, the contract of the original Flask service:
 * `{timestamp, temperature, humidity, sound}` in, `{input_data, prediction, model}` out.
 */
export function predictRoute(deps: PredictDeps): Route {
  // Scoring is synchronous, so one feature row can serve every request.
  const scratch = new Float64Array(FEATURES.length);

  const predict = async (req: IncomingMessage): Promise<HttpResponse> => {
    // Fail fast, before reading a body we could not score.
    if (deps.getModel() === undefined) return errors.modelNotReady;
    const body = await readBody(req, deps.bodyLimitBytes);
    if (!body.ok) return body.error;
    // Re-read: a reload may have finished while the body arrived.
    const model = deps.getModel();
    if (model === undefined) return errors.modelNotReady;
    return predictFromBody(model, body.bytes, req.headers['content-type'], scratch, deps.zLimit);
  };
  return { path: '/predict', methods: { POST: predict } };
}

/** The synchronous part of /predict: bytes to a response. */
export function predictFromBody(
  model: AnomalyModel,
  bytes: Buffer,
  contentType: string | undefined,
  scratch?: Float64Array,
  zLimit?: number,
): HttpResponse {
  const decoded = decodeJson(bytes, contentType);
  if (!decoded.ok) return decoded.error;
  const checked = validateReading(decoded.value);
  if (!checked.ok) return errors.invalidReading([...checked.problems]);
  const result = scoreReading(model, checked.reading, scratch, zLimit);
  // Echo exactly what was sent (key order included); validation changed nothing in it.
  result.input_data = decoded.value as Reading;
  return ok(result);
}

