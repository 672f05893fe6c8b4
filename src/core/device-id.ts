/**
 * Which device ids the worker accepts (issue 10). The id is the topic after
 * the sensor prefix; it names a model, a file under MODEL_DIR and a results
 * topic, so it must be one unambiguous `<line>/<device>`: two non-empty
 * levels, no `.`/`..` level (path tricks), valid UTF-8 (MQTT decodes invalid
 * bytes as U+FFFD, which would fold different byte strings into one id), and
 * matching the configured pattern. Pure.
 */

export interface DeviceIdRules {
  /** Matched against the whole id, e.g. /^[A-Za-z0-9][\w.-]{0,63}\/[A-Za-z0-9][\w.-]{0,63}$/u. */
  readonly pattern: RegExp;
}

/** Why `device` is not an acceptable id, or undefined. */
export function deviceIdProblem(device: string, rules: DeviceIdRules): string | undefined {
  const levels = device.split('/');
  if (levels.length < 2 || levels[0] === '') return 'device id has no line: expected <line>/<device>';
  if (levels.some((level) => level === '.' || level === '..')) return 'device id contains a . or .. level';
  if (device.includes('\uFFFD') || LONE_SURROGATE.test(device)) return 'device id is not valid UTF-8';
  if (!rules.pattern.test(device)) return `device id does not match ${rules.pattern.source}`;
  return undefined;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
