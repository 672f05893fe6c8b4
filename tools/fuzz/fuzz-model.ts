import { DEFAULT_SENSORS } from '../../src/core/sensors.js';
import { trainModel, type ForestModel } from '../../src/core/model/index.js';
import { createRandom } from '../../src/support/random.js';

/** A real (small) Isolation Forest on readings around the simulator baselines; the same for a given seed. */
export function fuzzModel(seed = 7): ForestModel {
  const r = createRandom(seed);
  const rows = Array.from({ length: 1000 }, () => [25 + r.gaussian(), 50 + 2 * r.gaussian(), 60 + 2 * r.gaussian()]);
  return trainModel(rows, {
    engine: 'native',
    trees: 50,
    sampleSize: 256,
    seed,
    contamination: 0.01,
    features: DEFAULT_SENSORS.names,
    now: () => new Date('2024-01-01T00:00:00Z'),
  });
}
