import { createRandom } from '../../../../src/support/random.js';

export const FEATURES3 = ['temperature', 'humidity', 'sound'] as const;

/** Seeded sensor-like readings around 25 °C, 50 %, 60 dB. */
export function normalRows(count: number, seed = 1): number[][] {
  const rng = createRandom(seed);
  return Array.from({ length: count }, () => [25 + rng.gaussian(), 50 + 2 * rng.gaussian(), 60 + 2 * rng.gaussian()]);
}

export const baseOptions = {
  engine: 'native' as const,
  trees: 100,
  sampleSize: 256,
  seed: 7,
  contamination: 0.01,
  features: FEATURES3,
};

export const ENGINE_NAMES = ['native', 'ml-isolation-forest'] as const;
