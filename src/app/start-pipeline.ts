import { brokerOptions } from './broker-options.js';
import { startBroker, type EmbeddedBroker } from '../adapters/broker/embedded-broker.js';
import type { Config } from './config.js';
import type { Detector } from '../detector/index.js';
import { detectorFromConfig } from './detector-from-config.js';
import { createHttpApp, startHttpServer, type HttpStats, type RunningHttpServer } from '../adapters/http/index.js';
import type { Logger } from '../support/logger.js';
import { startSimulator, type RunningSimulator } from '../simulator/simulator.js';
import { createWorker, type Worker } from '../worker/worker.js';
import { createModelHolder, type ModelHolder } from '../detector/model-holder.js';
import { obtainModel, reloadModel } from './model-setup.js';
import { createShutdown, type Shutdown } from '../support/shutdown.js';
import { workerHealth } from './worker-health.js';
import { startThroughputLog } from './throughput-log.js';
import type { Metrics } from '../adapters/metrics/metrics.js';
import { redactUrl } from '../adapters/mqtt/connect-refused.js';
import type { Where } from './ready-banner.js';
import { dashboardDeps } from './dashboard-setup.js';
import { pipelineMetrics } from './pipeline-metrics.js';
import { deviceOptions } from './device-options.js';
import { brokerConnection, groupRefusal, workerIdentity } from './worker-options.js';
import { openSharedDeviceState } from './device-state.js';

export interface PipelineParts {
  /** Which parts run in this process; `npm start` runs all, compose runs one per service. */
  broker: boolean;
  worker: boolean;
  simulator: boolean;
}

export interface PipelineAssets {
  /** The built dashboard (dist/web/dashboard); without it GET / says the page was not built. */
  dashboardDir?: string;
}

export interface Pipeline {
  readonly broker: EmbeddedBroker | undefined;
  readonly worker: Worker | undefined;
  readonly http: RunningHttpServer | undefined;
  readonly simulator: RunningSimulator | undefined;
  readonly models: ModelHolder;
  /** Picks each device's model and adapts the models; undefined without a worker. */
  readonly detector: Detector | undefined;
  /** The broker URL every part connects to. */
  readonly mqttUrl: string;
  readonly shutdown: Shutdown;
  /** What GET /metrics serves. */
  readonly metrics: Metrics;
  /** Where everything is, for the `ready` line: broker URLs (without credentials), HTTP endpoints. */
  where(): Where & { simulator: boolean };
  /** SIGHUP: re-reads the embedded broker's users file. */
  reloadUsers(): Promise<string>;
}

/**
 * The composition root as a function: start the parts in dependency order
 * (model, broker, worker, HTTP, simulator) and register their stops in the
 * reverse order (simulator first, broker last). If a part fails to start, what
 * was started is stopped again before the error is rethrown.
 */
