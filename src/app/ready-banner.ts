/**
 * What `start` (and `worker`, `broker`) print on a terminal once ready: where
 * everything is. The same fields are in the `ready` log line, for pipes and
 * log collectors.
 */
export interface Where {
  readonly mqtt?: string | undefined;
  readonly ws?: string | undefined;
  readonly mqtts?: string | undefined;
  readonly http?: string | undefined;
  readonly dashboard?: string | undefined;
  readonly health?: string | undefined;
  readonly metrics?: string | undefined;
  readonly model?: string | undefined;
  /** HTTP_TOKEN is set: /metrics and /model/reload need it. */
  readonly token?: boolean | undefined;
}

export function readyBanner(name: string, where: Where): string {
  const rows: Array<[string, string]> = [];
  const add = (label: string, value: string | undefined) => {
    if (value !== undefined) rows.push([label, value]);
  };
  add('dashboard', reachable(where.dashboard));
  add('health', reachable(where.health));
  add('metrics', where.metrics === undefined ? undefined : `${reachable(where.metrics)}${where.token ? '  (Authorization: Bearer $HTTP_TOKEN)' : ''}`);
  add('predict', where.http === undefined ? undefined : `POST ${reachable(where.http)}/predict`);
  const broker = [where.mqtt, where.ws, where.mqtts].filter((u) => u !== undefined).map(reachable);
  add('broker', broker.length > 0 ? broker.join('  ') : undefined);
  add('model', where.model);
  const width = Math.max(...rows.map(([label]) => label.length));
  const wildcard = [where.http, where.mqtt].some((u) => u !== undefined && isWildcard(u));
  return [
    `${name} is ready`,
    ...rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`),
    ...(wildcard ? ['  (listening on every interface: other machines use this one\'s address)'] : []),
    'Ctrl-C stops everything.',
  ].join('\n');
}

/** A URL on a wildcard address, as one to open on this machine (a browser cannot open 0.0.0.0). */
function reachable(url: string | undefined): string {
  if (url === undefined) return '';
  return url.replace('//0.0.0.0:', '//127.0.0.1:').replace('//[::]:', '//[::1]:');
}

function isWildcard(url: string): boolean {
  return url.includes('//0.0.0.0:') || url.includes('//[::]:');
}
