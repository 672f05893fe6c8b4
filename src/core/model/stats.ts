import type { FeatureStats } from './types.js';
import type { Matrix } from './validate.js';

/** Per-feature mean, population sd, min, max and median of the training rows. */
export function featureStats(matrix: Matrix): FeatureStats[] {
  const { data, rows, dims } = matrix;
  const column = new Float64Array(rows);
  const stats: FeatureStats[] = [];
  for (let j = 0; j < dims; j++) {
    let sum = 0;
    for (let r = 0; r < rows; r++) {
      column[r] = data[r * dims + j]!;
      sum += column[r]!;
    }
    const mean = sum / rows;
    let squares = 0;
    for (let r = 0; r < rows; r++) squares += (column[r]! - mean) ** 2;
    column.sort();
    const mid = rows >> 1;
    const median = rows % 2 === 1 ? column[mid]! : (column[mid - 1]! + column[mid]!) / 2;
    stats.push({ mean, sd: Math.sqrt(squares / rows), min: column[0]!, max: column[rows - 1]!, median });
  }
  return stats;
}
