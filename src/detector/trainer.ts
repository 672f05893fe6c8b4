import { trainModel, type EngineName } from '../core/model/index.js';
import type { Trainer } from './types.js';

export interface TrainerParams {
  engine: EngineName;
  trees: number;
  sampleSize: number;
  seed: number;
  /** MODEL_THRESHOLD: a fixed threshold wins over the contamination the detector asks for. */
  threshold?: number | undefined;
  features: readonly string[];
}

/** The Trainer the detector uses in production: the same forest settings as the global model. */
export function forestTrainer(params: TrainerParams): Trainer {
  return (rows, { version, contamination }) =>
    trainModel(rows, {
      engine: params.engine,
      trees: params.trees,
      // A warm-up or window smaller than ψ still trains: each tree takes every row.
      sampleSize: Math.min(params.sampleSize, rows.length),
      seed: params.seed,
      contamination,
      ...(params.threshold !== undefined ? { threshold: params.threshold } : {}),
      features: params.features,
      version,
    });
}
