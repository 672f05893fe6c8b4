/**
 * Issue 9's speed target, on the detector alone: the same stream through the
 * detector `npm start` builds, with TIME_CONTEXT on and off (each with the
 * model trained under that setting), in alternating repetitions; then what a
 * device's state costs in memory and what a reading allocates.
 */
import type { Detector } from '../../src/detector/index.js';
import { benchDetector, type BenchSetup } from './bench-model.js';
import { contextStream, type ContextStream } from './context-stream.js';
import { allocationPerReading, countGcs, exposedGc, memoryPerDevice, settle, type Allocation, type DeviceMemory } from './heap.js';
import { median, round } from './stats.js';

export interface ContextModeResult {
  /** Readings/s: median over the repetitions. */
  perSec: number;
  runs: number[];
  /** Of one pass over the stream (the same in every repetition). */
  anomalies: number;
  incidentsOpened: number;
  /** GCs during a pass (median): what the stream's allocation costs at full speed. */
  gcsPerPass: number;
  /** Bytes of a device's time-context typed arrays (the detector's stats). */
  stateBytesPerDevice: number;
  /** Measured per device held: V8 heap, ArrayBuffer backing stores, both (see heap.ts); absent without gc. */
  measuredBytesPerDevice?: DeviceMemory;
  /** Heap allocated per healthy reading of a device already held (the hot path), measured between GCs; absent without gc. */
  allocation?: Allocation;
}

export interface ContextPhaseResult {
  devices: number;
  readingsPerDevice: number;
  readings: number;
  /** Readings the simulator injected as anomalous, and device-seconds left empty by dropouts. */
  injected: number;
  silent: number;
  repetitions: number;
  on: ContextModeResult;
  off: ContextModeResult;
  /** on.perSec / off.perSec. */
  onVsOff: number;
  /** How the memory figures were taken, or why they were not. */
  memory: { devices: number; readingsEach: number; allocationChunk: number; allocationStream: string } | { skipped: string };
}

interface Size {
  devices: number;
  readingsPerDevice: number;
  repetitions: number;
  heapDevices: number;
  chunk: number;
  chunks: number;
}

const FULL: Size = { devices: 100, readingsPerDevice: 2000, repetitions: 4, heapDevices: 10_000, chunk: 1000, chunks: 8 };
const QUICK: Size = { devices: 20, readingsPerDevice: 500, repetitions: 1, heapDevices: 5000, chunk: 500, chunks: 3 };
/** Readings each device of the heap measurement sends. */
const HEAP_READINGS_EACH = 5;
/** Readings each device sends before allocation is measured (its state is made, its baseline settled). */
const KNOWN_READINGS = 50;
const JIT_SETTLE_MS = 200;

