import { rocAuc } from './auc.js';
import { scoreBatchCompiled } from '../../src/core/model/compiled-score.js';
import { fitForest } from '../../src/core/model/train.js';
import type { EngineName } from '../../src/core/model/types.js';
import { toMatrix } from '../../src/core/model/validate.js';

export interface EvalOptions {
  readonly engine: EngineName;
  readonly trees: number;
  readonly sampleSize: number;
  /** First seed; runs use seed, seed + 1, ... */
  readonly seed: number;
  readonly seeds: number;
  /** Called after each run with the runs done so far (progress). */
  readonly onRun?: (done: number) => void;
  /** Milliseconds clock; injectable for tests. */
  readonly clock?: () => number;
}

export interface EvalRun {
  readonly seed: number;
  readonly auc: number;
  readonly fitMs: number;
  readonly scoreMs: number;
}

export interface EvalResult {
  readonly runs: readonly EvalRun[];
  readonly aucMean: number;
  /** Sample standard deviation over seeds (0 for one seed). */
  readonly aucSd: number;
  /** Median fit time (grow + compile) over seeds; the median shrugs off the first, unoptimised run. */
  readonly fitMs: number;
  /** Median batch-scoring time per row over seeds, in microseconds. */
  readonly scoreUsPerRow: number;
}

/** The paper's protocol: fit on all rows (labels unseen), score all rows, AUC against the labels; once per seed. */
export function evaluate(rows: readonly ArrayLike<number>[], labels: ArrayLike<number>, options: EvalOptions): EvalResult {
  const { engine, trees, sampleSize, seed, seeds } = options;
  if (!Number.isInteger(seeds) || seeds < 1) throw new Error(`seeds must be a positive integer, got ${seeds}`);
  const clock = options.clock ?? (() => performance.now());
  const matrix = toMatrix(rows);
  const scores = new Float64Array(matrix.rows);
  const runs: EvalRun[] = [];
  for (let k = 0; k < seeds; k++) {
    const t0 = clock();
    const forest = fitForest(matrix, engine, { trees, sampleSize, seed: seed + k });
    const t1 = clock();
    scoreBatchCompiled(forest, matrix.data, matrix.rows, scores);
    const t2 = clock();
    runs.push({ seed: seed + k, auc: rocAuc(labels, scores), fitMs: t1 - t0, scoreMs: t2 - t1 });
    options.onRun?.(k + 1);
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    const mid = s.length >> 1;
    return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  };
  const aucs = runs.map((r) => r.auc);
  const aucMean = mean(aucs);
  const aucSd = seeds > 1 ? Math.sqrt(aucs.reduce((a, x) => a + (x - aucMean) ** 2, 0) / (seeds - 1)) : 0;
  return {
    runs,
    aucMean,
    aucSd,
    fitMs: median(runs.map((r) => r.fitMs)),
    scoreUsPerRow: (median(runs.map((r) => r.scoreMs)) * 1000) / matrix.rows,
  };
}

/** The harness's last output line, in the documented shape and key order. */
export function evalJsonLine(dataset: string, engine: EngineName, seeds: number, result: EvalResult): string {
  const round = (x: number, digits: number) => Number(x.toFixed(digits));
  const fields: [string, unknown][] = [
    ['dataset', dataset],
    ['engine', engine],
    ['auc_mean', round(result.aucMean, 4)],
    ['auc_sd', round(result.aucSd, 4)],
    ['seeds', seeds],
    ['fit_ms', round(result.fitMs, 2)],
    ['score_us_per_row', round(result.scoreUsPerRow, 3)],
  ];
  return `{${fields.map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(', ')}}`;
}
