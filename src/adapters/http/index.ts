/** The HTTP sidecar's public surface, for the composition root. */
export { createHttpApp, type HttpApp, type HttpAppDeps, type HealthReport, type DashboardDeps } from './app.js';
export { loadStaticAssets, type StaticAsset } from './static-assets.js';
export { startHttpServer, type HttpServerOptions, type RunningHttpServer } from './server.js';
export { ListenError } from '../net/listen.js';
export type { HttpStats, RouteStats } from './stats.js';
