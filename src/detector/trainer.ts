import { trainModel, type EngineName, type ModelContext } from '../core/model/index.js';
import type { ForestModel } from '../core/model/types.js';

export interface TrainerParams {
  engine: EngineName;
  trees: number;
  sampleSize: number;
  seed: number;
  /** MODEL_THRESHOLD: a fixed threshold wins over the contamination the detector asks for. */
  threshold?: number | undefined;
}

export interface TrainRequest {
  /** ModelInfo.version: 1 for a new model, one more for a retrain. */
  readonly version: number;
  readonly contamination: number;
  /** The feature names of the rows (see core/context/features.ts). */
  readonly features: readonly string[];
  readonly context?: ModelContext;
}

/** Grows a forest on feature rows; the detector picks the version, contamination, features and context. */
export type Trainer = (rows: readonly ArrayLike<number>[], request: TrainRequest) => ForestModel;

/** The Trainer the detector uses in production: the same forest settings as the global model. */
export function forestTrainer(params: TrainerParams): Trainer {
  return (rows, request) =>
    trainModel(rows, {
      engine: params.engine,
      trees: params.trees,
      // A warm-up or window smaller than ψ still trains: each tree takes every row.
      sampleSize: Math.min(params.sampleSize, rows.length),
      seed: params.seed,
      contamination: request.contamination,
      ...(params.threshold !== undefined ? { threshold: params.threshold } : {}),
      features: request.features,
      version: request.version,
      ...(request.context !== undefined ? { context: request.context } : {}),
    });
}
