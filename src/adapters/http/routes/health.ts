import type { HttpStats } from '../stats.js';
import type { HttpResponse } from '../respond.js';
import type { Route } from '../route.js';

/** What the worker reports about itself (broker connection, model readiness, counters). */
export interface HealthReport {
  ready: boolean;
  checks: Record<string, unknown>;
}

export interface HealthDeps {
  health(): HealthReport;
  isClosing(): boolean;
  stats: HttpStats;
}

const CLOSE = { connection: 'close' } as const;

/**
 * GET/HEAD /health: 200 "healthy" when the worker is ready, otherwise 503
 * "unhealthy", or "shutting_down" once closing so load balancers drain us.
 */
export function healthRoute(deps: HealthDeps): Route {
  const handler = (): HttpResponse => {
    const closing = deps.isClosing();
    const report = deps.health();
    const status = closing ? 'shutting_down' : report.ready ? 'healthy' : 'unhealthy';
    const body = { status, ...report.checks, http: deps.stats, uptime_s: Math.round(process.uptime()) };
    body.status = status; // a check named "status" must not hide ours
    return closing ? { status: 503, body, headers: CLOSE } : { status: status === 'healthy' ? 200 : 503, body };
  };
  return { path: '/health', methods: { GET: handler, HEAD: handler }, servesWhileClosing: true };
}
