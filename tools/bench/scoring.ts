/**
 * Scoring and training speed of the detection engine, for the main benchmark
 * (bench/main.ts). Quick check:
 *   npx tsx -e "import('./bench/scoring.ts').then((m) => console.log(m.benchScoring()))"
 * Every figure is the median over `repetitions` timed runs after a warm-up.
 */
import { IsolationForest } from 'ml-isolation-forest';
import { createRandom } from '../../src/support/random.js';
import {
  fitForest,
  scoreObjectForest,
  toMatrix,
  trainModel,
  trainNativeForest,
  withSeededMathRandom,
  type ForestModel,
} from '../../src/core/model/index.js';

export interface BenchScoringOptions {
  /** Default 100. */
  readonly trees?: number;
  /** ψ, default 256. */
  readonly sampleSize?: number;
  /** Features per row, default 3 (temperature, humidity, sound). */
  readonly features?: number;
  /** Training rows, default 5000 (MODEL_TRAINING_SIZE). */
  readonly trainingRows?: number;
  /** Rows scored per compiled run, default 200000; the slower scorers get a fraction. */
  readonly scoringRows?: number;
  /** Timed runs per figure, default 5. */
  readonly repetitions?: number;
  readonly seed?: number;
}

export interface BenchScoringResult {
  /** model.score(row), one reading at a time (checks included): the worker's path. */
  readonly compiledPerSec: number;
  /** model.scoreBatch over a flat array. */
  readonly batchPerSec: number;
  /** The object-tree scorer the compiled one is checked against. */
  readonly uncompiledPerSec: number;
  /** ml-isolation-forest's own predict() (one instance, trees grown on a ψ-row sample). */
  readonly mlPerSec: number;
  /** Our compiled scorer on the ml-isolation-forest engine's trees (one level deeper). */
  readonly mlCompiledPerSec: number;
  /** compiledPerSec / uncompiledPerSec. */
  readonly compiledSpeedup: number;
  /** Grow + compile of the native forest. */
  readonly trainMs: number;
  /** Grow + compile with the ml-isolation-forest engine. */
  readonly mlTrainMs: number;
  /** trainModel end to end: validation, fit, threshold calibration on the training rows, stats. */
  readonly trainModelMs: number;
  readonly options: Required<BenchScoringOptions>;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Median milliseconds of fn over the repetitions, after one untimed warm-up. */
function timeMs(repetitions: number, fn: () => void): number {
  fn();
  const times: number[] = [];
  for (let k = 0; k < repetitions; k++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

/** Sensor-like rows: Gaussian around a few baselines, 1% pushed far out. */
function syntheticRows(count: number, dims: number, seed: number): number[][] {
  const rng = createRandom(seed);
  return Array.from({ length: count }, () =>
    Array.from({ length: dims }, (_, j) => 25 + 10 * j + (1 + (j % 2)) * rng.gaussian() * (rng.next() < 0.01 ? 8 : 1)),
  );
}

export function benchScoring(options: BenchScoringOptions = {}): BenchScoringResult {
  const o: Required<BenchScoringOptions> = {
    trees: options.trees ?? 100,
    sampleSize: options.sampleSize ?? 256,
    features: options.features ?? 3,
    trainingRows: options.trainingRows ?? 5000,
    scoringRows: options.scoringRows ?? 200_000,
    repetitions: options.repetitions ?? 5,
    seed: options.seed ?? 42,
  };
  const params = { trees: o.trees, sampleSize: o.sampleSize, seed: o.seed };
  const features = Array.from({ length: o.features }, (_, j) => `f${j}`);
  const training = syntheticRows(o.trainingRows, o.features, o.seed);
  const matrix = toMatrix(training);
  const probe = syntheticRows(o.scoringRows, o.features, o.seed + 1);
  const flat = Float64Array.from(probe.flat());
  const out = new Float64Array(o.scoringRows);
  let sink = 0;

  const trainMs = timeMs(o.repetitions, () => void fitForest(matrix, 'native', params));
  const mlTrainMs = timeMs(o.repetitions, () => void fitForest(matrix, 'ml-isolation-forest', params));
  let model: ForestModel | undefined;
  const base = { ...params, contamination: 0.005, features };
  const trainModelMs = timeMs(o.repetitions, () => void (model = trainModel(training, { ...base, engine: 'native' })));
  const native = model!;
  const ml = trainModel(training, { ...base, engine: 'ml-isolation-forest' });

  const perSec = (rows: number, ms: number) => rows / (ms / 1000);
  const scoreAll = (m: ForestModel, rows: number) => () => {
    for (let r = 0; r < rows; r++) sink += m.score(probe[r]!);
  };
  const compiledPerSec = perSec(o.scoringRows, timeMs(o.repetitions, scoreAll(native, o.scoringRows)));
  const batchPerSec = perSec(o.scoringRows, timeMs(o.repetitions, () => void native.scoreBatch(flat, o.scoringRows, out)));
  const mlCompiledPerSec = perSec(o.scoringRows, timeMs(o.repetitions, scoreAll(ml, o.scoringRows)));

  const objects = trainNativeForest(matrix, params);
  const slowRows = Math.max(1, Math.floor(o.scoringRows / 10));
  const uncompiledPerSec = perSec(
    slowRows,
    timeMs(o.repetitions, () => {
      for (let r = 0; r < slowRows; r++) sink += scoreObjectForest(objects, probe[r]!);
    }),
  );

  const library = new IsolationForest({ nEstimators: o.trees });
  const sample = training.slice(0, Math.min(o.sampleSize, training.length)).map((row) => [...row]);
  withSeededMathRandom(createRandom(o.seed), () => library.train(sample));
  const mlRows = probe.slice(0, slowRows);
  const mlPerSec = perSec(slowRows, timeMs(o.repetitions, () => void (sink += library.predict(mlRows)[0]!)));

  if (Number.isNaN(sink)) throw new Error('benchmark produced NaN scores');
  return {
    compiledPerSec,
    batchPerSec,
    uncompiledPerSec,
    mlPerSec,
    mlCompiledPerSec,
    compiledSpeedup: compiledPerSec / uncompiledPerSec,
    trainMs,
    mlTrainMs,
    trainModelMs,
    options: o,
  };
}
