/**
 * The benchmark harness end to end in its quick form, load generators inline.
 * Only that the harness works: every reading comes back, figures are sane
 * numbers. Never how fast anything is.
 */
import { scaleTable } from '../../tools/bench/scale.js';
import { parseBenchArgs, UsageError } from '../../tools/bench/cli-options.js';
import { measurePipeline, measureRelay } from '../../tools/bench/pipeline.js';
import { measurePredict } from '../../tools/bench/predict.js';
import { readEcho, readingPayload, readingPrefixes } from '../../tools/bench/readings.js';
import { createTestModel } from '../helpers/test-model.js';

const inline = { kind: 'inline' } as const;

describe('bench harness', () => {
  it('when the pipeline is driven at a low fixed rate for a second, then every sent reading is scored and timed', async () => {
    const result = await measurePipeline(createTestModel(), {
      mode: { kind: 'fixed', rate: 200 },
      seconds: 1,
      warmupSeconds: 0,
      placement: inline,
      publishers: 2,
      devices: 4,
    });
    expect(result.sent).toBeGreaterThan(0);
    expect(result.missing).toBe(0);
    expect(result.received).toBe(result.sent);
    expect(result.worker).toEqual(expect.objectContaining({ received: result.sent, scored: result.sent, publishErrors: 0 }));
    expect(result.latency.count).toBeGreaterThan(0);
    expect(result.latency.p50).toBeGreaterThan(0);
    expect(result.latency.p99).toBeGreaterThanOrEqual(result.latency.p50);
    expect(result.perSecond).toHaveLength(1);
  });

  it('when the relay is driven with a bounded window, then every reading comes back and nothing is left in flight', async () => {
    const result = await measureRelay({ mode: { kind: 'max', window: 20 }, seconds: 1, warmupSeconds: 0, placement: inline });
    expect(result.sent).toBeGreaterThanOrEqual(20);
    expect(result.missing).toBe(0);
    expect(result.duplicates).toBe(0);
    expect(result.latency.p50).toBeGreaterThan(0);
    expect(result.worker).toBeUndefined();
  });

  it('when /predict is loaded by autocannon for a second, then requests succeed and latencies are reported', async () => {
    const result = await measurePredict(createTestModel(), { connections: 2, seconds: 1, warmupSeconds: 0, placement: inline });
    expect(result.requests).toBeGreaterThan(0);
    expect(result.errors + result.timeouts + result.non2xx).toBe(0);
    expect(Number.isFinite(result.latency.p99)).toBe(true);
  });

  it('when a result echoes a reading, then its seq and send time are read back', () => {
    const [prefix] = readingPrefixes(1, 1);
    const payload = readingPayload(prefix!, 42, 1234.5678);
    expect(JSON.parse(payload)).toEqual(expect.objectContaining({ seq: 42, sent_at: 1234.568, temperature: expect.any(Number) }));
    const result = Buffer.from(`{"device":"line1/press-1","input_data":${payload},"prediction":{"is_anomaly":true}}`);
    expect(readEcho(result)).toEqual({ seq: 42, sentAt: 1234.568, anomaly: true });
    expect(readEcho(Buffer.from('{"status":"online"}'))).toBeUndefined();
  });

  it.each([
    [['--quick'], { quick: true, seconds: 1 }],
    [['--only', 'pipeline,relay', '--seconds', '3'], { seconds: 3, quick: false }],
  ])('when the flags are %j, then the options follow', (args, expected) => {
    expect(parseBenchArgs(args)).toEqual(expect.objectContaining(expected));
  });

  it('when no phases are named, then the scale phase (minutes, Mosquitto and Redis) is left out; named, it runs alone', () => {
    expect([...parseBenchArgs([]).phases].sort()).toEqual(['pipeline', 'predict', 'relay', 'scoring']);
    expect([...parseBenchArgs(['--only', 'scale']).phases]).toEqual(['scale']);
  });

  it('when the scale phase reports, then BENCHMARKS.md gets one row per topology and worker count, CPU per process', () => {
    const row = { topology: 'mosquitto' as const, workers: 2, rate: 12345, p50: 3.2, p99: 9.9, sent: 100, missing: 0, duplicates: 1, cpu: { mosquitto: 0.5, 'worker w1': 0.25, machine: 1.9 }, usPerReading: { mosquitto: 20, 'worker w1': 35 }, scored: [50, 50] };
    const lines = scaleTable({ rows: [row], skipped: ['aedes-redis: redis-server not installed'] }).split('\n');
    expect(lines[2]).toBe('| mosquitto | 2 | 12,345 | 3.2 | 9.9 | 0 | 1 | mosquitto 0.50, worker w1 0.25, machine 1.90 | mosquitto 20, worker w1 35 | 50 / 50 |');
    expect(lines[3]).toMatch(/^\| skipped: aedes-redis: redis-server not installed/);
  });

  it.each([[['--only', 'nope']], [['--seconds', '0']], [['--load', 'elsewhere']], [['--bogus']]])(
    'when the flags are %j, then a usage error names the problem',
    (args) => {
      expect(() => parseBenchArgs(args)).toThrow(UsageError);
    },
  );
});
