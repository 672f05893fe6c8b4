import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../support/logger.js';
import type { ForestModel } from '../../core/model/index.js';
import type { ModelStore, ModelStoreStats } from '../../detector/model-store.js';

export type { ModelStore, ModelStoreStats };
import { parseModel, saveModel } from './model-files.js';

/**
 * MODEL_DIR: where evicted device models go, to be loaded again when the
 * device comes back instead of warming up anew. Saves are asynchronous
 * (atomic, via saveModel) and chained per device so the last one wins; until
 * a save is on disk, load() answers from memory. Loading is synchronous,
 * because the worker scores each message synchronously; parsing a model costs
 * about as much as training one, so it happens only on an LRU miss.
 */
export interface ModelStoreOptions {
  dir: string;
  /** Why a saved model cannot be used (its features do not fit the configured sensors), or undefined. */
  misfit(model: ForestModel): string | undefined;
  logger: Logger;
}

/** Readable and collision-free: a sanitised prefix for people, a hash of the exact id for uniqueness. */
export function modelFileName(device: string): string {
  const readable = device.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 64);
  const hash = createHash('sha256').update(device).digest('hex').slice(0, 16);
  return `${readable}-${hash}.model.json`;
}

export function createModelStore(options: ModelStoreOptions): ModelStore {
  const log = options.logger.child({ component: 'detector', store: options.dir });
  const pending = new Map<string, ForestModel>();
  const writes = new Map<string, Promise<void>>();
  const stats: ModelStoreStats = { saved: 0, saveErrors: 0, loadErrors: 0 };
  const pathOf = (device: string) => join(options.dir, modelFileName(device));

  const readFromDisk = (device: string): ForestModel | undefined => {
    const path = pathOf(device);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      return failed(device, path, err);
    }
    try {
      const model = parseModel(text, path);
      const problem = options.misfit(model);
      if (problem !== undefined) throw new Error(`${path}: features ${model.info.features.join(',')}: ${problem}`);
      return model;
    } catch (err) {
      return failed(device, path, err);
    }
  };

  const failed = (device: string, path: string, err: unknown): undefined => {
    stats.loadErrors += 1;
    log.warn({ device, path, err: (err as Error).message }, 'saved device model unusable; the device warms up again');
    return undefined;
  };

  return {
    load: (device) => pending.get(device) ?? readFromDisk(device),
    save(device, model) {
      pending.set(device, model);
      const path = pathOf(device);
      const write = (writes.get(device) ?? Promise.resolve())
        .then(() => saveModel(model, path))
        .then(
          () => void (stats.saved += 1),
          (err: unknown) => {
            stats.saveErrors += 1;
            log.error({ device, path, err: (err as Error).message }, 'cannot save device model');
          },
        )
        .finally(() => {
          if (pending.get(device) === model) pending.delete(device);
          if (writes.get(device) === write) writes.delete(device);
        });
      writes.set(device, write);
    },
    idle: async () => {
      while (writes.size > 0) await Promise.all(writes.values());
    },
    stats: () => ({ ...stats }),
  };
}