export async function startPipeline(config: Config, logger: Logger, parts: PipelineParts, assets: PipelineAssets = {}): Promise<Pipeline> {
  const stops = new Map<StopName, () => Promise<void> | void>();
  const shutdown = createShutdown({ logger, timeoutMs: config.shutdownTimeoutMs });
  let closing = false;
  const models = createModelHolder();
  let broker: EmbeddedBroker | undefined;
  let worker: Worker | undefined;
  let http: (RunningHttpServer & { stats: Readonly<HttpStats> }) | undefined;
  let simulator: RunningSimulator | undefined;
  let detector: Detector | undefined;
  const metrics = pipelineMetrics(config, {
    runs: { worker: parts.worker, broker: parts.broker && config.mqtt.url === undefined },
    worker: () => worker,
    detector: () => detector,
    model: models.get,
    broker: () => broker,
    http: () => http?.stats,
  });
  let workerClientId = config.mqtt.clientId;

  try {
    if (parts.worker) {
      const model = await obtainModel(config, logger);
      if (model !== undefined) models.set(model);
    }

    if (parts.broker && config.mqtt.url === undefined) {
      broker = await startBroker(brokerOptions(config, logger));
      const b = broker;
      stops.set('broker', () => b.close());
    }
    const mqttUrl = config.mqtt.url ?? broker?.url ?? `mqtt://${config.mqtt.host}:${config.mqtt.port}`;

    if (parts.worker) {
      // Issue 11: device models shared through Redis, loaded by whichever worker next sees a device.
      const shared = await openSharedDeviceState(config, logger);
      const d = detectorFromConfig(config, models, logger, shared?.shared);
      detector = d;
      // After the worker stopped, so no reading is being learnt from while the models are saved.
      stops.set('detector', async () => {
        await d.close();
        await shared?.close();
      });
      // Issue 11: client id, status topic and subscription of this worker among several.
      const identity = workerIdentity(config);
      workerClientId = identity.clientId;
      const w = createWorker({
        ...(await brokerConnection(config, mqttUrl)),
        clientId: identity.clientId,
        qos: config.mqtt.qos,
        topics: { ...config.topics, sensors: identity.sensorFilter, status: identity.statusTopic },
        schema: config.sensors,
        maxPayloadBytes: config.worker.maxPayloadBytes,
        maxBatch: config.worker.maxBatch,
        detector: d,
        partition: config.scale.partition,
        prepare: shared?.prepare(d),
        claim: config.scale.claimWindowMs > 0 ? { topic: identity.claimTopic, windowMs: config.scale.claimWindowMs } : undefined,
        logger,
        ...deviceOptions(config),
        // Issue 12: latencies and per-line counts for /metrics.
        observe: metrics.observer,
      });
      worker = w;
      // Bounded by a share of the deadline (the drain may take half), so the steps after it, the device models'
      // save above all, still run when the broker stops acknowledging.
      stops.set('worker', () => w.stop(Math.floor(config.shutdownTimeoutMs / 4)));
      await w.start().catch((err: unknown) => {
        throw groupRefusal(err, config);
      });
      stops.set('summary', startThroughputLog(w.stats, config.logSummarySeconds, logger));

      const app = createHttpApp({
        getModel: models.get,
        health: () => workerHealth(w, models, mqttUrl, config.detector.threshold, d),
        bodyLimitBytes: config.http.bodyLimitBytes,
        token: config.http.token,
        detectorSettings: config.detector,
        schema: config.sensors,
        deviceModel: (device) => d.deviceModel(device),
        logger,
        isClosing: () => closing,
        ...(config.model.path !== undefined
          ? { reloadModel: () => reloadModel(config, models, logger) }
          : {}),
        metrics,
        dashboard: await dashboardDeps(config, { wsPort: broker?.wsPort, usersFile: broker !== undefined && config.broker.authFile !== undefined }, assets.dashboardDir, logger),
      });
      const server = await startHttpServer({
        host: config.http.host,
        port: config.http.port,
        handler: app,
        logger,
        headersTimeoutMs: config.http.headersTimeoutMs,
        requestTimeoutMs: config.http.requestTimeoutMs,
      });
      http = { ...server, stats: app.stats() };
      // New requests get 503 from the moment shutdown starts; the server closes after the worker stops.
      stops.set('mark-closing', () => void (closing = true));
      stops.set('http', () => server.close());
    }

    if (worker && broker) {
      // Issue 10: the in-process broker drops what it still queues when it stops (memory store), so it first stops
      // taking readings in (devices keep theirs unacknowledged and send them again), then the worker catches up
      // with every one it acknowledged, from any client. queued() counts a reading from its enqueue, which comes
      // before its PUBACK, to the worker's PUBACK, so 0 means nothing acknowledged is left (docs/hardening.md).
      const w = worker;
      const b = broker;
      const id = workerClientId;
      stops.set('intake', () => b.stopIntake([id]));
      stops.set('drain', async () => {
        const sim = simulator;
        const caughtUp = () => b.queued(id) === 0 && (sim === undefined || w.stats().received >= sim.stats().sent);
        await w.drain(caughtUp, Math.floor(config.shutdownTimeoutMs / 2));
      });
    }

    const simulated = config.simulator.sensors;
    if (parts.simulator && config.simulator.enabled && simulated === undefined) {
      logger.child({ component: 'simulator' }).info(
        { withoutBaseline: config.simulator.missing },
        'simulator off: the sensor schema gives no baseline (simulate: {base, variation}) for these fields',
      );
    }
    if (parts.simulator && config.simulator.enabled && simulated !== undefined) {
      simulator = await startSimulator({
        ...(await brokerConnection(config, mqttUrl)),
        config: { ...config.simulator, sensors: simulated },
        topics: { sensors: config.topics.sensors, injected: config.topics.injected },
        qos: config.mqtt.qos,
        logger,
      });
      const s = simulator;
      stops.set('simulator', () => s.stop());
      if (worker && !broker) {
        // A broker in this process stops last and drops what it still queues for the worker (in-memory
        // store), so the worker first catches up with every reading the simulator got acknowledged.
        const w = worker;
        stops.set('drain', async () => {
          await w.drain(() => w.stats().received >= s.stats().sent, Math.floor(config.shutdownTimeoutMs / 2));
        });
      }
    }

    addInStopOrder(shutdown, stops);
    const where = () => ({
      mqtt: redactUrl(mqttUrl),
      ws: broker?.wsUrl,
      mqtts: broker?.tlsUrl,
      http: http?.url,
      dashboard: http && config.dashboard.enabled ? `${http.url}/` : undefined,
      health: http ? `${http.url}/health` : undefined,
      metrics: http ? `${http.url}/metrics` : undefined,
      model: models.get()?.info.id,
      simulator: simulator !== undefined,
    });
    const reloadUsers = async () => {
      if (broker === undefined || config.broker.authFile === undefined) return 'SIGHUP: no users file to reload';
      return `users file reloaded (${await broker.reloadUsers()} users)`;
    };
    return { broker, worker, http, simulator, models, detector, mqttUrl, shutdown, metrics, where, reloadUsers };
  } catch (err) {
    // The cause first, then the stops it triggers: the log reads in the order things happened. With nothing
    // started yet (a bad model file) there is nothing to stop: the entry runner's one line says it all.
    if (stops.size > 0) logger.error({ err: (err as Error).message }, 'startup failed; stopping what was started');
    addInStopOrder(shutdown, stops);
    await shutdown.run('startup failed');
    throw err;
  }
}

/**
 * Stop order: refuse new HTTP work, stop the readings at their source, let the worker catch up with them,
 * stop the worker, then HTTP, broker last.
 */
const STOP_ORDER = ['mark-closing', 'summary', 'simulator', 'intake', 'drain', 'worker', 'detector', 'http', 'broker'] as const;
type StopName = (typeof STOP_ORDER)[number];

function addInStopOrder(shutdown: Shutdown, stops: Map<StopName, () => Promise<void> | void>): void {
  for (const name of STOP_ORDER) {
    const run = stops.get(name);
    if (run) shutdown.add({ name, run });
  }
}
