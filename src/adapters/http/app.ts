import type { IncomingMessage, ServerResponse } from 'node:http';
import { createLogThrottle } from '../../support/log-throttle.js';
import type { Logger } from '../../support/logger.js';
import type { AnomalyModel, ModelInfo } from '../../core/model/types.js';
import { DEFAULT_SENSORS, type SensorSchema } from '../../core/sensors.js';
import { DEFAULT_DETECTOR_SETTINGS, type DetectorSettings } from '../../core/context/settings.js';
import { errors } from './errors.js';
import { ok, writeResponse, type ErrorBody, type HttpResponse } from './respond.js';
import { requestId } from './request-id.js';
import { pathOf, type Route, type RouteHandler } from './route.js';
import { healthRoute, type HealthReport } from './routes/health.js';
import { metricsRoute, type MetricsDeps } from './routes/metrics.js';
import { modelReloadRoute } from './routes/model-reload.js';
import { predictRoute } from './routes/predict.js';
import { staticRoutes } from './routes/static.js';
import type { StaticAsset } from './static-assets.js';
import { countRequest, countResponse, createHttpStats, routeStats, type HttpStats, type RouteStats } from './stats.js';

export type { HealthReport };

export interface HttpAppDeps {
  /** The current model; undefined until the first one is trained or loaded (/predict answers 503). */
  getModel(): AnomalyModel | undefined;
  /** The worker's own report; /health adds the HTTP counters and uptime. */
  health(): HealthReport;
  /** Largest /predict body; larger gets 413 without being buffered. */
  bodyLimitBytes: number;
  /** How readings are judged (the detector's settings); the defaults when omitted. */
  detectorSettings?: DetectorSettings;
  /** The sensor fields a reading carries; the original three when omitted. */
  schema?: SensorSchema;
  /** MODEL_SCOPE=device: a device's own model, for /predict requests that name the device. */
  deviceModel?: (device: string) => AnomalyModel | undefined;
  logger: Logger;
  /** True once shutdown began: /health says so and every other route answers 503. */
  isClosing(): boolean;
  /** When given, POST /model/reload is served; otherwise that path is a 404. */
  reloadModel?: () => Promise<ModelInfo>;
  /** HTTP_TOKEN: the bearer token POST /model/reload requires; open when undefined. */
  token?: string;
  /** Counters to share with the caller; a fresh set when omitted. */
  stats?: HttpStats;
  /** GET /metrics (Prometheus); behind `token` like the other operator endpoints. */
  metrics?: Omit<MetricsDeps, 'token'>;
  /** The live dashboard: GET / and its assets, and GET /dashboard/config.json (where the page finds the broker). */
  dashboard?: DashboardDeps;
}

export interface DashboardDeps {
  /** The built page and its assets; empty when the build did not produce them (GET / then says so). */
  assets: readonly StaticAsset[];
  /** What the page needs to connect: broker URL, topics, sensors. No secrets. */
  config(): unknown;
}

/** A node:http request listener, plus its live counters. */
export interface HttpApp {
  (req: IncomingMessage, res: ServerResponse): void;
  stats(): Readonly<HttpStats>;
}

interface MountedRoute {
  readonly route: Route;
  readonly counters: RouteStats;
  readonly allow: string;
}

