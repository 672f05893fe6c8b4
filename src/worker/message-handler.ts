import type { Detector } from '../detector/index.js';
import { toFeatures } from '../core/reading.js';
import { createLogThrottle } from '../support/log-throttle.js';
import type { Logger } from '../support/logger.js';
import type { AnomalyModel } from '../core/model/types.js';
import { deadLetter, resultMessage } from '../core/messages.js';
import { processMessage, type ModelChoice, type Outcome, type ProcessContext } from '../core/stages/process-message.js';
import { filterPrefix, scoreTopic } from '../core/topics.js';
import { countRejected, type WorkerStats } from './worker-stats.js';
import { deviceIdProblem, type DeviceIdRules } from '../core/device-id.js';
import type { DeviceCap } from '../core/device-cap.js';

export interface MessageHandlerOptions {
  topics: { sensors: string; anomalies: string; scores: string | undefined; errors: string };
  maxPayloadBytes: number;
  zLimit?: number | undefined;
  getModel: () => AnomalyModel | undefined;
  detector?: Pick<Detector, 'modelFor' | 'observe'> | undefined;
  /** Fire-and-forget publish of one result or dead letter. */
  publish: (topic: string, payload: string) => void;
  stats: WorkerStats;
  log: Logger;
  now: () => Date;
  /** Issue 10: which device ids are accepted, and how many; without them every id is. */
  deviceRules?: DeviceIdRules | undefined;
  deviceCap?: DeviceCap | undefined;
}

/**
 * One sensor message in, its results published: the pure steps (process-message)
 * around the worker's counters, logs and the detector's learning. Synchronous,
 * so every publish is written before the caller acknowledges the reading.
 */
export function createMessageHandler(o: MessageHandlerOptions): (topic: string, payload: Buffer) => void {
  const { topics, stats, log, detector } = o;
  const throttle = createLogThrottle(5000);
  const sensorPrefix = filterPrefix(topics.sensors);
  const scratch = new Float64Array(3);
  const modelFor = detector
    ? (device: string) => detector.modelFor(device)
    : (): ModelChoice => ({ model: o.getModel(), status: 'ready' });

  return (topic, payload) => {
    stats.received += 1;
    const context: ProcessContext = {
      sensorPrefix,
      maxPayloadBytes: o.maxPayloadBytes,
      model: o.getModel(),
      ...(o.zLimit !== undefined ? { zLimit: o.zLimit } : {}),
      scratch,
      modelFor,
    };
    const at = o.now();
    const outcome = checkDevice(topic, sensorPrefix, o) ?? processMessage(topic, payload, context);
    if (outcome.kind === 'rejected') {
      countRejected(stats, outcome.code);
      o.publish(topics.errors, JSON.stringify(deadLetter(topic, payload, outcome.code, outcome.reason, at)));
      throttle(outcome.code, (suppressed) =>
        log.warn({ topic, code: outcome.code, reason: outcome.reason, suppressed }, 'message rejected'),
      );
      return;
    }
    o.deviceCap?.record(outcome.device);
    stats.scored += 1;
    stats.lastScoredAt = at.toISOString();
    const message = resultMessage(outcome.device, topic, outcome.result, at);
    const text = JSON.stringify(message);
    if (topics.scores !== undefined) o.publish(scoreTopic(topics.scores, outcome.device), text);
    if (message.prediction.is_anomaly) {
      stats.anomalies += 1;
      o.publish(topics.anomalies, text);
      const { anomaly_score: score, status, explanation } = message.prediction;
      log.info({ device: outcome.device, score, status, explanation }, 'anomaly');
    }
    // After the result is out: a model trained or retrained here scores only later readings.
    detector?.observe(outcome.device, toFeatures(outcome.result.input_data, scratch), message.prediction.is_anomaly);
  };
}

/** Issue 10: a device id outside the rules, or a new one over a cap, is rejected before anything else. */
function checkDevice(topic: string, prefix: string, o: MessageHandlerOptions): Outcome | undefined {
  if (o.deviceRules === undefined && o.deviceCap === undefined) return undefined;
  if (!topic.startsWith(`${prefix}/`)) return undefined; // processMessage says why
  const device = topic.slice(prefix.length + 1);
  const problem = o.deviceRules === undefined ? undefined : deviceIdProblem(device, o.deviceRules);
  if (problem !== undefined) return { kind: 'rejected', code: 'invalid_device', reason: problem };
  const refusal = o.deviceCap?.refusal(device);
  return refusal === undefined ? undefined : { kind: 'rejected', code: 'device_limit', reason: refusal };
}
