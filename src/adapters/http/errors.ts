import type { OutgoingHttpHeaders } from 'node:http';
import type { ErrorBody, HttpResponse } from './respond.js';

/**
 * The catalogue of error responses: each has a stable `error` code, a human
 * `message`, and never a stack trace (causes go to the log only).
 */

/** Tells keep-alive clients to reconnect: after a 413 the rest of the body is unread, and when closing we want them gone. */
const CLOSE: OutgoingHttpHeaders = Object.freeze({ connection: 'close' });

export function httpError(
  status: number,
  error: string,
  message: string,
  extra?: Record<string, unknown>,
  headers?: OutgoingHttpHeaders,
): HttpResponse {
  const body: ErrorBody = extra === undefined ? { error, message } : { error, message, ...extra };
  return headers === undefined ? { status, body } : { status, body, headers };
}

/** Paths are echoed in messages; a bound keeps a hostile URL out of logs and bodies. */
const shown = (path: string) => (path.length > 200 ? `${path.slice(0, 200)}…` : path);

export const errors = {
  notFound: (method: string, path: string) => httpError(404, 'not_found', `no route for ${method} ${shown(path)}`),

  methodNotAllowed: (method: string, path: string, allow: string) =>
    httpError(405, 'method_not_allowed', `${method} is not allowed on ${path}; use ${allow}`, { allow }, { allow }),

  payloadTooLarge: (limitBytes: number) =>
    httpError(413, 'payload_too_large', `request body exceeds the limit of ${limitBytes} bytes`, { limit_bytes: limitBytes }, CLOSE),

  emptyBody: httpError(400, 'empty_body', 'request body is empty; send a JSON reading'),

  notUtf8: httpError(400, 'not_utf8', 'request body is not valid UTF-8'),

  invalidJson: (parseError: string) => httpError(400, 'invalid_json', `request body is not valid JSON: ${parseError}`),

  invalidReading: (details: readonly string[]) =>
    httpError(400, 'invalid_reading', `invalid reading: ${details.join('; ')}`, { details }),

  unsupportedCharset: (charset: string) =>
    httpError(415, 'unsupported_charset', `charset ${shown(charset)} is not supported; send UTF-8`),

  requestAborted: httpError(400, 'request_aborted', 'the client closed the request before the body was complete'),

  missingHost: httpError(400, 'missing_host', 'an HTTP/1.1 request needs a Host header', undefined, CLOSE),

  expectationFailed: (expect: string) =>
    httpError(417, 'expectation_failed', `Expect: ${shown(expect)} is not supported; only 100-continue is`, undefined, CLOSE),

  modelNotReady: httpError(503, 'model_not_ready', 'the model is not loaded yet; retry shortly', undefined, { 'retry-after': '1' }),

  shuttingDown: httpError(503, 'shutting_down', 'the service is shutting down', undefined, CLOSE),

  // The same answer for a missing and a wrong token: which one it was is no business of the caller.
  unauthorized: httpError(401, 'unauthorized', 'this endpoint needs Authorization: Bearer <token> with the configured HTTP_TOKEN', undefined, {
    'www-authenticate': 'Bearer',
  }),

  dashboardNotBuilt: httpError(503, 'dashboard_not_built', 'the dashboard was not built: run npm run build (it bundles web/dashboard into dist/web)'),

  reloadFailed: (cause: unknown) => ({
    ...httpError(500, 'reload_failed', `model reload failed: ${messageOf(cause)}`),
    cause,
  }),

  internal: (cause: unknown) => ({
    ...httpError(500, 'internal_error', 'internal error; see the service log'),
    cause,
  }),
} as const;

function messageOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
