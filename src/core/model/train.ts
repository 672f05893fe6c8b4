import { compileForest, type CompiledForest } from './compiled-forest.js';
import { scoreBatchCompiled } from './compiled-score.js';
import { trainMlForest } from './ml-engine.js';
import { createForestModel } from './model.js';
import { modelId } from './model-id.js';
import { trainNativeForest } from './native-forest.js';
import { featureStats } from './stats.js';
import { chooseThreshold } from './threshold.js';
import type { EngineName, ForestModel, ModelContext } from './types.js';
import { toMatrix, type ForestParams, type Matrix } from './validate.js';

export const ENGINES: readonly EngineName[] = ['native', 'ml-isolation-forest'];

export interface TrainOptions extends ForestParams {
  readonly engine: EngineName;
  /** Share of training rows expected to be anomalies; sets the threshold as the (1 - c) quantile of their scores. */
  readonly contamination: number;
  /** Fixed threshold; overrides contamination. */
  readonly threshold?: number;
  /** Names of the row's columns, in order. */
  readonly features: readonly string[];
  /** ModelInfo.version; default 1. */
  readonly version?: number;
  /** Clock for info.trainedAt; default now. */
  readonly now?: () => Date;
  /** The sensor profile and likelihood seed to keep with the model (time context). */
  readonly context?: ModelContext;
}

/** Grows and compiles a forest with the chosen engine. */
export function fitForest(matrix: Matrix, engine: EngineName, params: ForestParams): CompiledForest {
  if (engine === 'native') return compileForest(trainNativeForest(matrix, params));
  if (engine === 'ml-isolation-forest') return compileForest(trainMlForest(matrix, params));
  throw new Error(`unknown engine ${JSON.stringify(engine)} (expected ${ENGINES.join(' or ')})`);
}

/** Trains a model: validates the rows, fits, calibrates the threshold on the training scores, records stats. */
export function trainModel(rows: readonly ArrayLike<number>[], options: TrainOptions): ForestModel {
  const { engine, trees, sampleSize, seed, contamination, threshold: fixed, features } = options;
  if (features.length === 0) throw new Error('features: at least one feature name is needed');
  if (new Set(features).size !== features.length) throw new Error(`features: names must be unique, got ${features.join(', ')}`);
  const version = options.version ?? 1;
  if (!Number.isInteger(version) || version < 1) throw new Error(`version must be a positive integer, got ${version}`);
  const matrix = toMatrix(rows, features);
  const compiled = fitForest(matrix, engine, { trees, sampleSize, seed });
  const scores = scoreBatchCompiled(compiled, matrix.data, matrix.rows, new Float64Array(matrix.rows));
  const choice = chooseThreshold(scores, contamination, fixed);
  return createForestModel({
    info: {
      id: modelId(engine, { trees, sampleSize, seed }, features, matrix),
      version,
      engine,
      trees,
      sampleSize,
      seed,
      features: [...features],
      trainingSize: matrix.rows,
      trainedAt: (options.now ?? (() => new Date()))().toISOString(),
    },
    compiled,
    stats: featureStats(matrix),
    threshold: choice.threshold,
    contamination: choice.contamination,
    context: options.context,
  });
}
