/**
 * A sliding window of the most recent rows, in one preallocated ring buffer:
 * pushing never allocates, and memory is capacity × dims numbers per model.
 */
export interface RowWindow {
  readonly capacity: number;
  readonly size: number;
  /** Copies `row` in, overwriting the oldest row once full. */
  push(row: ArrayLike<number>): void;
  /** The rows, oldest first, as views into the buffer: use them before the next push. */
  rows(): Float64Array[];
}

export function createWindow(capacity: number, dims: number): RowWindow {
  if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`window capacity must be a positive integer, got ${capacity}`);
  const data = new Float64Array(capacity * dims);
  let next = 0;
  let size = 0;
  return {
    capacity,
    get size() {
      return size;
    },
    push(row) {
      const at = next * dims;
      for (let j = 0; j < dims; j++) data[at + j] = row[j] ?? Number.NaN;
      next = (next + 1) % capacity;
      if (size < capacity) size += 1;
    },
    rows() {
      const out: Float64Array[] = [];
      const first = size < capacity ? 0 : next;
      for (let i = 0; i < size; i++) {
        const r = (first + i) % capacity;
        out.push(data.subarray(r * dims, (r + 1) * dims));
      }
      return out;
    },
  };
}