export async function measureContext(on: BenchSetup, off: BenchSetup, quick: boolean): Promise<ContextPhaseResult> {
  const size = quick ? QUICK : FULL;
  const setups = { on, off };
  const stream = contextStream(on.config, { devices: size.devices, readingsPerDevice: size.readingsPerDevice, seed: 11 });
  const passes = await alternatingPasses(setups, stream, size.repetitions);
  const gc = exposedGc();
  const report: ContextPhaseResult = {
    devices: size.devices,
    readingsPerDevice: size.readingsPerDevice,
    readings: stream.readings.length,
    injected: stream.injected,
    silent: stream.silent,
    repetitions: size.repetitions,
    on: modeResult(passes.on),
    off: modeResult(passes.off),
    onVsOff: 0,
    memory:
      gc === undefined
        ? { skipped: 'gc is not exposed (run through `npm run -s bench`, which passes --expose-gc)' }
        : { devices: size.heapDevices, readingsEach: HEAP_READINGS_EACH, allocationChunk: size.chunk, allocationStream: `healthy, ${size.devices} devices held` },
  };
  report.onVsOff = round(report.on.perSec / report.off.perSec, 3);
  if (gc === undefined) return report;
  // The hot path: healthy readings of devices the detector already holds (an anomaly's result carries its explanation).
  const known = KNOWN_READINGS * size.devices;
  const healthy = contextStream(on.config, { devices: size.devices, readingsPerDevice: KNOWN_READINGS + Math.ceil((size.chunk * size.chunks) / size.devices), seed: 12, anomalyRate: 0 });
  // Allocation first, while the detector's code is hot from the passes above; then 10,000 new devices.
  for (const mode of ['on', 'off'] as const) {
    const detector = benchDetector(setups[mode]);
    pass(detector, healthy, known);
    // Optimised code is compiled on a background thread: on a busy machine it can come late.
    await new Promise((resolve) => setTimeout(resolve, JIT_SETTLE_MS));
    const allocation = await allocationPerReading(gc, detector, healthy, known, size.chunk, size.chunks);
    report[mode].allocation = { ...allocation, bytesPerReading: round(allocation.bytesPerReading, 1), range: [round(allocation.range[0], 1), round(allocation.range[1], 1)] };
  }
  for (const mode of ['on', 'off'] as const) {
    const memory = await memoryPerDevice(gc, benchDetector(setups[mode], size.heapDevices), healthy, size.heapDevices, HEAP_READINGS_EACH);
    report[mode].measuredBytesPerDevice = { heapUsed: round(memory.heapUsed, 0), arrayBuffers: round(memory.arrayBuffers, 0), total: round(memory.total, 0) };
  }
  return report;
}

/** Each repetition: the whole stream through a fresh detector of each mode, the order alternating (on-off, off-on, ...). */
async function alternatingPasses(setups: Record<'on' | 'off', BenchSetup>, stream: ContextStream, repetitions: number): Promise<Record<'on' | 'off', Pass[]>> {
  // Warm the JIT on both paths first, so the first timed repetition pays for neither.
  for (const setup of [setups.on, setups.off]) pass(benchDetector(setup), stream, Math.min(stream.readings.length, 20_000));
  const passes: Record<'on' | 'off', Pass[]> = { on: [], off: [] };
  for (let r = 0; r < repetitions; r++) {
    // Neither mode always runs first, on a warmer or a quieter machine.
    for (const mode of r % 2 === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const)) passes[mode].push(await timedPass(benchDetector(setups[mode]), stream));
  }
  return passes;
}

function modeResult(runs: readonly Pass[]): ContextModeResult {
  const last = runs[runs.length - 1]!;
  return {
    perSec: round(median(runs.map((p) => p.perSec)), 0),
    runs: runs.map((p) => round(p.perSec, 0)),
    anomalies: last.anomalies,
    incidentsOpened: last.stats.incidentsOpened,
    gcsPerPass: median(runs.map((p) => p.gcs)),
    stateBytesPerDevice: last.stats.stateBytesPerDevice,
  };
}

interface Pass {
  perSec: number;
  anomalies: number;
  gcs: number;
  stats: ReturnType<Detector['stats']>;
}

/** The first `count` readings through `detector`; returns the readings flagged. */
function pass(detector: Detector, stream: ContextStream, count: number): number {
  const { devices, readings, times } = stream;
  let anomalies = 0;
  for (let i = 0; i < count; i++) {
    const processed = detector.process(devices[i]!, readings[i]!, times[i]!);
    if (processed.kind === 'scored' && processed.result.prediction.is_anomaly) anomalies += 1;
  }
  return anomalies;
}

async function timedPass(detector: Detector, stream: ContextStream): Promise<Pass> {
  const gcs = countGcs();
  try {
    const began = performance.now();
    const anomalies = pass(detector, stream, stream.readings.length);
    const seconds = (performance.now() - began) / 1000;
    await settle();
    return { perSec: stream.readings.length / seconds, anomalies, gcs: gcs.count, stats: detector.stats() };
  } finally {
    gcs.stop();
  }
}
