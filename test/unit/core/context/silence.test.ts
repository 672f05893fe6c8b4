import { createSilence } from '../../../../src/detector/silent-devices.js';
import { createSilenceTracker } from '../../../../src/detector/silence.js';

describe('silent devices (one scheduler for all, on a fake clock)', () => {
  it('when a device stops reporting, then it is silent after factor × its interval (and at least the minimum), once', () => {
    const tracker = createSilenceTracker({ factor: 5, minMs: 10_000, maxDevices: 100 });
    for (let t = 0; t <= 20_000; t += 1000) tracker.heard('a', t); // every second
    expect(tracker.due(20_000 + 9_999)).toEqual([]); // 5 × 1 s < the 10 s minimum
    expect(tracker.due(30_000)).toEqual([{ device: 'a', lastMs: 20_000, intervalMs: 1000 }]);
    expect(tracker.due(60_000)).toEqual([]);
    expect(tracker.silent()).toBe(1);
  });

  it('when a slow device reports every minute, then its own interval sets its deadline', () => {
    const tracker = createSilenceTracker({ factor: 5, minMs: 10_000, maxDevices: 100 });
    for (let t = 0; t <= 600_000; t += 60_000) tracker.heard('slow', t);
    expect(tracker.due(600_000 + 299_000)).toEqual([]);
    expect(tracker.due(600_000 + 300_000).map((d) => d.device)).toEqual(['slow']);
  });

  it('when many devices report, then only the one that stopped falls silent, and reporting again ends its silence', () => {
    const tracker = createSilenceTracker({ factor: 3, minMs: 0, maxDevices: 100 });
    for (let t = 0; t <= 10_000; t += 1000) for (let d = 0; d < 50; d++) if (d !== 7 || t <= 5_000) tracker.heard(`d${d}`, t);
    expect(tracker.due(10_000).map((d) => d.device)).toEqual(['d7']);
    expect(tracker.heard('d7', 11_000)).toBe(true);
    expect(tracker.silent()).toBe(0);
  });

  it('when silence opens and closes, then the incident events say so, kind silent', () => {
    const silence = createSilence({ factor: 5, minMs: 1000, maxDevices: 10 }, ['x']);
    for (let t = 0; t <= 5000; t += 100) silence.heard('line1/d1', t);
    const [opened] = silence.due(7000);
    expect(opened).toMatchObject({ device: 'line1/d1', state: 'opened', kind: 'silent', closed_at: null });
    const closed = silence.heard('line1/d1', 9000);
    expect(closed).toMatchObject({ device: 'line1/d1', state: 'closed', kind: 'silent', incident_id: opened!.incident_id });
    expect(closed!.closed_at).toBe(new Date(9000).toISOString());
  });
});
