// autocannon 8 ships no types; this declares the part of its programmatic API the bench uses.
declare module 'autocannon' {
  /** Percentiles as autocannon names them: p50, p97_5, p99, ... plus the usual moments. */
  export interface HistogramSummary {
    average: number;
    mean: number;
    stddev: number;
    min: number;
    max: number;
    total: number;
    p50: number;
    p90: number;
    p97_5: number;
    p99: number;
    p99_9: number;
  }

  export interface Result {
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    '2xx': number;
    /** Latency of 2xx responses in ms (recorded as whole milliseconds). */
    latency: HistogramSummary & { totalCount: number };
    /** One sample per second: the completed requests in that second. */
    requests: HistogramSummary & { sent: number };
    throughput: HistogramSummary;
  }

  export interface Options {
    url: string;
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    connections?: number;
    pipelining?: number;
    /** Seconds. */
    duration?: number;
    /** Seconds before a request counts as timed out. */
    timeout?: number;
    warmup?: { connections?: number; duration?: number };
  }

  export interface Instance {
    stop(): void;
  }

  /** Without a callback the returned tracker is a thenable resolving with the result. */
  function autocannon(options: Options): PromiseLike<Result> & Instance;
  export default autocannon;
}
