/** Scoring and training speed, measured by the model's own benchmark (bench/scoring.ts, owned with src/model). */
import { benchScoring, type BenchScoringResult } from './scoring.js';

export interface ScoringPhaseResult {
  /** Readings/s, one model.score(row) at a time (the worker's path). */
  compiledPerSec: number;
  batchPerSec: number;
  uncompiledPerSec: number;
  mlPerSec: number;
  compiledVsUncompiled: number;
  compiledVsMl: number;
  uncompiledVsMl: number;
  /** 100 trees at ψ = 256: grow + compile (native), and trainModel end to end. */
  trainMs: number;
  trainModelMs: number;
  mlTrainMs: number;
  trees: number;
  sampleSize: number;
  repetitions: number;
}

export function measureScoring(quick: boolean): ScoringPhaseResult {
  const r: BenchScoringResult = benchScoring({
    trees: 100,
    sampleSize: 256,
    ...(quick ? { scoringRows: 20_000, repetitions: 1 } : { repetitions: 5 }),
  });
  return {
    compiledPerSec: r.compiledPerSec,
    batchPerSec: r.batchPerSec,
    uncompiledPerSec: r.uncompiledPerSec,
    mlPerSec: r.mlPerSec,
    compiledVsUncompiled: r.compiledPerSec / r.uncompiledPerSec,
    compiledVsMl: r.compiledPerSec / r.mlPerSec,
    uncompiledVsMl: r.uncompiledPerSec / r.mlPerSec,
    trainMs: r.trainMs,
    trainModelMs: r.trainModelMs,
    mlTrainMs: r.mlTrainMs,
    trees: r.options.trees,
    sampleSize: r.options.sampleSize,
    repetitions: r.options.repetitions,
  };
}
