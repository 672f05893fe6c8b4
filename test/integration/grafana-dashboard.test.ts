/**
 * The Grafana dashboard (docs/grafana) and the compose monitoring profile
 * cannot run here (no Docker engine, no registry for their images), so this
 * checks what can be checked: every query parses as PromQL and names metrics
 * a real /metrics scrape has, and the compose files point at each other.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parser } from '@prometheus-io/lezer-promql';
import { parse } from 'yaml';
import { loadConfig, parseEnv } from '../../src/app/config.js';
import { startPipeline } from '../../src/app/start-pipeline.js';
import { silentLogger } from '../../src/support/logger.js';
import { createResources } from '../helpers/mqtt.js';
import { scrape } from '../helpers/prometheus.js';

const root = process.cwd();
interface Target {
  expr: string;
}
interface Panel {
  type: string;
  title: string;
  datasource?: { uid: string };
  targets?: Target[];
}
const dashboard = JSON.parse(readFileSync(join(root, 'docs', 'grafana', 'factory-anomaly.json'), 'utf8')) as {
  uid: string;
  panels: Panel[];
  templating: { list: Array<{ name: string; type: string; definition?: string }> };
};
const queries = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })));

/** What Grafana sends Prometheus: its variables replaced (`$__rate_interval` by a range, `$line` by "every line"). */
function interpolate(expr: string): string {
  return expr.replace(/\$__(rate_)?interval/g, '1m').replace(/\$line\b/g, '.*');
}

/** The metric names a PromQL expression selects, read by Prometheus' own grammar; throws on a syntax error. */
function metricNames(grafanaExpr: string): string[] {
  const expr = interpolate(grafanaExpr);
  const names: string[] = [];
  let error: number | undefined;
  parser.parse(expr).iterate({
    enter(node) {
      if (node.type.isError) error ??= node.from;
      if (node.name === 'VectorSelector') {
        const id = node.node.getChild('Identifier');
        if (id !== null) names.push(expr.slice(id.from, id.to));
      }
    },
  });
  if (error !== undefined) throw new Error(`not valid PromQL at ${error}: ${expr}`);
  return names;
}

describe('the Grafana dashboard', () => {
  const resources = createResources();
  afterEach(() => resources.closeAll());

  it('when its queries are parsed, then each is valid PromQL on the templated data source', () => {
    expect(queries.length).toBeGreaterThan(20);
    for (const { expr } of queries) expect(metricNames(expr).length).toBeGreaterThan(0);
    for (const panel of dashboard.panels.filter((p) => p.type !== 'row')) expect([panel.title, panel.datasource?.uid]).toEqual([panel.title, '${datasource}']);
  });

  it('when the pipeline is scraped for real, then every metric the dashboard queries is in the scrape', async () => {
    const pipeline = await startPipeline(
      loadConfig({ MQTT_PORT: '0', MQTT_WS_PORT: '0', HTTP_PORT: '0', LOG_LEVEL: 'silent', SIMULATOR_RATE: '20', SIMULATOR_DEVICES: '2' }),
      silentLogger(),
      { broker: true, worker: true, simulator: true },
    );
    resources.add(pipeline, (p) => p.shutdown.run('test over'));
    const families = await scrape(`${pipeline.http!.url}/metrics`);
    const known = (name: string) =>
      families.has(name) || ['_bucket', '_sum', '_count'].some((suffix) => name.endsWith(suffix) && families.get(name.slice(0, -suffix.length))?.type === 'HISTOGRAM');
    const used = new Set(queries.flatMap(({ expr }) => metricNames(expr)));
    for (const variable of dashboard.templating.list) {
      const m = /label_values\((\w+),/.exec(variable.definition ?? '');
      if (m) used.add(m[1]!);
    }
    expect([...used].filter((name) => !known(name))).toEqual([]);
    expect(used.size).toBeGreaterThan(25);
  });
});

describe('the compose monitoring profile', () => {
  interface Service {
    image?: string;
    profiles?: string[];
    environment?: Record<string, string>;
    volumes?: string[];
    ports?: string[];
  }
  const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, Service> };
  const prometheus = compose.services.prometheus!;
  const grafana = compose.services.grafana!;
  const mountOf = (service: Service, source: string) => service.volumes?.find((v) => v.startsWith(`${source}:`))?.split(':')[1];

  it('when read, then Prometheus and Grafana are official images under the monitoring profile, on the host loopback only', () => {
    expect(prometheus.image).toMatch(/^prom\/prometheus:v\d+\.\d+\.\d+$/);
    expect(grafana.image).toMatch(/^grafana\/grafana:\d+\.\d+\.\d+$/);
    for (const service of [prometheus, grafana]) {
      expect(service.profiles).toEqual(['monitoring']);
      for (const port of service.ports ?? []) expect(port.startsWith('127.0.0.1:')).toBe(true);
    }
  });

  it("when read, then Prometheus scrapes the worker's sidecar where the worker serves /metrics", () => {
    const config = parse(readFileSync(join(root, 'deploy', 'prometheus', 'prometheus.yml'), 'utf8')) as {
      scrape_configs: Array<{ metrics_path: string; static_configs: Array<{ targets: string[] }> }>;
    };
    expect(mountOf(prometheus, './deploy/prometheus/prometheus.yml')).toBe('/etc/prometheus/prometheus.yml');
    const job = config.scrape_configs[0]!;
    const worker = parseEnv(compose.services.worker!.environment ?? {});
    expect(job.metrics_path).toBe('/metrics');
    expect(job.static_configs[0]!.targets).toEqual([`worker:${worker.HTTP_PORT}`]);
    expect(worker.HTTP_HOST).toBe('0.0.0.0');
  });

  it('when read, then Grafana is provisioned with that Prometheus and loads the dashboard from docs/grafana', () => {
    const datasources = parse(readFileSync(join(root, 'deploy', 'grafana', 'provisioning', 'datasources', 'prometheus.yml'), 'utf8')) as { datasources: Array<{ type: string; url: string }> };
    const promPort = prometheus.ports![0]!.split(':').pop();
    expect(datasources.datasources[0]).toMatchObject({ type: 'prometheus', url: `http://prometheus:${promPort}` });
    const providers = parse(readFileSync(join(root, 'deploy', 'grafana', 'provisioning', 'dashboards', 'factory-anomaly.yml'), 'utf8')) as { providers: Array<{ options: { path: string } }> };
    const dashboards = mountOf(grafana, './docs/grafana');
    expect(providers.providers[0]!.options.path).toBe(dashboards);
    expect(mountOf(grafana, './deploy/grafana/provisioning')).toBe('/etc/grafana/provisioning');
    expect(grafana.environment?.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH).toBe(`${dashboards}/factory-anomaly.json`);
  });
});
