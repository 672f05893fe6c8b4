import { createRateMeter, formatStatus } from '../../../src/simulator/status-display.js';
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
