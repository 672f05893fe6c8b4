/** Topic filters and builders. The device id is the part of the topic after the sensor prefix. */

export type DeviceIdResult = { ok: true; device: string } | { ok: false; reason: string };

/**
 * `factory/sensors/#` -> `factory/sensors`: the prefix every sensor topic starts with. A shared
 * subscription (`$share/<group>/factory/sensors/#`) delivers the topics of the filter after the group.
 */
export function filterPrefix(filter: string): string {
  return filter.replace(/^\$share\/[^/]+\//, '').replace(/\/?#$/, '');
}

/**
 * `factory/sensors/line1/press-3` -> `line1/press-3`.
 * A topic with no device part, or with empty levels, is rejected.
 */
export function deviceFromTopic(topic: string, prefix: string): DeviceIdResult {
  const head = `${prefix}/`;
  if (!topic.startsWith(head)) return { ok: false, reason: `topic is not under ${head}` };
  const device = topic.slice(head.length);
  if (device.length === 0) return { ok: false, reason: 'topic has no device part' };
  if (device.split('/').some((level) => level.length === 0)) return { ok: false, reason: 'topic has an empty level' };
  if (/[+#]/.test(device)) return { ok: false, reason: 'topic contains a wildcard character' };
  // MQTT allows them, but a device id with control characters (U+0000 …) is a hostile or broken client.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(device)) return { ok: false, reason: 'topic contains a control character' };
  return { ok: true, device };
}

/** Where a device's results go: `factory/scores/line1/press-3`. */
export function scoreTopic(prefix: string, device: string): string {
  return `${prefix}/${device}`;
}

/** Where a simulated device publishes: `factory/sensors/line1/press-3`. */
export function sensorTopic(prefix: string, device: string): string {
  return `${prefix}/${device}`;
}