/** Builds the request handler from plain dependencies; listening is server.ts's job. */
export function createHttpApp(deps: HttpAppDeps): HttpApp {
  if (!Number.isSafeInteger(deps.bodyLimitBytes) || deps.bodyLimitBytes <= 0) {
    throw new RangeError(`bodyLimitBytes must be a positive integer, got ${deps.bodyLimitBytes}`);
  }
  const logger = deps.logger.child({ component: 'http' });
  const throttle = createLogThrottle(5000);
  const stats = deps.stats ?? createHttpStats();

  const routes: Route[] = [
    healthRoute({ health: deps.health, isClosing: deps.isClosing, stats }),
    predictRoute({
      getModel: deps.getModel,
      ...(deps.deviceModel ? { deviceModel: deps.deviceModel } : {}),
      schema: deps.schema ?? DEFAULT_SENSORS,
      settings: deps.detectorSettings ?? DEFAULT_DETECTOR_SETTINGS,
      bodyLimitBytes: deps.bodyLimitBytes,
    }),
  ];
  if (deps.reloadModel) routes.push(modelReloadRoute({ reloadModel: deps.reloadModel, logger, token: deps.token }));
  if (deps.metrics) routes.push(metricsRoute({ ...deps.metrics, token: deps.token }));
  if (deps.dashboard) routes.push(...dashboardRoutes(deps.dashboard));

  const mounted = new Map<string, MountedRoute>();
  for (const route of routes) {
    const allow = Object.keys(route.methods).join(', ');
    mounted.set(route.path, { route, counters: routeStats(stats, route.path), allow });
  }
  const unmatched = routeStats(stats, 'unmatched');

  function dispatch(req: IncomingMessage, path: string, found: MountedRoute | undefined): HttpResponse | Promise<HttpResponse> {
    const method = req.method ?? 'GET';
    const refused = protocolRefusal(req);
    if (refused !== undefined) return refused;
    if (found === undefined) return errors.notFound(method, path);
    const handler: RouteHandler | undefined = found.route.methods[method as keyof Route['methods']];
    if (handler === undefined) return errors.methodNotAllowed(method, path, found.allow);
    if (found.route.servesWhileClosing !== true && deps.isClosing()) return errors.shuttingDown;
    return handler(req);
  }

  function send(req: IncomingMessage, res: ServerResponse, reqId: string, routeName: string, counters: RouteStats, response: HttpResponse): void {
    if (res.destroyed || res.headersSent) {
      countResponse(stats, counters, 'aborted');
      logger.debug({ reqId, route: routeName, method: req.method }, 'client left before the response');
      return;
    }
    try {
      writeResponse(res, response);
    } catch (err) {
      // e.g. a health check value JSON cannot serialise
      response = errors.internal(err);
      writeResponse(res, response);
    }
    countResponse(stats, counters, response.status);
    if (response.status >= 400) logRejected(req, reqId, routeName, response);
    else logger.debug({ reqId, route: routeName, method: req.method, status: response.status }, 'request served');
  }

  function logRejected(req: IncomingMessage, reqId: string, route: string, response: HttpResponse): void {
    const body = response.body as ErrorBody;
    const fields = { reqId, route, method: req.method, status: response.status, code: body.error, reason: body.message };
    if (response.cause !== undefined) logger.error({ ...fields, err: response.cause }, 'request failed');
    else if (response.status >= 500) logger.warn(fields, 'request refused');
    // A flood of bad requests must not become a flood of log lines: one per route and code every 5 s.
    else throttle(`${route} ${response.status} ${body.error}`, (suppressed) => logger.info({ ...fields, suppressed }, 'request rejected'));
  }

  const app = (req: IncomingMessage, res: ServerResponse): void => {
    const path = pathOf(req.url);
    const found = mounted.get(path);
    const routeName = found === undefined ? 'unmatched' : path;
    const counters = found === undefined ? unmatched : found.counters;
    countRequest(stats, counters);
    // Every response carries its id, and so does every log line about it, so a client's report finds the line.
    const reqId = requestId(req.headers['x-request-id']);
    res.setHeader('x-request-id', reqId);
    let outcome: HttpResponse | Promise<HttpResponse>;
    try {
      outcome = dispatch(req, path, found);
    } catch (err) {
      outcome = errors.internal(err);
    }
    if (outcome instanceof Promise) {
      outcome.then(
        (response) => send(req, res, reqId, routeName, counters, response),
        (err: unknown) => send(req, res, reqId, routeName, counters, errors.internal(err)),
      );
    } else {
      send(req, res, reqId, routeName, counters, outcome);
    }
  };
  return Object.assign(app, { stats: () => stats });
}

/**
 * Node answers these itself with a bare, bodiless 400 or 417; the server hands
 * them to the app instead so they get a JSON reason, a counter and a log line.
 */
function protocolRefusal(req: IncomingMessage): HttpResponse | undefined {
  if (req.httpVersion === '1.1' && !req.headers.host) return errors.missingHost;
  const expect = req.headers.expect;
  if (expect !== undefined && expect.trim().toLowerCase() !== '100-continue') return errors.expectationFailed(expect);
  return undefined;
}

/** The page and its assets, and the page's settings; GET / says so when the page was not built. */
function dashboardRoutes(dashboard: DashboardDeps): Route[] {
  const configHandler = () => ok(dashboard.config());
  const config: Route = { path: '/dashboard/config.json', methods: { GET: configHandler, HEAD: configHandler } };
  if (dashboard.assets.length > 0) return [...staticRoutes(dashboard.assets), config];
  const missing = () => errors.dashboardNotBuilt;
  return [{ path: '/', methods: { GET: missing, HEAD: missing } }, config];
}
