import type { CompiledForest } from './compiled-forest.js';
import { scoreBatchCompiled, scoreCompiled } from './compiled-score.js';
import { explainRow } from './explain.js';
import type { FeatureStats, ForestModel, ModelContext, ModelInfo } from './types.js';
import { checkBatch, readRow } from './validate.js';

export interface ModelParts {
  readonly info: ModelInfo;
  readonly compiled: CompiledForest;
  readonly stats: readonly FeatureStats[];
  readonly threshold: number;
  readonly contamination: number | undefined;
  readonly context?: ModelContext | undefined;
}

/**
 * Wraps a compiled forest as the AnomalyModel the worker uses. Training and
 * loading both end here, so a loaded model behaves exactly like the trained one.
 */
export function createForestModel(parts: ModelParts): ForestModel {
  const { info, compiled, stats, threshold, contamination, context } = parts;
  const features = info.features;
  if (features.length !== compiled.dims || stats.length !== compiled.dims) {
    throw new Error(`model has ${compiled.dims} dimensions but ${features.length} features and ${stats.length} stats`);
  }
  // One scratch row, reused: score() allocates nothing.
  const scratch = new Float64Array(compiled.dims);
  const score = (x: Float64Array): number => scoreCompiled(compiled, x);
  return Object.freeze({
    info: Object.freeze({ ...info, features: Object.freeze([...features]) }),
    threshold,
    stats: Object.freeze(stats.map((s) => Object.freeze({ ...s }))),
    compiled,
    contamination,
    context: context === undefined ? undefined : freezeContext(context),
    score: (row: ArrayLike<number>) => score(readRow(row, scratch, features)),
    scoreBatch: (rows: Float64Array, n: number, out: Float64Array) => {
      checkBatch(rows, n, compiled.dims, out);
      return scoreBatchCompiled(compiled, rows, n, out);
    },
    explain: (row: ArrayLike<number>) => explainRow(score, readRow(row, new Float64Array(compiled.dims), features), stats, features),
  });
}

function freezeContext(context: ModelContext): ModelContext {
  return Object.freeze({
    sensors: Object.freeze([...context.sensors]),
    profile: Object.freeze(context.profile.map((p) => Object.freeze({ ...p, ...(p.season ? { season: Object.freeze({ ...p.season }) } : {}) }))),
    seed: context.seed === undefined ? undefined : Object.freeze({ ...context.seed }),
    pairs: context.pairs === undefined ? undefined : Object.freeze(context.pairs.map((p) => Object.freeze({ ...p }))),
  });
}
