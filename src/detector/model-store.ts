import type { ForestModel } from '../core/model/index.js';

/**
 * Where evicted device models go and come back from (MODEL_DIR). The detector owns
 * when to save and load; the adapter (src/adapters/files/model-store.ts) owns how.
 */
export interface ModelStore {
  /** The device's saved model; undefined when there is none or it is unusable (logged, counted). */
  load(device: string): ForestModel | undefined;
  save(device: string, model: ForestModel): void;
  /** Resolves once every save started so far has finished (failures are logged and counted). */
  idle(): Promise<void>;
  stats(): ModelStoreStats;
}

export interface ModelStoreStats {
  saved: number;
  saveErrors: number;
  loadErrors: number;
}
