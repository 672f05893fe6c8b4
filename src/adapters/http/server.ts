import { createServer, type RequestListener, type ServerResponse } from 'node:http';
import type { Logger } from '../../support/logger.js';
import { clientErrorHandler, connectRefusal } from './client-error.js';
import { listen } from '../net/listen.js';

export interface HttpServerOptions {
  host: string;
  /** 0 picks a free port; the running server reports the actual one. */
  port: number;
  handler: RequestListener;
  logger: Logger;
  /** Longest a client may take to send the request headers (slowloris guard). Default 10 s. */
  headersTimeoutMs?: number;
  /** Longest a client may take to send the whole request. Default 30 s; at least headersTimeoutMs. */
  requestTimeoutMs?: number;
  /** How long an idle keep-alive connection stays open. Default 5 s. */
  keepAliveTimeoutMs?: number;
  /** How long close() waits for in-flight requests before cutting every connection. Default 5 s. */
  closeTimeoutMs?: number;
}

export interface RunningHttpServer {
  readonly port: number;
  readonly url: string;
  /** Idempotent: stops accepting, closes idle keep-alive connections, waits (bounded) for in-flight requests. */
  close(): Promise<void>;
}

const DEFAULTS = { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 5_000, closeTimeoutMs: 5_000 };

export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const o = { ...DEFAULTS, ...definedOnly(options) };
  for (const key of Object.keys(DEFAULTS) as (keyof typeof DEFAULTS)[]) {
    if (!Number.isFinite(o[key]) || o[key] <= 0) throw new RangeError(`${key} must be a positive number, got ${o[key]}`);
  }
  // Node refuses a header timeout longer than the request timeout; say so in our terms.
  if (o.headersTimeoutMs > o.requestTimeoutMs) {
    throw new RangeError(`headersTimeoutMs (${o.headersTimeoutMs}) cannot exceed requestTimeoutMs (${o.requestTimeoutMs})`);
  }
  const logger = options.logger.child({ component: 'http' });

  // Responses in progress, so close() can tell them to end their keep-alive connection.
  const inFlight = new Set<ServerResponse>();
  let closing = false;
  function onResponseClose(this: ServerResponse): void {
    inFlight.delete(this);
    if (closing) server.closeIdleConnections();
  }

  const onRequest: RequestListener = (req, res) => {
    if (closing) res.setHeader('connection', 'close');
    inFlight.add(res);
    res.on('close', onResponseClose);
    options.handler(req, res);
  };
  const server = createServer(
    {
      headersTimeout: o.headersTimeoutMs,
      requestTimeout: o.requestTimeoutMs,
      keepAliveTimeout: o.keepAliveTimeoutMs,
      // Node checks the two timeouts on this interval (30 s by default), which would let them overrun badly.
      connectionsCheckingInterval: Math.max(10, Math.min(1_000, Math.floor(o.headersTimeoutMs / 2))),
      // A missing Host (and below, an unknown Expect) would get Node's bare reply; the app refuses them in JSON.
      requireHostHeader: false,
    },
    onRequest,
  );
  server.on('checkExpectation', onRequest);
  server.on('clientError', clientErrorHandler(logger));
  server.on('connect', connectRefusal(logger));

  const port = await listen(server, 'http', options.host, options.port);
  server.on('error', (err) => logger.error({ err }, 'HTTP server error'));
  const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;
  logger.info({ url }, 'HTTP server listening');

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closed ??= new Promise<void>((resolve) => {
      closing = true;
      for (const res of inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
      const deadline = setTimeout(() => {
        logger.warn({ inFlight: inFlight.size, closeTimeoutMs: o.closeTimeoutMs }, 'HTTP close deadline passed; cutting connections');
        server.closeAllConnections();
      }, o.closeTimeoutMs);
      deadline.unref();
      server.close(() => {
        clearTimeout(deadline);
        logger.info('HTTP server closed');
        resolve();
      });
      server.closeIdleConnections();
    }));

  return { port, url, close };
}

/** `{ x: undefined }` must not override a default. */
function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
