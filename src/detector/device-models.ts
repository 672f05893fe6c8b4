import type { ForestModel } from '../core/model/index.js';
import type { Adaptation } from './adaptation.js';
import { createLru } from './lru.js';
import type { ModelStore } from './model-store.js';
import { createWarmup, type Warmup } from './warmup.js';

export type DeviceEntry =
  | { readonly kind: 'warming'; readonly warmup: Warmup }
  | { readonly kind: 'ready'; model: ForestModel; readonly adaptation: Adaptation | undefined };
export type ReadyEntry = Extract<DeviceEntry, { kind: 'ready' }>;

export interface DeviceModelsOptions {
  /** Entries held, warm-ups included: both cost memory (a model about 0.5 MB at 100 trees). */
  maxDevices: number;
  warmup: number;
  dims: number;
  store?: ModelStore | undefined;
  /** Wraps a model loaded from the store (a fresh adaptation window, when drift adaptation is on). */
  readyEntry(model: ForestModel): ReadyEntry;
}

export interface DeviceModels {
  /** The device's entry, now the most recently used: held, restored from the store, or a new warm-up. */
  use(device: string): DeviceEntry;
  /** The entry without touching recency or the store. */
  peek(device: string): DeviceEntry | undefined;
  /** Replaces a device's entry (its warm-up ended). */
  set(device: string, entry: DeviceEntry): void;
  entries(): IterableIterator<[string, DeviceEntry]>;
  counts(): DeviceCounts;
}

export interface DeviceCounts {
  modelsHeld: number;
  warmingUp: number;
  evictions: number;
  restored: number;
}

export function createDeviceModels(options: DeviceModelsOptions): DeviceModels {
  let evictions = 0;
  let restored = 0;
  const lru = createLru<DeviceEntry>(options.maxDevices, (device, entry) => {
    evictions += 1;
    // A half-done warm-up is not worth a file: the device warms up again if it comes back.
    if (entry.kind === 'ready') options.store?.save(device, entry.model);
  });

  const create = (device: string): DeviceEntry => {
    const saved = options.store?.load(device);
    if (saved !== undefined) {
      restored += 1;
      return options.readyEntry(saved);
    }
    return { kind: 'warming', warmup: createWarmup(options.warmup, options.dims) };
  };

  return {
    use: (device) => lru.get(device) ?? lru.set(device, create(device)),
    peek: (device) => lru.peek(device),
    set: (device, entry) => void lru.set(device, entry),
    entries: () => lru.entries(),
    counts() {
      let modelsHeld = 0;
      for (const [, entry] of lru.entries()) if (entry.kind === 'ready') modelsHeld += 1;
      return { modelsHeld, warmingUp: lru.size - modelsHeld, evictions, restored };
    },
  };
}
