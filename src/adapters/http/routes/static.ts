import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { HttpResponse } from '../respond.js';
import type { Route } from '../route.js';
import type { StaticAsset } from '../static-assets.js';

/**
 * What the dashboard page may do: load its own scripts and styles, run
 * mqtt.js's timer worker (a blob, so timers keep time in a background tab),
 * and open WebSockets (MQTT) anywhere, since the broker often sits on another
 * port or host.
 */
const PAGE_HEADERS: OutgoingHttpHeaders = Object.freeze({
  'content-security-policy':
    "default-src 'self'; script-src 'self'; worker-src 'self' blob:; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
});

/** GET/HEAD routes serving files from memory, gzip when the client takes it, 304 when it has them already. */
export function staticRoutes(assets: readonly StaticAsset[]): Route[] {
  return assets.map((asset) => {
    const handler = (req: IncomingMessage): HttpResponse => serve(asset, req);
    return { path: asset.path, methods: { GET: handler, HEAD: handler } };
  });
}

function serve(asset: StaticAsset, req: IncomingMessage): HttpResponse {
  const headers: OutgoingHttpHeaders = {
    etag: asset.etag,
    'cache-control': asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    vary: 'accept-encoding',
    ...(asset.contentType.startsWith('text/html') ? PAGE_HEADERS : { 'x-content-type-options': 'nosniff' }),
  };
  if (matches(req.headers['if-none-match'], asset.etag)) {
    return { status: 304, body: undefined, raw: { body: '', contentType: asset.contentType }, headers };
  }
  const gzip = asset.gzip !== undefined && acceptsGzip(req.headers['accept-encoding']);
  const body = gzip ? asset.gzip! : asset.body;
  return { status: 200, body: undefined, raw: { body, contentType: asset.contentType }, headers: gzip ? { ...headers, 'content-encoding': 'gzip' } : headers };
}

function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/** `gzip` listed without `q=0`. */
export function acceptsGzip(header: string | undefined): boolean {
  if (header === undefined) return false;
  return header.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (coding !== 'gzip' && coding !== 'x-gzip') return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}
