/** Counters of one route: requests seen and responses by status ("aborted" when the client left first). */
export interface RouteStats {
  requests: number;
  responses: Record<string, number>;
}

/** Counters of the HTTP sidecar, keyed by route path ("unmatched" for unknown paths, so keys stay bounded). */
export interface HttpStats {
  requests: number;
  responses: number;
  routes: Record<string, RouteStats>;
}

export function createHttpStats(): HttpStats {
  return { requests: 0, responses: 0, routes: {} };
}

/** The counters of `route`, created on first use; callers keep the reference so the hot path skips the lookup. */
export function routeStats(stats: HttpStats, route: string): RouteStats {
  return (stats.routes[route] ??= { requests: 0, responses: {} });
}

export function countRequest(stats: HttpStats, route: RouteStats): void {
  stats.requests += 1;
  route.requests += 1;
}

export function countResponse(stats: HttpStats, route: RouteStats, status: number | 'aborted'): void {
  stats.responses += 1;
  route.responses[status] = (route.responses[status] ?? 0) + 1;
}
