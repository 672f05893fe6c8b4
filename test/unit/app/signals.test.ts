import { EventEmitter } from 'node:events';
import { DUPLICATE_SIGNAL_WINDOW_MS, onSignals } from '../../../src/app/signals.js';
import { createLogger } from '../../../src/support/logger.js';
import type { Shutdown } from '../../../src/support/shutdown.js';

/** A shutdown whose end the test decides, a process-like emitter, a clock and a log the test reads. */
function harness(options: { onHangup?: () => Promise<string> } = {}) {
  const target = new EventEmitter();
  let clock = 1_000_000;
  const runs: string[] = [];
  let finish: (clean: boolean) => void = () => undefined;
  const shutdown: Shutdown = {
    add: () => undefined,
    run: (reason) => {
      runs.push(reason);
      return new Promise<boolean>((resolve) => (finish = resolve));
    },
    get started() {
      return runs.length > 0;
    },
  };
  const lines: Array<{ msg: string; signal?: string }> = [];
  const logger = createLogger({ level: 'debug', pretty: 'false', destination: { write: (line: string) => void lines.push(JSON.parse(line)) } });
  const exits: number[] = [];
  const remove = onSignals(shutdown, {
    exit: (code) => exits.push(code),
    logger,
    now: () => clock,
    target: target as unknown as Pick<NodeJS.Process, 'on' | 'off'>,
    ...options,
  });
  return {
    target,
    runs,
    exits,
    lines,
    remove,
    signal: (name: NodeJS.Signals) => target.emit(name, name),
    advance: (ms: number) => void (clock += ms),
    finishShutdown: async (clean: boolean) => {
      finish(clean);
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

describe('signals', () => {
  it('when SIGINT arrives, then the ordered shutdown runs once and the process exits 0 once it finished in time', async () => {
    const h = harness();
    h.signal('SIGINT');
    expect(h.runs).toEqual(['SIGINT']);
    expect(h.exits).toEqual([]);
    await h.finishShutdown(true);
    expect(h.exits).toEqual([0]);
  });

  it('when the shutdown misses its deadline, then the exit code is 1', async () => {
    const h = harness();
    h.signal('SIGTERM');
    await h.finishShutdown(false);
    expect(h.exits).toEqual([1]);
  });

  it('when the same signal comes again within the window (the terminal and npm both sent it), then it is ignored and the shutdown goes on', async () => {
    const h = harness();
    h.signal('SIGINT');
    h.advance(3);
    h.signal('SIGINT');
    h.advance(DUPLICATE_SIGNAL_WINDOW_MS - 4);
    h.signal('SIGINT');
    expect(h.exits).toEqual([]);
    expect(h.runs).toEqual(['SIGINT']);
    expect(h.lines.filter((l) => l.msg.startsWith('duplicate signal ignored'))).toHaveLength(2);
    expect(h.lines.map((l) => l.msg)).not.toContain('second signal: exiting now');
    await h.finishShutdown(true);
    expect(h.exits).toEqual([0]);
  });

  it('when the same signal comes again once the window has passed, then the process exits at once with 130', () => {
    const h = harness();
    h.signal('SIGINT');
    h.advance(DUPLICATE_SIGNAL_WINDOW_MS);
    h.signal('SIGINT');
    expect(h.exits).toEqual([130]);
    expect(h.lines).toContainEqual(expect.objectContaining({ msg: 'second signal: exiting now', signal: 'SIGINT' }));
    expect(h.runs).toEqual(['SIGINT']);
  });

  it('when another signal follows within the window, then it is deliberate and forces the exit (130)', () => {
    const h = harness();
    h.signal('SIGINT');
    h.advance(10);
    h.signal('SIGTERM');
    expect(h.exits).toEqual([130]);
  });

  it('when SIGHUP arrives, then the reload runs and says what it did, and no shutdown starts', async () => {
    const h = harness({ onHangup: async () => 'users file reloaded (3 users)' });
    h.signal('SIGHUP');
    await new Promise((resolve) => setImmediate(resolve));
    expect(h.lines).toContainEqual(expect.objectContaining({ msg: 'users file reloaded (3 users)', signal: 'SIGHUP' }));
    expect(h.runs).toEqual([]);
  });

  it('when the handlers are removed, then signals reach them no more', () => {
    const h = harness();
    h.remove();
    expect(['SIGINT', 'SIGTERM', 'SIGHUP'].map((s) => h.target.listenerCount(s))).toEqual([0, 0, 0]);
  });
});
