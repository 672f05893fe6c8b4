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
  /** Sent as it is instead of `body` as JSON: a page, a script, the metrics text. */
  readonly raw?: RawBody;
}

export interface RawBody {
  readonly body: Buffer | string;
  readonly contentType: string;
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

/** A response sent as it is, with its own content type. */
export function raw(body: Buffer | string, contentType: string, headers?: OutgoingHttpHeaders): HttpResponse {
  return { status: 200, body: undefined, raw: { body, contentType }, ...(headers === undefined ? {} : { headers }) };
}

/** Serialises (JSON unless the response is raw) and writes in one call; HEAD responses keep the headers and Node drops the body. */
export function writeResponse(res: ServerResponse, response: HttpResponse): void {
  const payload = response.raw === undefined ? JSON.stringify(response.body) : response.raw.body;
  const headers: OutgoingHttpHeaders = {
    'content-type': response.raw === undefined ? JSON_TYPE : response.raw.contentType,
    'cache-control': 'no-store',
  };
  // A 304 has no body; its Content-Length would describe the one the client keeps.
  if (response.status !== 304) headers['content-length'] = Buffer.byteLength(payload);
  if (response.headers !== undefined) Object.assign(headers, response.headers);
  res.writeHead(response.status, headers);
  res.end(payload);
}
