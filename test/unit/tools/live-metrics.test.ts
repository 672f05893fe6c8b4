import { liveMetrics, percentile } from '../../../tools/eval/live-metrics.js';

const t = (s: number) => new Date(Date.UTC(2024, 0, 1, 0, 0, s)).toISOString();
const injected = [
  { device: 'a', timestamp: t(1), kind: 'spike' },
  { device: 'a', timestamp: t(2), kind: 'drift' },
  { device: 'b', timestamp: t(1), kind: 'spike' },
  { device: 'b', timestamp: t(3), kind: 'stuck' },
];

describe('liveMetrics', () => {
  it('counts hits, misses and false alarms, and ignores redelivered duplicates', () => {
    const flagged = [
      { device: 'a', timestamp: t(1), receivedAt: Date.parse(t(1)) + 10 },
      { device: 'a', timestamp: t(1), receivedAt: Date.parse(t(1)) + 90 }, // duplicate
      { device: 'b', timestamp: t(1), receivedAt: Date.parse(t(1)) + 30 },
      { device: 'b', timestamp: t(3), receivedAt: Date.parse(t(3)) + 20 },
      { device: 'c', timestamp: t(1), receivedAt: 0 }, // false alarm
    ];
    const m = liveMetrics(1004, injected, flagged);
    expect(m).toMatchObject({
      injected: 4,
      true_positives: 3,
      false_positives: 1,
      false_negatives: 1,
      precision: 0.75,
      recall: 0.75,
      f1: 0.75,
      false_alarms_per_1000_normal: 1,
      recall_by_kind: { spike: 1, drift: 0, stuck: 1 },
      delay_ms_p50: 20,
      delay_ms_p99: 30,
    });
  });

  it('is perfect when every injected reading and nothing else is flagged', () => {
    const flagged = injected.map((i) => ({ device: i.device, timestamp: i.timestamp, receivedAt: Date.parse(i.timestamp) }));
    expect(liveMetrics(100, injected, flagged)).toMatchObject({ precision: 1, recall: 1, f1: 1, false_alarms_per_1000_normal: 0 });
  });

  it('percentile uses nearest rank', () => {
    expect(percentile([5, 1, 3, 2, 4], 0.5)).toBe(3);
    expect(percentile([5, 1, 3, 2, 4], 0.99)).toBe(5);
    expect(percentile([], 0.5)).toBe(0);
  });
});
