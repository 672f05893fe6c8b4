/** The HTTP load generator: autocannon against POST /predict. Runs in whichever process calls it. */
import autocannon from 'autocannon';
import { readingPrefixes } from './readings.js';
import { cpuShare, round } from './stats.js';

export interface HttpLoadOptions {
  url: string;
  connections: number;
  warmupSeconds: number;
  seconds: number;
  seed: number;
}

export interface HttpLoadResult {
  requests: number;
  /** Median of the per-second request counts. */
  medianRate: number;
  meanRate: number;
  /** Milliseconds, as autocannon records them: whole milliseconds, so 0 means under 1 ms. */
  latency: { p50: number; p99: number; mean: number; max: number; resolutionMs: 1 };
  errors: number;
  timeouts: number;
  non2xx: number;
  /** This process's CPU over the run (warm-up included), in cores. */
  cpu: number;
}

/** A reading as the original Flask service received it: `{timestamp, temperature, humidity, sound}`. */
export function predictBody(seed: number): string {
  return `${readingPrefixes(1, seed)[0]!}}`;
}

export async function runHttpLoad(o: HttpLoadOptions): Promise<HttpLoadResult> {
  const started = performance.now();
  const cpuFrom = process.cpuUsage();
  const result = await autocannon({
    url: `${o.url}/predict`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: predictBody(o.seed),
    connections: o.connections,
    duration: o.seconds,
    timeout: 10,
    ...(o.warmupSeconds > 0 ? { warmup: { connections: o.connections, duration: o.warmupSeconds } } : {}),
  });
  const cpu = cpuShare(cpuFrom, performance.now() - started);
  return {
    requests: result['2xx'],
    medianRate: result.requests.p50,
    meanRate: round(result.requests.average),
    latency: {
      p50: result.latency.p50,
      p99: result.latency.p99,
      mean: round(result.latency.average),
      max: result.latency.max,
      resolutionMs: 1,
    },
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    cpu,
  };
}
