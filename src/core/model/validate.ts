/**
 * Input checks shared by both engines. A NaN or Infinity would silently steer
 * every comparison in a tree (NaN >= s is always false), so rows are checked
 * before training and before scoring, and the error names the offending cell.
 */

/** Row-major training data: row r, feature j is data[r * dims + j]. */
export interface Matrix {
  readonly data: Float64Array;
  readonly rows: number;
  readonly dims: number;
}

function columnName(j: number, features?: readonly string[]): string {
  const name = features?.[j];
  return name === undefined ? `column ${j}` : `column ${j} (${name})`;
}

function describe(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  return value === null ? 'null' : typeof value;
}

/** Validates rows (non-empty, same width, finite numbers) and copies them into one flat array. */
export function toMatrix(rows: readonly ArrayLike<number>[], features?: readonly string[]): Matrix {
  if (!Array.isArray(rows) || rows.length === 0) throw new Error('training data is empty: at least one row is needed');
  const first = rows[0];
  const dims = first?.length ?? 0;
  if (dims === 0) throw new Error('row 0 has no values: every row needs at least one feature');
  if (features !== undefined && features.length !== dims) {
    throw new Error(`row 0 has ${dims} values but ${features.length} features are named (${features.join(', ')})`);
  }
  const data = new Float64Array(rows.length * dims);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    if (row === null || typeof row !== 'object' || typeof row.length !== 'number') {
      throw new Error(`row ${r} is not an array of numbers`);
    }
    if (row.length !== dims) throw new Error(`row ${r} has ${row.length} values, expected ${dims} like row 0`);
    for (let j = 0; j < dims; j++) {
      const value: unknown = row[j];
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new Error(`row ${r}, ${columnName(j, features)} is ${describe(value)}: every value must be a finite number`);
      }
      data[r * dims + j] = value;
    }
  }
  return { data, rows: rows.length, dims };
}

/** Checks one row to score and copies it into `out` (a scratch buffer of length dims). */
export function readRow(row: ArrayLike<number>, out: Float64Array, features?: readonly string[]): Float64Array {
  const dims = out.length;
  if (row === null || typeof row !== 'object' || row.length !== dims) {
    const got = row !== null && typeof row === 'object' && typeof row.length === 'number' ? `${row.length} values` : 'no array';
    throw new Error(`row to score has ${got}, expected ${dims}${features ? ` (${features.join(', ')})` : ''}`);
  }
  for (let j = 0; j < dims; j++) {
    const value = row[j];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new Error(`row to score: ${columnName(j, features)} is ${describe(value)}: every value must be a finite number`);
    }
    out[j] = value;
  }
  return out;
}

/** Checks a flat batch (n rows of `dims` values) before scoring it. */
export function checkBatch(rows: Float64Array, n: number, dims: number, out: Float64Array): void {
  if (!Number.isInteger(n) || n < 0) throw new Error(`batch size must be a non-negative integer, got ${n}`);
  if (rows.length < n * dims) throw new Error(`batch holds ${rows.length} values, expected ${n} rows x ${dims} = ${n * dims}`);
  if (out.length < n) throw new Error(`output buffer holds ${out.length} scores, expected at least ${n}`);
  for (let k = 0; k < n * dims; k++) {
    if (!Number.isFinite(rows[k]!)) {
      throw new Error(`batch row ${Math.floor(k / dims)}, column ${k % dims} is ${rows[k]}: every value must be a finite number`);
    }
  }
}

/** Forest size parameters shared by both engines. */
export interface ForestParams {
  readonly trees: number;
  /** ψ; the effective subsample is min(sampleSize, rows). */
  readonly sampleSize: number;
  readonly seed: number;
}

export function checkForestParams(params: ForestParams): void {
  const { trees, sampleSize, seed } = params;
  if (!Number.isInteger(trees) || trees < 1 || trees > 100_000) throw new Error(`trees must be an integer in 1..100000, got ${trees}`);
  if (!Number.isInteger(sampleSize) || sampleSize < 1) throw new Error(`sampleSize must be a positive integer, got ${sampleSize}`);
  if (!Number.isSafeInteger(seed)) throw new Error(`seed must be an integer, got ${seed}`);
}
