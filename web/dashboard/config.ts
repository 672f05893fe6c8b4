/** The page's settings, served by the sidecar at /dashboard/config.json (no secrets in it). */
export interface DashboardConfig {
  readonly title: string;
  readonly mqtt: { readonly url?: string; readonly port?: number };
  readonly login: 'required' | 'unknown';
  readonly topics: { readonly scores?: string; readonly anomalies: string; readonly incidents: string; readonly status: string; readonly errors: string };
  readonly sensors: ReadonlyArray<{ readonly name: string; readonly unit?: string }>;
}

export async function loadConfig(): Promise<DashboardConfig> {
  const res = await fetch('/dashboard/config.json');
  if (!res.ok) throw new Error(`/dashboard/config.json answered ${res.status}`);
  return (await res.json()) as DashboardConfig;
}

/** The broker's WebSocket URL: the configured one, else this page's host at the broker's WebSocket port. */
export function brokerUrl(config: DashboardConfig, location: { protocol: string; hostname: string }): string | undefined {
  if (config.mqtt.url !== undefined) return config.mqtt.url;
  if (config.mqtt.port === undefined) return undefined;
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const host = location.hostname.includes(':') ? `[${location.hostname}]` : location.hostname;
  return `${scheme}://${host}:${config.mqtt.port}`;
}

/** The filters the page subscribes to: every result, incident events and states, the worker's status, dead letters. */
export function subscriptions(config: DashboardConfig): string[] {
  const t = config.topics;
  // Without per-reading results, anomalies are all the page gets to draw.
  return [t.scores !== undefined ? `${t.scores}/#` : t.anomalies, `${t.incidents}/#`, t.status, t.errors];
}
