import { pino } from 'pino';
import { createRateMeter, createStatusDisplay, formatStatus } from '../../../src/simulator/status-display.js';
import type { SimulatorStats } from '../../../src/simulator/simulator.js';

const stats = (s: Partial<SimulatorStats>): SimulatorStats => ({
  sent: 0,
  injected: 0,
  dropped: 0,
  failed: 0,
  inflight: 0,
  connected: true,
  elapsedMs: 0,
  ...s,
});

describe('status line', () => {
  it('when all is well, then it shows sent, rate and injected', () => {
    expect(formatStatus(stats({ sent: 1200, injected: 24 }), 199.6)).toBe('sent 1200  rate 200/s  injected 24');
  });

  it('when readings are dropped or failing offline, then it says so', () => {
    expect(formatStatus(stats({ sent: 5, dropped: 3, failed: 1, connected: false }), 0)).toBe(
      'sent 5  rate 0/s  injected 0  dropped 3  failed 1  offline',
    );
  });

  it('when sampled, then the rate is over the last interval', () => {
    const meter = createRateMeter();
    expect(meter(stats({ sent: 100, elapsedMs: 1000 }))).toBe(100);
    expect(meter(stats({ sent: 400, elapsedMs: 1500 }))).toBe(600);
    expect(meter(stats({ sent: 400, elapsedMs: 1500 }))).toBe(0);
  });
});

describe('status display', () => {
  const capture = () => {
    const lines: Record<string, unknown>[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
    return { lines, logger };
  };

  it('when the stream is a terminal, then the line is rewritten in place and left on screen at the end', () => {
    const written: string[] = [];
    const stream = { isTTY: true, write: (text: string) => written.push(text) } as unknown as NodeJS.WriteStream;
    const { lines, logger } = capture();
    const display = createStatusDisplay(stream, logger);
    display.update(stats({ sent: 10, elapsedMs: 1000 }));
    display.finish(stats({ sent: 30, injected: 2, elapsedMs: 3000 }));

    expect(written[0]).toBe('\rsent 10  rate 10/s  injected 0\x1b[K');
    expect(written[1]).toBe('\rsent 30  rate 10/s  injected 2\x1b[K\n');
    expect(lines).toEqual([expect.objectContaining({ msg: 'simulation finished', sent: 30, injected: 2, seconds: 3, averageRate: 10 })]);
  });

  it('when the stream is not a terminal, then each update is a structured log line', () => {
    const stream = { isTTY: false, write: () => true } as unknown as NodeJS.WriteStream;
    const { lines, logger } = capture();
    const display = createStatusDisplay(stream, logger);
    expect(display.intervalMs).toBeGreaterThanOrEqual(1000);
    display.update(stats({ sent: 50, elapsedMs: 5000 }));

    expect(lines).toEqual([expect.objectContaining({ msg: 'simulator status', sent: 50, rate: 10 })]);
  });
});
