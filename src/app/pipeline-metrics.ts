/**
 * The metrics of one process, wired to whatever parts run in it: the worker,
 * its detector and model, the embedded broker, the HTTP sidecar. The parts are
 * read through getters at scrape time, so the metrics can be created before
 * the parts they describe.
 */
import { createMetrics, type Metrics } from '../adapters/metrics/metrics.js';
import type { EmbeddedBroker } from '../adapters/broker/embedded-broker.js';
import type { HttpStats } from '../adapters/http/index.js';
import type { AnomalyModel } from '../core/model/types.js';
import type { Detector } from '../detector/index.js';
import type { Worker } from '../worker/worker.js';
import type { Config } from './config.js';

export interface MetricParts {
  /** Which parts run in this process: the others' metrics are left out. */
  runs: { worker: boolean; broker: boolean };
  worker(): Worker | undefined;
  detector(): Detector | undefined;
  model(): AnomalyModel | undefined;
  broker(): EmbeddedBroker | undefined;
  http(): Readonly<HttpStats> | undefined;
}

export function pipelineMetrics(config: Config, parts: MetricParts): Metrics {
  return createMetrics({
    deviceLabels: config.metrics.deviceLabels,
    maxLabelValues: config.metrics.maxLabelValues,
    topics: config.topics,
    sources: {
      ...(parts.runs.worker
        ? {
            worker: () => parts.worker()?.stats(),
            connection: () => parts.worker()?.health(),
            detector: () => parts.detector()?.stats(),
            deviceStateBytes: () => deviceStateBytes(config, parts),
            model: () => {
              const model = parts.model();
              return model === undefined ? undefined : { ...model.info, threshold: model.threshold };
            },
          }
        : {}),
      ...(parts.runs.broker ? { broker: () => parts.broker()?.stats() } : {}),
      http: parts.http,
    },
  });
}

/**
 * An estimate of what per-device state holds: each device model about the
 * size of the global one (same trees and subsample), each warm-up its readings
 * so far (at most MODEL_WARMUP rows of 8-byte values).
 */
function deviceStateBytes(config: Config, parts: MetricParts): number | undefined {
  const stats = parts.detector()?.stats();
  if (stats === undefined) return undefined;
  const model = parts.model();
  const dims = model?.info.features.length ?? 0;
  const perModel = model === undefined ? 0 : typedArrayBytes((model as { compiled?: unknown }).compiled);
  return stats.modelsHeld * perModel + stats.warmingUp * config.model.warmup * dims * 8;
}

/** Bytes of the typed arrays directly inside `value` (a compiled forest). */
export function typedArrayBytes(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  let bytes = 0;
  for (const inner of Object.values(value)) if (ArrayBuffer.isView(inner)) bytes += inner.byteLength;
  return bytes;
}
