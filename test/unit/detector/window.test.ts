import { createWindow } from '../../../src/detector/window.js';

const rowsOf = (w: ReturnType<typeof createWindow>) => w.rows().map((r) => Array.from(r));

describe('sliding window', () => {
  it.each([
    ['fewer rows than capacity', 2, [[1, 10], [2, 20]], [[1, 10], [2, 20]]],
    ['exactly capacity', 3, [[1, 10], [2, 20], [3, 30]], [[1, 10], [2, 20], [3, 30]]],
    ['more rows than capacity', 3, [[1, 10], [2, 20], [3, 30], [4, 40], [5, 50]], [[3, 30], [4, 40], [5, 50]]],
  ])('when it gets %s, then it holds the most recent ones, oldest first', (_name, capacity, pushed, expected) => {
    const window = createWindow(capacity, 2);
    for (const row of pushed) window.push(row);
    expect(window.size).toBe(expected.length);
    expect(rowsOf(window)).toEqual(expected);
  });

  it('when the pushed row is changed afterwards, then the window keeps its own copy', () => {
    const window = createWindow(2, 2);
    const row = new Float64Array([1, 2]);
    window.push(row);
    row[0] = 99;
    expect(rowsOf(window)).toEqual([[1, 2]]);
  });

  it('when the capacity is not a positive integer, then it refuses', () => {
    expect(() => createWindow(0, 3)).toThrow(/capacity/);
  });
});
