import { Agent } from 'node:http';
import type { HttpStats } from '../../src/adapters/http/stats.js';
import { createRandom } from '../../src/support/random.js';
import { createFailures, tally, type Failures } from './failures.js';
import { checkErrorReply } from './http-reply.js';
import { postBytes } from './http-send.js';
import { checkFuzzLimit, createPayloadFuzzer, httpStatusOf, type FuzzCase } from './payloads.js';

export interface HttpFuzzOptions {
  /** The server's base URL, e.g. http://127.0.0.1:8080. */
  url: string;
  seed: number;
  count: number;
  /** The server's /predict body limit; must sit between the fuzz size bounds. */
  bodyLimitBytes: number;
  /** The app's counters, to check they agree with what the clients saw. */
  stats?: () => Readonly<HttpStats>;
  /** Requests in flight at once. Default 16. */
  window?: number;
  /** Silence after which a request counts as hung. Default 10 s. */
  timeoutMs?: number;
}

export interface HttpFuzzReport {
  sent: number;
  byStatus: Record<string, number>;
  /** Expected error code → requests sent with it. */
  byCode: Record<string, number>;
  byFamily: Record<string, number>;
  failureCount: number;
  failures: string[];
}

const CONTENT_TYPES = ['application/json', 'application/json; charset=utf-8', 'text/plain', undefined];

/**
 * POSTs `count` malformed bodies to /predict (the same payloads as the MQTT
 * run for the same seed), with varied content types, some chunked. Each must
 * get the expected 4xx with a JSON reason; the app's counters must agree.
 */
export async function runHttpFuzz(options: HttpFuzzOptions): Promise<HttpFuzzReport> {
  checkFuzzLimit('bodyLimitBytes', options.bodyLimitBytes);
  const window = options.window ?? 16;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const failures = createFailures();
  const byStatus: Record<string, number> = {};
  const byFamily: Record<string, number> = {};
  const byCode: Record<string, number> = {};
  const before = predictCounters(options.stats?.());
  const fuzzer = createPayloadFuzzer(options.seed);
  // A second stream for transport choices, so the payloads match the MQTT run's for the same seed.
  const transport = createRandom(options.seed ^ 0x5eed);
  const agent = new Agent({ keepAlive: true, maxSockets: window });
  const url = new URL('/predict', options.url);

  const one = async (i: number, c: FuzzCase): Promise<void> => {
    const contentType = CONTENT_TYPES[transport.int(CONTENT_TYPES.length)];
    const chunked = transport.int(4) === 0;
    const result = await postBytes(url, agent, c.bytes, { contentType, chunked, timeoutMs });
    const label = `request ${i} (${c.family}, ${c.bytes.length} bytes${chunked ? ', chunked' : ''})`;
    if (!result.ok) {
      tally(byStatus, 'none');
      failures.add(`${label}: no answer: ${result.error}`);
      return;
    }
    tally(byStatus, String(result.reply.status));
    tally(byCode, c.http);
    checkErrorReply(label, result.reply, httpStatusOf(c.http), c.http, failures);
  };

  try {
    const inFlight = new Set<Promise<void>>();
    for (let i = 0; i < options.count; i++) {
      const c = fuzzer.next();
      tally(byFamily, c.family);
      const p: Promise<void> = one(i, c).finally(() => inFlight.delete(p));
      inFlight.add(p);
      if (inFlight.size >= window) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
  } finally {
    agent.destroy();
  }
  if (options.stats) checkCounters(before, predictCounters(options.stats()), options.count, byStatus, failures);
  return { sent: options.count, byStatus, byCode, byFamily, failureCount: failures.count, failures: failures.list() };
}

type Counters = { requests: number; responses: Record<string, number> };

function predictCounters(stats: Readonly<HttpStats> | undefined): Counters {
  const route = stats?.routes['/predict'];
  return { requests: route?.requests ?? 0, responses: { ...route?.responses } };
}

function checkCounters(before: Counters, after: Counters, sent: number, seen: Record<string, number>, failures: Failures): void {
  if (after.requests - before.requests !== sent) failures.add(`the app counted ${after.requests - before.requests} /predict requests, ${sent} were sent`);
  for (const status of new Set([...Object.keys(after.responses), ...Object.keys(seen)])) {
    const counted = (after.responses[status] ?? 0) - (before.responses[status] ?? 0);
    if (counted !== (seen[status] ?? 0)) failures.add(`the app counted ${counted} responses ${status}, the clients saw ${seen[status] ?? 0}`);
  }
}
