/**
 * Issue 11: device state that moves between workers. With several workers a
 * device's readings may reach a worker that has never seen it (a rebalance, a
 * restarted or failed worker); its state then comes from a shared store
 * (Redis, src/adapters/redis/) instead of being learnt again: the device's own
 * model and its time context (core/context/state.ts, toSnapshot/fromSnapshot).
 *
 * The detector scores synchronously, so the shared store is read ahead: before
 * the synchronous scoring of a reading whose device the detector does not hold,
 * the worker awaits `prefetch(device)`. mqtt.js hands over the next message
 * only after the current one is done, so the wait reorders nothing; a held
 * device (the common path) costs one map lookup and no promise.
 */
import { fromModelFile, toModelFile, type ModelFile } from '../core/model/model-file.js';
import type { ForestModel } from '../core/model/index.js';
import type { AnomalyModel } from '../core/model/types.js';
import type { Logger } from '../support/logger.js';
import type { ModelStoreStats } from './model-store.js';

/** What is kept of one device, as stored: its model file, and its time context with the id of the model it was for. */
export interface DeviceSnapshot {
  version: 1;
  model?: ModelFile;
  state?: { context: unknown; contextModel: string };
}

export interface DeviceStateStats extends ModelStoreStats {
  loaded: number;
  /** Loads that found nothing (a device never saved). */
  missing: number;
}

/** The shared store: asynchronous, remote. */
export interface DeviceStateStore {
  /** The device's last saved snapshot; undefined when there is none, or it cannot be read (logged, counted). */
  load(device: string): Promise<DeviceSnapshot | undefined>;
  /** Starts saving; failures are logged and counted, never thrown. Saves of one device land in call order. */
  save(device: string, snapshot: DeviceSnapshot): void;
  /** Resolves once every save started so far has finished. */
  idle(): Promise<void>;
  stats(): DeviceStateStats;
  /** Closes the connection after idle(). */
  close(): Promise<void>;
}

/** One device's state as the detector holds it. */
export interface MovedDevice {
  model?: ForestModel | undefined;
  /** The time context (toSnapshot's plain data) and the id of the model it was primed for. */
  context?: { state: unknown; model: string } | undefined;
}

/** The detector's synchronous face of the shared store. */
export interface SharedDeviceState {
  /** The state `prefetch` read for the device, once; undefined when there is none. */
  take(device: string): MovedDevice | undefined;
  put(device: string, moved: MovedDevice): void;
  idle(): Promise<void>;
  stats(): ModelStoreStats;
}

export interface PrefetchingStore {
  readonly shared: SharedDeviceState;
  /** Reads the device's snapshot from the shared store, for the detector's next synchronous `take` of it. */
  prefetch(device: string): Promise<void>;
}

export interface PrefetchingOptions {
  /** Why a model does not fit the configured sensors, or undefined (a snapshot of another schema is ignored). */
  misfit(model: AnomalyModel): string | undefined;
  logger: Logger;
  now?: () => Date;
}

/** Bridges the shared store to the detector: `prefetch` fills a one-shot slot that `take` empties. */
export function createPrefetchingStore(remote: DeviceStateStore, options: PrefetchingOptions): PrefetchingStore {
  const log = options.logger.child({ component: 'device-state' });
  const fetched = new Map<string, DeviceSnapshot | undefined>();
  let unusable = 0;

  const decode = (device: string, snapshot: DeviceSnapshot): MovedDevice => {
    const context = snapshot.state === undefined ? undefined : { state: snapshot.state.context, model: snapshot.state.contextModel };
    if (snapshot.model === undefined) return { context };
    try {
      const model = fromModelFile(snapshot.model, `device state of ${device}`);
      const problem = options.misfit(model);
      if (problem !== undefined) throw new Error(problem);
      return { model, context };
    } catch (err) {
      unusable += 1;
      log.warn({ device, err: (err as Error).message }, 'saved device model unusable; the device warms up again');
      return {};
    }
  };

  const shared: SharedDeviceState = {
    take(device) {
      const snapshot = fetched.get(device);
      fetched.delete(device);
      return snapshot === undefined ? undefined : decode(device, snapshot);
    },
    put(device, moved) {
      const createdAt = (options.now ?? (() => new Date()))();
      remote.save(device, {
        version: 1,
        ...(moved.model !== undefined ? { model: toModelFile(moved.model, createdAt) } : {}),
        ...(moved.context !== undefined ? { state: { context: moved.context.state, contextModel: moved.context.model } } : {}),
      });
    },
    idle: () => remote.idle(),
    stats() {
      const s = remote.stats();
      return { saved: s.saved, saveErrors: s.saveErrors, loadErrors: s.loadErrors + unusable };
    },
  };
  return {
    shared,
    async prefetch(device) {
      fetched.set(device, await remote.load(device));
    },
  };
}
