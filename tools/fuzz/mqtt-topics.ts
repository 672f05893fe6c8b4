import type { MqttClient } from 'mqtt';
import type { Failures } from './failures.js';

/** Topics the worker receives (they match `<prefix>/#`) but must refuse: no device, or an empty level. */
export function wrongTopics(prefix: string): string[] {
  return [prefix, `${prefix}/`, `${prefix}//x`, `${prefix}/a//b`, `${prefix}/line1/`];
}

/** Topic names MQTT forbids in a PUBLISH (wildcards, empty, too many levels): the broker must drop the publisher. */
export function forbiddenTopics(prefix: string): string[] {
  return [`${prefix}/+`, `${prefix}/#`, `${prefix}/+/x`, `${prefix}/a+b/c`, `${prefix}/x#`, '#', '+', `${prefix}/${'a/'.repeat(120)}x`];
}

export interface GoodReadingTopics {
  sensorPrefix: string;
  scoresPrefix: string;
}

export const GOOD_READING = { temperature: 25.1, humidity: 50.3, sound: 59.8 };

/**
 * Publishes a valid reading to `<sensorPrefix>/<device>` and waits for its
 * result on `<scoresPrefix>/<device>`; `observer` must already be subscribed there.
 */
export function publishGoodReading(
  device: MqttClient,
  observer: MqttClient,
  topics: GoodReadingTopics,
  devicePath: string,
  failures: Failures,
  timeoutMs = 10_000,
): Promise<boolean> {
  const resultTopic = `${topics.scoresPrefix}/${devicePath}`;
  return new Promise<boolean>((resolve) => {
    const onMessage = (topic: string, payload: Buffer) => {
      if (topic !== resultTopic) return;
      const result = JSON.parse(payload.toString('utf8')) as { prediction?: { anomaly_score?: unknown } };
      if (typeof result.prediction?.anomaly_score !== 'number') failures.add(`result without a score: ${payload.toString('utf8').slice(0, 200)}`);
      done(true);
    };
    const timer = setTimeout(() => {
      failures.add(`no result on ${resultTopic} within ${timeoutMs} ms for a good reading`);
      done(false);
    }, timeoutMs);
    const done = (scored: boolean) => {
      clearTimeout(timer);
      observer.off('message', onMessage);
      resolve(scored);
    };
    observer.on('message', onMessage);
    device.publishAsync(`${topics.sensorPrefix}/${devicePath}`, JSON.stringify(GOOD_READING), { qos: 1 }).catch((err: unknown) => {
      failures.add(`publishing the good reading failed: ${(err as Error).message}`);
      done(false);
    });
  });
}
