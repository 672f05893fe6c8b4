import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

/**
 * What a route decided. Routes return values instead of writing to the socket,
 * so app.ts writes, counts and logs every response in one place.
 */
export interface HttpResponse {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: OutgoingHttpHeaders;
  /** For the log only (never sent): the error behind a 5xx. */
  readonly cause?: unknown;
}

/** Every error body: a stable code for clients and counters, and a reason for humans. */
export interface ErrorBody {
  readonly error: string;
  readonly message: string;
  readonly [extra: string]: unknown;
}

const JSON_TYPE = 'application/json; charset=utf-8';

export function ok(body: unknown, headers?: OutgoingHttpHeaders): HttpResponse {
  return headers === undefined ? { status: 200, body } : { status: 200, body, headers };
}

/** Serialises and writes in one call; HEAD responses keep the headers and Node drops the body. */
export function writeJson(res: ServerResponse, response: HttpResponse): void {
  const json = JSON.stringify(response.body);
  const headers: OutgoingHttpHeaders = {
    'content-type': JSON_TYPE,
    'content-length': Buffer.byteLength(json),
    'cache-control': 'no-store',
  };
  if (response.headers !== undefined) Object.assign(headers, response.headers);
  res.writeHead(response.status, headers);
  res.end(json);
}
