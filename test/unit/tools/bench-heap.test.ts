/**
 * The bench's memory measurements (tools/bench/heap.ts) against detectors whose
 * cost is known: they must see what is allocated or held, and see nothing when
 * nothing is. Jest runs without --expose-gc, so gc is exposed here the way V8 allows.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Reading } from '../../../src/core/reading.js';
import type { Processed } from '../../../src/detector/types.js';
import type { ContextStream } from '../../../tools/bench/context-stream.js';
import { allocationPerReading, memoryPerDevice, type Gc } from '../../../tools/bench/heap.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as Gc;

function stream(devices: number, readingsPerDevice: number): ContextStream {
  const count = devices * readingsPerDevice;
  const reading: Reading = { input: {}, values: new Float64Array(3), timestampMs: 0 };
  return {
    devices: Array.from({ length: count }, (_, i) => `line1/d${i % devices}`),
    readings: Array.from({ length: count }, () => reading),
    times: Float64Array.from({ length: count }, (_, i) => Math.floor(i / devices) * 1000),
    injected: 0,
    silent: 0,
  };
}

const rejected: Processed = { kind: 'rejected', code: 'model_not_ready', reason: 'fixed' };
const input = stream(10, 200);

describe('bench memory measurements', () => {
  it('when the detector allocates nothing per reading, then at most the caller\'s boxed arrival time is measured', async () => {
    // Long chunks, so a constant cost of the measurement itself (a closure, its first call) spreads thin.
    const allocation = await allocationPerReading(gc, { process: () => rejected }, input, 0, 400, 5);
    expect(allocation.chunks).toBeGreaterThan(0);
    // A double passed to a call may be boxed: 16 bytes. The smallest object anything could allocate is as big again.
    expect(allocation.bytesPerReading).toBeLessThan(24);
  });

  it('when the detector allocates one small object per reading, then it shows above the boxing', async () => {
    const keep: unknown[] = [];
    const allocation = await allocationPerReading(gc, { process: () => ((keep[0] = { a: 1, b: 2, c: 3 }), rejected) }, input, 0, 400, 5);
    expect(allocation.bytesPerReading).toBeGreaterThanOrEqual(40);
    expect(allocation.bytesPerReading).toBeLessThan(100);
  });

  it('when each reading allocates an 8,000-byte buffer and a 1,000-element array, then both are counted', async () => {
    const keep: unknown[] = [];
    const allocating = {
      process: (): Processed => {
        keep[0] = new Float64Array(1000); // backing store outside the V8 heap (arrayBuffers)
        keep[1] = new Array<number>(1000).fill(1); // on the heap
        return rejected;
      },
    };
    const allocation = await allocationPerReading(gc, allocating, input, 0, 20, 5);
    expect(allocation.chunks).toBeGreaterThan(0);
    expect(allocation.bytesPerReading).toBeGreaterThan(12_000);
    expect(allocation.bytesPerReading).toBeLessThan(20_000);
  });

  it('when the detector keeps an 800-byte typed array per device, then memory per device counts it among the buffers', async () => {
    const held = new Map<string, Float64Array>();
    const detector = {
      process: (device: string): Processed => {
        if (!held.has(device)) held.set(device, new Float64Array(100));
        return rejected;
      },
      stats: () => ({ devices: held.size }),
    };
    const memory = await memoryPerDevice(gc, detector, input, 2000, 3);
    expect(memory.arrayBuffers).toBeGreaterThanOrEqual(780);
    expect(memory.arrayBuffers).toBeLessThan(1000);
    expect(memory.total).toBe(memory.heapUsed + memory.arrayBuffers);
    expect(memory.heapUsed).toBeGreaterThan(0); // the map slot, the key and the typed array object
  });

  it('when the detector holds fewer devices than were sent (an LRU too small), then the measurement refuses', async () => {
    const detector = { process: () => rejected, stats: () => ({ devices: 10 }) };
    await expect(memoryPerDevice(gc, detector, input, 50, 2)).rejects.toThrow(/MODEL_MAX_DEVICES/);
  });
});
