/**
 * MQTT topic filter logic for the ACL: does a filter match a topic, and does
 * one filter cover every topic another can match. Pure, no aedes.
 */

/** `+` is one level, a trailing `#` any number (including none); a leading wildcard never matches a `$` topic [MQTT-4.7.2-1]. */
export function topicMatches(filter: string, topic: string): boolean {
  if (topic.startsWith('$') && !filter.startsWith('$')) return false;
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return i === f.length - 1;
    if (i >= t.length) return false;
    if (f[i] !== '+' && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}

/**
 * True when every topic `requested` can match is also matched by `allowed`,
 * so granting the subscription gives nothing more than `allowed` does:
 * `factory/scores/#` covers `factory/scores/line1/+`, but not `factory/#`.
 */
export function filterCovers(allowed: string, requested: string): boolean {
  if (requested.startsWith('$') && !allowed.startsWith('$')) return false;
  const a = allowed.split('/');
  const r = requested.split('/');
  for (let i = 0; i < a.length; i++) {
    if (a[i] === '#') return i === a.length - 1;
    if (i >= r.length) return false;
    if (r[i] === '#') return false;
    if (a[i] === '+') continue;
    if (r[i] === '+' || a[i] !== r[i]) return false;
  }
  return a.length === r.length;
}

/** A well-formed filter: no empty string, `#` only as the whole last level, `+` only as a whole level. */
export function isValidFilter(filter: string): boolean {
  if (filter.length === 0 || filter.includes('\u0000')) return false;
  const levels = filter.split('/');
  return levels.every((level, i) => {
    if (level === '#') return i === levels.length - 1;
    if (level === '+') return true;
    return !level.includes('#') && !level.includes('+');
  });
}

/** `$share/<group>/<filter>` -> `<filter>`; undefined when the share syntax is broken. Other filters come back as they are. */
export function unshared(filter: string): string | undefined {
  if (!filter.startsWith('$share/')) return filter;
  const rest = filter.slice('$share/'.length);
  const slash = rest.indexOf('/');
  if (slash <= 0) return undefined;
  const group = rest.slice(0, slash);
  const inner = rest.slice(slash + 1);
  if (/[+#]/.test(group) || inner.length === 0) return undefined;
  return inner;
}

/** `factory/status/worker` -> `factory/status/#`: the subtree a topic lives in, or the topic itself at the top level. */
export function parentSubtree(topic: string): string {
  const slash = topic.lastIndexOf('/');
  return slash < 0 ? topic : `${topic.slice(0, slash)}/#`;
}
