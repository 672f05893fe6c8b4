/** POST /predict against the real HTTP server: createHttpApp + startHttpServer on 127.0.0.1, port 0. */
import { createHttpApp, startHttpServer } from '../../src/adapters/http/index.js';
import { silentLogger } from '../../src/support/logger.js';
import type { AnomalyModel } from '../../src/core/model/types.js';
import type { HttpLoadResult } from './http-load.js';
import { runLoad, type LoadPlacement } from './load-task.js';
import { withCpuSamples } from './stats.js';

export interface PredictPhaseOptions {
  connections: number;
  seconds: number;
  warmupSeconds: number;
  placement: LoadPlacement;
  seed?: number;
}

export interface PredictPhaseResult extends HttpLoadResult {
  /** CPU of the server process: median over the seconds of the run, in cores. */
  serverCpu: number;
  /** CPU of the whole machine meanwhile (median per second, in cores): above serverCpu + cpu, others were busy. */
  machineCpu: number;
}

export async function measurePredict(model: AnomalyModel, o: PredictPhaseOptions): Promise<PredictPhaseResult> {
  const logger = silentLogger();
  const app = createHttpApp({
    getModel: () => model,
    health: () => ({ ready: true, checks: { bench: true } }),
    bodyLimitBytes: 65536,
    logger,
    isClosing: () => false,
  });
  const server = await startHttpServer({ host: '127.0.0.1', port: 0, handler: app, logger });
  try {
    const { result, cpu, machineCpu } = await withCpuSamples(() =>
      runLoad(
        {
          kind: 'http',
          options: {
            url: server.url,
            connections: o.connections,
            warmupSeconds: o.warmupSeconds,
            seconds: o.seconds,
            seed: o.seed ?? 7,
          },
        },
        o.placement,
      ),
    );
    return { ...result, serverCpu: cpu, machineCpu };
  } finally {
    await server.close();
  }
}
