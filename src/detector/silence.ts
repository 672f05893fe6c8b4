/**
 * Silent devices: each device's usual reporting interval is learnt from the
 * arrival times of its readings; a device not heard from for longer than
 * `factor` × that interval, and at least `minMs`, is silent until it reports
 * again. One scheduler for all devices: deadlines sit in a min-heap, and a tick
 * pops only those that are due, so no timer wakes per device.
 */
export interface SilenceOptions {
  readonly factor: number;
  readonly minMs: number;
  /** Devices tracked at most; the longest unheard is dropped beyond it. */
  readonly maxDevices: number;
}

interface Tracked {
  lastMs: number;
  intervalMs: number;
  readings: number;
  deadline: number;
  silent: boolean;
  /** The deadline this device has in the heap (at most one entry each), Infinity when none. */
  queued: number;
}

export interface SilenceTracker {
  /** A reading arrived: true when the device had been silent (its silence ends now). */
  heard(device: string, nowMs: number): boolean;
  /** Devices that fell silent since the last call, with when they were last heard. */
  due(nowMs: number): Array<{ device: string; lastMs: number; intervalMs: number }>;
  /** Devices silent right now. */
  silent(): number;
  readonly size: number;
}

/** Readings needed before an interval is trusted: one gap tells nothing of the rhythm. */
const MIN_READINGS = 3;

export function createSilenceTracker(options: SilenceOptions): SilenceTracker {
  const devices = new Map<string, Tracked>();
  const heap: Array<{ at: number; device: string }> = [];
  let silentCount = 0;

  const deadlineOf = (d: Tracked) => d.lastMs + Math.max(options.factor * d.intervalMs, options.minMs);
  const push = (at: number, device: string) => {
    heap.push({ at, device });
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]!.at <= heap[i]!.at) break;
      [heap[parent], heap[i]] = [heap[i]!, heap[parent]!];
      i = parent;
    }
  };
  const pop = () => {
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && heap[l]!.at < heap[m]!.at) m = l;
        if (r < heap.length && heap[r]!.at < heap[m]!.at) m = r;
        if (m === i) break;
        [heap[m], heap[i]] = [heap[i]!, heap[m]!];
        i = m;
      }
    }
    return top;
  };

  return {
    heard(device, nowMs) {
      let d = devices.get(device);
      const wasSilent = d?.silent === true;
      if (d === undefined) {
        d = { lastMs: nowMs, intervalMs: 0, readings: 0, deadline: Infinity, silent: false, queued: Infinity };
        if (devices.size >= options.maxDevices) dropOldest();
        devices.set(device, d);
      } else {
        const gap = nowMs - d.lastMs;
        // A silence is not a rhythm: the gap that ends one is left out of the interval.
        if (!wasSilent && gap >= 0) d.intervalMs = d.intervalMs === 0 ? gap : d.intervalMs + 0.1 * (gap - d.intervalMs);
        d.lastMs = Math.max(d.lastMs, nowMs);
      }
      d.readings++;
      if (wasSilent) {
        d.silent = false;
        d.queued = Infinity;
        silentCount--;
      }
      if (d.readings >= MIN_READINGS && d.intervalMs > 0) {
        d.deadline = deadlineOf(d);
        // One heap entry per device: a reading only moves the deadline on (no allocation); the entry is
        // pushed again, with the new deadline, when the old one surfaces early.
        if (d.queued === Infinity) {
          d.queued = d.deadline;
          push(d.deadline, device);
        }
      }
      return wasSilent;
    },
    due(nowMs) {
      const out: Array<{ device: string; lastMs: number; intervalMs: number }> = [];
      while (heap.length > 0 && heap[0]!.at <= nowMs) {
        const { device } = pop();
        const d = devices.get(device);
        if (d === undefined || d.silent) continue;
        d.queued = Infinity;
        if (d.deadline > nowMs) {
          // Heard since this entry was pushed: wait for the new deadline.
          d.queued = d.deadline;
          push(d.deadline, device);
          continue;
        }
        d.silent = true;
        silentCount++;
        out.push({ device, lastMs: d.lastMs, intervalMs: d.intervalMs });
      }
      return out;
    },
    silent: () => silentCount,
    get size() {
      return devices.size;
    },
  };

  function dropOldest(): void {
    let oldest: string | undefined;
    let at = Infinity;
    for (const [device, d] of devices) {
      if (d.lastMs < at) {
        at = d.lastMs;
        oldest = device;
      }
    }
    if (oldest === undefined) return;
    if (devices.get(oldest)!.silent) silentCount--;
    devices.delete(oldest);
  }


}
