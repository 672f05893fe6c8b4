import { redactUrl } from '../adapters/mqtt/connect-refused.js';
import { round } from '../core/stages/score.js';
import type { Detector } from '../detector/index.js';
import type { HealthReport } from '../adapters/http/index.js';
import type { Worker } from '../worker/worker.js';
import type { ModelHolder } from '../detector/model-holder.js';

/**
 * What `/health` reports for a worker: ready when connected, subscribed and holding a model.
 * `threshold` is the one every result carries (the calibrated ANOMALY_THRESHOLD that `anomaly_score`
 * is judged against), rounded as results round it; `training_threshold` is the global model's own, the
 * quantile of its training scores that `isolation_score` is compared with.
 */
export function workerHealth(
  worker: Worker,
  models: ModelHolder,
  mqttUrl: string,
  threshold: number,
  detector?: Pick<Detector, 'stats'>,
): HealthReport {
  const { connected, subscribed, stopping } = worker.health();
  const model = models.get();
  return {
    ready: connected && subscribed && !stopping && model !== undefined,
    checks: {
      broker: { url: redactUrl(mqttUrl), connected, subscribed },
      model: model ? { ready: true, ...model.info, threshold: round(threshold), training_threshold: round(model.threshold) } : { ready: false },
      counters: worker.stats(),
      // Device models held, evictions, retrains and refused retrains.
      ...(detector ? { detector: detector.stats() } : {}),
    },
  };
}
