import type { AnomalyModel, FeatureStats, ModelInfo } from '../../src/core/model/types.js';

/**
 * A deterministic stand-in for the Isolation Forest: the score is the largest
 * |z| over the features divided by 5 (capped at 1), so the default threshold
 * 0.6 flags any sensor more than 3 sd from its mean. explain() gives |z| shares.
 */
export interface TestModelOptions {
  /** Per feature, in FEATURES order; defaults match the simulator baselines. */
  means?: readonly number[];
  sds?: readonly number[];
  threshold?: number;
  info?: Partial<ModelInfo>;
}

export const TEST_FEATURES = ['temperature', 'humidity', 'sound'] as const;

export function createTestModel(options: TestModelOptions = {}): AnomalyModel {
  const means = options.means ?? [25, 50, 60];
  const sds = options.sds ?? [1, 2, 2];
  const stats: FeatureStats[] = means.map((mean, i) => {
    const sd = sds[i] ?? 1;
    return { mean, sd, min: mean - 3 * sd, max: mean + 3 * sd, median: mean };
  });
  const zOf = (row: ArrayLike<number>, i: number) => ((row[i] ?? 0) - stats[i]!.mean) / stats[i]!.sd;

  const info: ModelInfo = {
    id: 'test-model',
    version: 1,
    engine: 'native',
    trees: 0,
    sampleSize: 0,
    seed: 0,
    features: TEST_FEATURES,
    trainingSize: 0,
    trainedAt: '2024-01-01T00:00:00.000Z',
    ...options.info,
  };

  return {
    info,
    threshold: options.threshold ?? 0.6,
    stats,
    score(row) {
      let max = 0;
      for (let i = 0; i < stats.length; i++) max = Math.max(max, Math.abs(zOf(row, i)));
      return Math.min(1, max / 5);
    },
    explain(row) {
      const zScores: Record<string, number> = {};
      const contributions: Record<string, number> = {};
      let total = 0;
      for (let i = 0; i < stats.length; i++) total += Math.abs(zOf(row, i));
      TEST_FEATURES.forEach((name, i) => {
        zScores[name] = zOf(row, i);
        contributions[name] = total === 0 ? 1 / stats.length : Math.abs(zOf(row, i)) / total;
      });
      return { contributions, zScores };
    },
  };
}
