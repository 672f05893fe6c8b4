import type { HttpStats } from '../../src/adapters/http/stats.js';
import { createFailures, tally } from './failures.js';
import { brokenHttpCases } from './http-broken-cases.js';
import { checkErrorReply } from './http-reply.js';
import { rawExchange } from './raw-http.js';

const SETTLE = 'GET /fuzz-settle HTTP/1.1\r\nHost: fuzz\r\n\r\n';

export interface BrokenHttpOptions {
  url: string;
  bodyLimitBytes: number;
  stats?: () => Readonly<HttpStats>;
  /** Per request; must exceed the server's header and request timeouts, which answer the stalled ones. Default 10 s. */
  timeoutMs?: number;
}

export interface BrokenHttpReport {
  sent: number;
  byStatus: Record<string, number>;
  failureCount: number;
  failures: string[];
}

/** Sends every broken-HTTP case at once on raw sockets and checks each answer and the app's counters. */
export async function runBrokenHttp(options: BrokenHttpOptions): Promise<BrokenHttpReport> {
  const { hostname, port } = new URL(options.url);
  const failures = createFailures();
  const byStatus: Record<string, number> = {};
  const cases = brokenHttpCases(options.bodyLimitBytes);
  const before = options.stats ? routeCounters(options.stats()) : undefined;

  await Promise.all(
    cases.map(async (c) => {
      const result = await rawExchange(hostname, Number(port), c.chunks, options.timeoutMs ?? 10_000);
      if (!result.ok) {
        tally(byStatus, 'none');
        failures.add(`${c.name}: ${result.error}`);
        return;
      }
      tally(byStatus, String(result.reply.status));
      checkErrorReply(c.name, result.reply, c.status, c.error, failures);
    }),
  );

  if (options.stats && before) {
    // A request that broke off is counted when the server closes its socket, which can come after the
    // client has read the answer; one more round trip lets those closes run before the counters are read.
    const settle = await rawExchange(hostname, Number(port), [SETTLE], options.timeoutMs ?? 10_000);
    if (!settle.ok || settle.reply.status !== 404) failures.add(`the server did not answer a plain request after the run: ${settle.ok ? settle.reply.status : settle.error}`);
    const after = routeCounters(options.stats());
    const expected: Record<string, number> = { 'unmatched 404': 1 };
    for (const c of cases) if (c.counted) tally(expected, c.counted.join(' '));
    for (const key of new Set([...Object.keys(expected), ...Object.keys(after)])) {
      const counted = (after[key] ?? 0) - (before[key] ?? 0);
      if (counted !== (expected[key] ?? 0)) failures.add(`the app counted ${counted} × ${key}, expected ${expected[key] ?? 0}`);
    }
  }
  return { sent: cases.length, byStatus, failureCount: failures.count, failures: failures.list() };
}

/** `<route> <status>` -> count, over every route. */
function routeCounters(stats: Readonly<HttpStats>): Record<string, number> {
  const flat: Record<string, number> = {};
  for (const [route, counters] of Object.entries(stats.routes)) {
    for (const [status, n] of Object.entries(counters.responses)) flat[`${route} ${status}`] = n;
  }
  return flat;
}
