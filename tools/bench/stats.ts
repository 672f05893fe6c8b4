/** Small statistics helpers: medians, percentiles, per-second rates, CPU share. */
import { readFileSync } from 'node:fs';

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** The q-quantile (nearest rank) of unsorted values; NaN when there are none. */
export function quantile(values: ArrayLike<number>, q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  return sortedQuantile(sorted, q);
}

/** Nearest-rank quantile of an ascending array. */
export function sortedQuantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

export interface LatencySummary {
  /** Milliseconds. */
  p50: number;
  p99: number;
  max: number;
  mean: number;
  count: number;
}

export function summarizeLatencies(values: ArrayLike<number>): LatencySummary {
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    p50: sortedQuantile(sorted, 0.5),
    p99: sortedQuantile(sorted, 0.99),
    max: sorted.length === 0 ? Number.NaN : sorted[sorted.length - 1]!,
    mean: sorted.length === 0 ? Number.NaN : sum / sorted.length,
    count: sorted.length,
  };
}

/** A growable list of numbers without boxing, for hundreds of thousands of latencies. */
export class NumberList {
  private data = new Float64Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  view(): Float64Array {
    return this.data.subarray(0, this.length);
  }
}

/** Counts events into whole-second buckets from `start` (performance.now() ms); only full seconds are rates. */
export class SecondBuckets {
  private readonly counts: number[];

  constructor(
    private readonly start: number,
    seconds: number,
  ) {
    this.counts = new Array<number>(Math.max(0, Math.floor(seconds))).fill(0);
  }

  /** Counts one event at `at`; events outside the window are ignored. Returns whether it was counted. */
  add(at: number): boolean {
    const i = Math.floor((at - this.start) / 1000);
    if (i < 0 || i >= this.counts.length) return false;
    this.counts[i]! += 1;
    return true;
  }

  rates(): number[] {
    return [...this.counts];
  }
}

/** CPU time this process used since `from`, as a share of one core over `wallMs`. */
export function cpuShare(from: NodeJS.CpuUsage, wallMs: number): number {
  const used = process.cpuUsage(from);
  return wallMs <= 0 ? 0 : (used.user + used.system) / 1000 / wallMs;
}

export function round(x: number, digits = 2): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/**
 * Runs `work` while sampling CPU once a second. `cpu`: this process, in cores;
 * `machineCpu`: every process on the machine (from /proc/stat, NaN elsewhere),
 * in cores, so what others ran at the same time shows. Both are medians over the seconds.
 */
export async function withCpuSamples<T>(work: () => Promise<T>): Promise<{ result: T; cpu: number; machineCpu: number }> {
  const shares: number[] = [];
  const machine: number[] = [];
  let from = process.cpuUsage();
  let at = performance.now();
  let ticks = machineTicks();
  const timer = setInterval(() => {
    const now = performance.now();
    shares.push(cpuShare(from, now - at));
    const nextTicks = machineTicks();
    if (ticks && nextTicks) machine.push((nextTicks.busy - ticks.busy) / TICKS_PER_SECOND / ((now - at) / 1000));
    from = process.cpuUsage();
    at = now;
    ticks = nextTicks;
  }, 1000);
  try {
    const result = await work();
    return { result, cpu: median(shares), machineCpu: median(machine) };
  } finally {
    clearInterval(timer);
  }
}

/** USER_HZ, 100 on every Linux we run on. */
const TICKS_PER_SECOND = 100;

/** Busy jiffies of all CPUs (everything but idle and iowait), or undefined without /proc/stat. */
function machineTicks(): { busy: number } | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
    return { busy: user + nice + system + irq + softirq + steal };
  } catch {
    return undefined;
  }
}
