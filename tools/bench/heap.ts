/**
 * What the detector costs in memory: per device held, and per reading scored.
 * Both need `gc` (node --expose-gc, which `npm run -s bench` passes through tsx):
 * without it they are not measured, and the report says so.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import type { Detector } from '../../src/detector/index.js';
import type { ContextStream } from './context-stream.js';
import { median } from './stats.js';

export type Gc = () => void;

export function exposedGc(): Gc | undefined {
  const gc = (globalThis as { gc?: unknown }).gc;
  return typeof gc === 'function' ? (gc as Gc) : undefined;
}

/** Garbage collections (minor and major) seen since it started; entries arrive asynchronously, so settle() first. */
export interface GcCounter {
  readonly count: number;
  stop(): void;
}

export function countGcs(): GcCounter {
  let count = 0;
  const observer = new PerformanceObserver((list) => void (count += list.getEntries().length));
  observer.observe({ entryTypes: ['gc'] });
  return {
    get count() {
      return count;
    },
    stop: () => observer.disconnect(),
  };
}

/** Lets pending GC entries reach the observer. */
export const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 10));

/**
 * After full collections, repeated (with a turn of the event loop between them, for weak callbacks and
 * finalisers) until the heap stops shrinking: what an earlier phase left behind must not be freed in the
 * middle of a measurement.
 */
async function collected(gc: Gc): Promise<{ heapUsed: number; arrayBuffers: number }> {
  let previous = Infinity;
  for (let round = 0; ; round++) {
    gc();
    await settle();
    const { heapUsed, arrayBuffers } = process.memoryUsage();
    if (previous - heapUsed < SETTLED_BYTES || round === MAX_COLLECTIONS) return { heapUsed, arrayBuffers };
    previous = heapUsed;
  }
}

const SETTLED_BYTES = 64 * 1024;
const MAX_COLLECTIONS = 10;

/** Bytes per device held: on the V8 heap, and in ArrayBuffer backing stores (typed arrays over 64 bytes live outside the heap). */
export interface DeviceMemory {
  heapUsed: number;
  arrayBuffers: number;
  total: number;
}

/**
 * Memory per device: heapUsed and arrayBuffers (after GC) before and after `devices` new devices
 * have each sent `readingsEach` readings, divided by `devices`. The readings and ids exist before
 * the first measurement, so only what the detector keeps counts: its LRU slot, time context,
 * incident state, silence tracking.
 */
export async function memoryPerDevice(gc: Gc, detector: Pick<Detector, 'process'> & { stats(): { devices: number } }, stream: ContextStream, devices: number, readingsEach: number): Promise<DeviceMemory> {
  const sources = firstReadings(stream, readingsEach);
  if (sources.length === 0) throw new Error(`no device of the stream has ${readingsEach} readings`);
  const ids = Array.from({ length: devices }, (_, i) => `heap/device-${i}`);
  const before = await collected(gc);
  // Device i replays source device (i mod n): its readings, in time order.
  for (let i = 0; i < devices; i++) for (const at of sources[i % sources.length]!) detector.process(ids[i]!, stream.readings[at]!, stream.times[at]!);
  const after = await collected(gc);
  const held = detector.stats().devices;
  if (held !== devices) throw new Error(`the detector holds ${held} devices, not ${devices}: raise its MODEL_MAX_DEVICES`);
  const heapUsed = (after.heapUsed - before.heapUsed) / devices;
  const arrayBuffers = (after.arrayBuffers - before.arrayBuffers) / devices;
  return { heapUsed, arrayBuffers, total: heapUsed + arrayBuffers };
}

/** For each device of the stream with at least `count` readings, the indices of its first `count`. */
function firstReadings(stream: ContextStream, count: number): number[][] {
  const byDevice = new Map<string, number[]>();
  stream.devices.forEach((device, i) => {
    const indices = byDevice.get(device) ?? [];
    if (indices.length < count) indices.push(i);
    byDevice.set(device, indices);
  });
  return [...byDevice.values()].filter((indices) => indices.length === count);
}

export interface Allocation {
  /**
   * Median bytes allocated per reading over the chunks that ran without a GC. Includes the caller's
   * 16 bytes of boxing the arrival time (a double) for the call, as the worker's clock reading does.
   */
  bytesPerReading: number;
  /** Lowest and highest chunk: far apart when the code was not optimised all along (unoptimised code boxes its numbers). */
  range: [number, number];
  /** Readings measured, and how many of them the detector flagged (an anomaly's result carries its explanation). */
  readings: number;
  flagged: number;
  /** Chunks measured, and chunks dropped because a GC ran during them. */
  chunks: number;
  dropped: number;
}

/**
 * Memory allocated per reading scored for devices the detector already holds: after a full GC,
 * heapUsed + arrayBuffers before and after `chunk` readings, kept only when no GC ran in between
 * (then the growth is what was allocated). A hot path that allocates nothing per reading shows
 * at most the caller's boxed arrival time.
 */
export async function allocationPerReading(gc: Gc, detector: Pick<Detector, 'process'>, stream: ContextStream, from: number, chunk: number, chunks: number): Promise<Allocation> {
  if (from + chunk * chunks > stream.readings.length) throw new Error('the stream is too short for these chunks');
  const gcs = countGcs();
  const samples: number[] = [];
  let flagged = 0;
  try {
    // What measuring itself costs (reading the heap figures), subtracted from every chunk.
    const overhead = await measuredChunk(gc, gcs, () => {});
    for (let c = 0; c < chunks; c++) {
      const start = from + c * chunk;
      const grown = await measuredChunk(gc, gcs, () => {
        for (let i = start; i < start + chunk; i++) {
          const processed = detector.process(stream.devices[i]!, stream.readings[i]!, stream.times[i]!);
          if (processed.kind === 'scored' && processed.result.prediction.is_anomaly) flagged += 1;
        }
      });
      if (grown !== undefined && overhead !== undefined) samples.push(Math.max(0, grown - overhead) / chunk);
    }
  } finally {
    gcs.stop();
  }
  const bytesPerReading = samples.length > 0 ? median(samples) : Number.NaN;
  const range: [number, number] = samples.length > 0 ? [Math.min(...samples), Math.max(...samples)] : [Number.NaN, Number.NaN];
  return { bytesPerReading, range, readings: chunk * chunks, flagged, chunks: samples.length, dropped: chunks - samples.length };
}

/** Growth of the heap and of ArrayBuffer backing stores over `work`, or undefined when a GC ran during it. */
async function measuredChunk(gc: Gc, gcs: GcCounter, work: () => void): Promise<number | undefined> {
  gc();
  await settle();
  const seen = gcs.count;
  const before = process.memoryUsage();
  work();
  const after = process.memoryUsage();
  await settle();
  return gcs.count === seen ? after.heapUsed - before.heapUsed + (after.arrayBuffers - before.arrayBuffers) : undefined;
}
