import type { IncomingMessage } from 'node:http';
import { bearerTokenCheck } from '../bearer-token.js';
import { errors } from '../errors.js';
import { raw, type HttpResponse } from '../respond.js';
import type { Route } from '../route.js';

export interface MetricsDeps {
  /** The Prometheus text exposition. */
  scrape(): Promise<string>;
  contentType: string;
  /** HTTP_TOKEN: Prometheus sends it with `authorization: { credentials: ... }` in its scrape config. */
  token?: string | undefined;
}

/** GET/HEAD /metrics for Prometheus; served while closing too, so the last scrape sees the shutdown. */
export function metricsRoute(deps: MetricsDeps): Route {
  const authorized = deps.token === undefined ? () => true : bearerTokenCheck(deps.token);
  const handler = async (req: IncomingMessage): Promise<HttpResponse> => {
    if (!authorized(req.headers.authorization)) return errors.unauthorized;
    return raw(await deps.scrape(), deps.contentType);
  };
  return { path: '/metrics', methods: { GET: handler, HEAD: handler }, servesWhileClosing: true };
}
