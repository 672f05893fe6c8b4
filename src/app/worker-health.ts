import { redactUrl } from '../adapters/mqtt/connect-refused.js';
import type { Detector } from '../detector/index.js';
import type { HealthReport } from '../adapters/http/index.js';
import type { Worker } from '../worker/worker.js';
import type { ModelHolder } from '../detector/model-holder.js';

/** What `/health` reports for a worker: ready when connected, subscribed and holding a model. */
export function workerHealth(
  worker: Worker,
  models: ModelHolder,
  mqttUrl: string,
  detector?: Pick<Detector, 'stats'>,
): HealthReport {
  const { connected, subscribed, stopping } = worker.health();
  const model = models.get();
  return {
    ready: connected && subscribed && !stopping && model !== undefined,
    checks: {
      broker: { url: redactUrl(mqttUrl), connected, subscribed },
      model: model ? { ready: true, ...model.info, threshold: model.threshold } : { ready: false },
      counters: worker.stats(),
      // Device models held, evictions, retrains and refused retrains.
      ...(detector ? { detector: detector.stats() } : {}),
    },
  };
}
