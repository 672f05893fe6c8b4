/**
 * The live dashboard's side of the sidecar: the built page (dist/web/dashboard,
 * bundled by web/build.mjs during `npm run build`) and the settings the page
 * reads at /dashboard/config.json. The settings say where the broker's
 * WebSocket listener is and what to subscribe to; never a password: when the
 * broker has a users file, the page asks the operator for a viewer's login.
 */
import { loadStaticAssets, type StaticAsset } from '../adapters/http/static-assets.js';
import type { DashboardDeps } from '../adapters/http/index.js';
import type { Logger } from '../support/logger.js';
import type { Config } from './config.js';


export interface DashboardBroker {
  /** The embedded broker's WebSocket port, when it runs in this process. */
  readonly wsPort?: number | undefined;
  /** The embedded broker here has a users file: the page must log in. */
  readonly usersFile?: boolean;
}

/** What the page reads at start. */
export interface DashboardConfig {
  readonly title: string;
  /** `url` when set, else the page builds ws(s)://<its own host>:<port>. */
  readonly mqtt: { readonly url?: string; readonly port?: number };
  /** `required`: ask for a viewer's login first; `unknown`: try without, ask when refused. */
  readonly login: 'required' | 'unknown';
  readonly topics: {
    readonly scores?: string;
    readonly anomalies: string;
    readonly incidents: string;
    readonly status: string;
    readonly errors: string;
  };
  readonly sensors: ReadonlyArray<{ readonly name: string; readonly unit?: string }>;
}

export function dashboardConfig(config: Config, broker: DashboardBroker): DashboardConfig {
  const port = broker.wsPort ?? config.mqtt.wsPort;
  const mqtt = config.dashboard.mqttUrl !== undefined ? { url: config.dashboard.mqttUrl } : port !== undefined ? { port } : {};
  const { topics } = config;
  return {
    title: 'Factory anomaly detection',
    mqtt,
    login: broker.usersFile === true ? 'required' : 'unknown',
    topics: {
      ...(topics.scores !== undefined ? { scores: topics.scores } : {}),
      anomalies: topics.anomalies,
      incidents: config.topics.incidents,
      status: topics.status,
      errors: topics.errors,
    },
    sensors: config.sensors.fields.map((f) => (f.unit === undefined ? { name: f.name } : { name: f.name, unit: f.unit })),
  };
}

/** The built page, or none (GET / then answers 503 saying how to build it), with a warning. */
export async function dashboardDeps(
  config: Config,
  broker: DashboardBroker,
  dir: string | undefined,
  logger: Logger,
): Promise<DashboardDeps | undefined> {
  if (!config.dashboard.enabled) return undefined;
  let assets: StaticAsset[] = [];
  try {
    if (dir === undefined) throw new Error('no dashboard folder given');
    assets = await loadStaticAssets(dir);
  } catch (err) {
    logger.warn({ dir, err: (err as Error).message }, 'dashboard not built: GET / answers 503 (run npm run build)');
  }
  const settings = dashboardConfig(config, broker);
  if (settings.mqtt.url === undefined && settings.mqtt.port === undefined) {
    logger.warn('the dashboard has no broker to connect to: set MQTT_WS_PORT on the broker and DASHBOARD_MQTT_URL here');
  }
  return { assets, config: () => settings };
}
