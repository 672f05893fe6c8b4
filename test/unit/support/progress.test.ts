import { createProgress, formatProgress } from '../../../src/support/progress.js';
import { progressEnabled } from '../../../src/app/progress-mode.js';

describe('the progress line', () => {
  it.each([
    [{ label: 'reading a.csv', done: 450 * 1024 ** 2, total: 1024 ** 3, unit: 'bytes', elapsedMs: 3750 }, 'reading a.csv   43%  450.0 MB / 1.0 GB  120.0 MB/s  5 s left'],
    [{ label: 'eval', done: 2, total: 5, unit: 'runs', elapsedMs: 2000 }, 'eval   40%  2 / 5 runs  1/s  3 s left'],
    [{ label: 'eval', done: 5, total: 5, unit: 'runs', elapsedMs: 5000 }, 'eval  100%  5 / 5 runs  1/s'],
    [{ label: 'bench', done: 0, elapsedMs: 75_000, note: 'pipeline' }, 'bench  1 min 15 s  pipeline'],
    [{ label: 'replay', done: 25_000, unit: 'rows', elapsedMs: 2000 }, 'replay  25k rows  13k/s  2 s'],
  ])('when %j, then it reads %j', (view, expected) => {
    expect(formatProgress(view)).toBe(expected);
  });

  function recorder() {
    const writes: string[] = [];
    let clock = 0;
    return { writes, stream: { write: (t: string) => writes.push(t) }, now: () => clock, tick: (ms: number) => (clock += ms) };
  }

  it('when disabled (a pipe, CI), then nothing at all is written', () => {
    const r = recorder();
    const progress = createProgress({ stream: r.stream, enabled: false, label: 'x', total: 10, now: r.now });
    progress.phase('y', 3);
    progress.update(5);
    progress.finish();
    expect(r.writes).toEqual([]);
  });

  it('when enabled, then the line is rewritten in place at most every interval, the last step always shows, and finish clears it', () => {
    const r = recorder();
    const progress = createProgress({ stream: r.stream, enabled: true, label: 'x', total: 10, now: r.now, intervalMs: 100 });
    progress.update(1);
    r.tick(50);
    progress.update(2); // too soon: skipped
    r.tick(60);
    progress.update(3);
    progress.update(10); // done: always drawn
    progress.finish();
    progress.finish();
    expect(r.writes).toHaveLength(4);
    expect(r.writes.slice(0, 3).every((w) => w.startsWith('\r') && w.endsWith('\x1b[K'))).toBe(true);
    expect(r.writes[2]).toContain('100%');
    expect(r.writes[3]).toBe('\r\x1b[K');
  });

  it.each([
    [{ isTTY: true }, {}, true],
    [{ isTTY: false }, {}, false],
    [{}, {}, false],
    [{ isTTY: true }, { CI: 'true' }, false],
    [{ isTTY: true }, { CI: '1' }, false],
    [{ isTTY: true }, { CI: 'false' }, true],
    [{ isTTY: true }, { TERM: 'dumb' }, false],
  ])('when the stream is %j and the environment %j, then progress is shown: %s', (stream, env, shown) => {
    expect(progressEnabled(stream, env)).toBe(shown);
  });
});
