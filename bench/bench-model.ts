/** The real model the load phases score with: 100 trees, ψ = 256, trained on simulated healthy readings. */
import { FEATURES } from '../src/domain/reading.js';
import { trainModel, type ForestModel } from '../src/model/index.js';
import { normalReadings } from '../src/simulator/generator.js';
import { BENCH_PROFILE } from './readings.js';

export const BENCH_TREES = 100;
export const BENCH_SAMPLE_SIZE = 256;
/** MODEL_TRAINING_SIZE's default. */
export const BENCH_TRAINING_SIZE = 5000;

export function trainBenchModel(seed = 42): ForestModel {
  return trainModel(normalReadings({ sensors: BENCH_PROFILE }, BENCH_TRAINING_SIZE, seed), {
    engine: 'native',
    trees: BENCH_TREES,
    sampleSize: BENCH_SAMPLE_SIZE,
    seed,
    contamination: 0.005,
    features: FEATURES,
  });
}
