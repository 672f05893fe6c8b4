import type { Logger } from '../../support/logger.js';
import { createLogThrottle } from '../../support/log-throttle.js';
import type { Publish } from './source.js';

export interface MqttSink {
  /**
   * Fire and forget: written to the connection at once; a failure is counted and logged, never thrown.
   * `receivedAt` (performance.now() when the reading arrived) is handed to onAcknowledged, for the latency metric.
   */
  publish(topic: string, payload: string, retain?: boolean, receivedAt?: number): void;
}

export interface MqttSinkOptions {
  qos: 0 | 1 | 2;
  logger: Logger;
  /** Called for every publish that failed (the broker refused it, or the connection closed first). */
  onError(topic: string, err: Error): void;
  /** Called when the broker acknowledged a publish (QoS 0: when it was written). */
  onAcknowledged?(topic: string, receivedAt: number | undefined): void;
}

/** The MQTT sink: results, dead letters, incidents and status, on the source's connection. */
export function createMqttSink(publish: Publish, options: MqttSinkOptions): MqttSink {
  const log = options.logger.child({ component: 'mqtt-sink' });
  const throttle = createLogThrottle(5000);
  return {
    publish(topic, payload, retain = false, receivedAt) {
      publish(topic, payload, { qos: options.qos, retain }, (err) => {
        if (!err) return options.onAcknowledged?.(topic, receivedAt);
        options.onError(topic, err);
        throttle(topic, (suppressed) => log.warn({ topic, err: err.message, suppressed }, 'publish failed'));
      });
    },
  };
}
