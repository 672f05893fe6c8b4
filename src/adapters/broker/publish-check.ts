/**
 * What makes a message undeliverable: aedes takes some of these (a Last Will
 * with QoS 3 above all) and fails to write them to every subscriber, each
 * time, which disconnects the subscriber and keeps the message in its session
 * for ever. Checked before a message is stored, so it never gets there.
 */
import type { PublishPacket } from 'aedes';

/** The reason `packet` cannot be delivered, or undefined when it can. */
export function publishProblem(packet: PublishPacket): string | undefined {
  // aedes' own $SYS messages come without a QoS, which means 0.
  const qos: unknown = packet.qos ?? 0;
  if (qos !== 0 && qos !== 1 && qos !== 2) return `QoS ${String(qos)} is not 0, 1 or 2`;
  return topicProblem(packet.topic);
}

/**
 * MQTT topic names are non-empty, well-formed UTF-8 without U+0000 or wildcards. mqtt-packet decodes the topic
 * bytes with replacement, so invalid UTF-8 arrives as U+FFFD: two different byte strings would become one topic.
 */
export function topicProblem(topic: unknown): string | undefined {
  if (typeof topic !== 'string' || topic.length === 0) return 'the topic is empty';
  if (/[+#]/.test(topic)) return 'a topic name cannot contain + or #';
  if (topic.includes('\u0000')) return 'the topic contains U+0000';
  if (topic.includes('\uFFFD')) return 'the topic is not valid UTF-8';
  if (LONE_SURROGATE.test(topic)) return 'the topic contains a lone surrogate';
  return undefined;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
