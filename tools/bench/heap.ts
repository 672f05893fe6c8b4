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

/** After full collections (two: what the first finalises, the second frees). */
function collected(gc: Gc): { heapUsed: number; arrayBuffers: number } {
  gc();
  gc();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return { heapUsed, arrayBuffers };
}

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
export function memoryPerDevice(gc: Gc, detector: Pick<Detector, 'process'> & { stats(): { devices: number } }, stream: ContextStream, devices: number, readingsEach: number): DeviceMemory {
  const sourceDevices = new Set(stream.devices).size;
  const ids = Array.from({ length: devices }, (_, i) => `heap/device-${i}`);
  if (readingsEach * sourceDevices > stream.readings.length) throw new Error('the stream is too short for that many readings per device');
  const before = collected(gc);
  for (let i = 0; i < devices; i++) {
    // Device i replays source device (i mod n): its own readings, in time order.
    for (let k = 0, at = i % sourceDevices; k < readingsEach; k++, at += sourceDevices) detector.process(ids[i]!, stream.readings[at]!, stream.times[at]!);
  }
  const after = collected(gc);
  const held = detector.stats().devices;
  if (held !== devices) throw new Error(`the detector holds ${held} devices, not ${devices}: raise its MODEL_MAX_DEVICES`);
  const heapUsed = (after.heapUsed - before.heapUsed) / devices;
  const arrayBuffers = (after.arrayBuffers - before.arrayBuffers) / devices;
  return { heapUsed, arrayBuffers, total: heapUsed + arrayBuffers };
}

export interface Allocation {
  /** Median bytes allocated per reading by the detector, over the chunks that ran without a GC. */
  bytesPerReading: number;
  /** What the measuring loop itself allocates per reading (e.g. boxing the arrival time for the call), subtracted above. */
  harnessBytesPerReading: number;
  /** Readings measured, and how many of them the detector flagged (an anomaly's result carries its explanation). */
  readings: number;
  flagged: number;
  /** Chunks measured, and chunks dropped because a GC ran during them. */
  chunks: number;
  dropped: number;
}

type Scorer = Pick<Detector, 'process'>;
const REJECTED = { kind: 'rejected', code: 'model_not_ready', reason: 'does nothing' } as const;
/** Does nothing: the same loop through it measures the loop's own cost. */
const IDLE: Scorer = { process: () => REJECTED };

/**
 * Memory allocated per reading scored for devices the detector already holds: after a full GC,
 * heapUsed + arrayBuffers before and after `chunk` readings, kept only when no GC ran in between
 * (then the growth is what was allocated), less what the same loop allocates around a detector
 * that does nothing. A hot path that allocates nothing per reading shows ~0.
 */
export async function allocationPerReading(gc: Gc, detector: Scorer, stream: ContextStream, from: number, chunk: number, chunks: number): Promise<Allocation> {
  if (from + chunk * chunks > stream.readings.length) throw new Error('the stream is too short for these chunks');
  const gcs = countGcs();
  try {
    const harness = await chunkedGrowth(gc, gcs, IDLE, stream, from, chunk, chunks);
    const measured = await chunkedGrowth(gc, gcs, detector, stream, from, chunk, chunks);
    const harnessBytesPerReading = harness.samples.length > 0 ? median(harness.samples) : Number.NaN;
    const bytesPerReading = measured.samples.length > 0 ? Math.max(0, median(measured.samples) - harnessBytesPerReading) : Number.NaN;
    return { bytesPerReading, harnessBytesPerReading, readings: chunk * chunks, flagged: measured.flagged, chunks: measured.samples.length, dropped: chunks - measured.samples.length };
  } finally {
    gcs.stop();
  }
}

/** Bytes per reading of each chunk that ran without a GC, and the readings flagged. */
async function chunkedGrowth(gc: Gc, gcs: GcCounter, scorer: Scorer, stream: ContextStream, from: number, chunk: number, chunks: number): Promise<{ samples: number[]; flagged: number }> {
  const samples: number[] = [];
  let flagged = 0;
  for (let c = 0; c < chunks; c++) {
    const start = from + c * chunk;
    const grown = await measuredChunk(gc, gcs, () => (flagged += run(scorer, stream, start, start + chunk)));
    if (grown !== undefined) samples.push(grown / chunk);
  }
  return { samples, flagged };
}

/** Readings [start, end) through `scorer`; returns how many it flagged. One loop for the detector and the idle scorer. */
function run(scorer: Scorer, stream: ContextStream, start: number, end: number): number {
  let flagged = 0;
  for (let i = start; i < end; i++) {
    const processed = scorer.process(stream.devices[i]!, stream.readings[i]!, stream.times[i]!);
    if (processed.kind === 'scored' && processed.result.prediction.is_anomaly) flagged += 1;
  }
  return flagged;
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
