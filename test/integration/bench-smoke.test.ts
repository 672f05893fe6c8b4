/**
 * The benchmark harness end to end in its quick form, load generators inline.
 * Only that the harness works: every reading comes back, figures are sane
 * numbers. Never how fast anything is.
 */
import { scaleTable } from '../../tools/bench/scale.js';
import { parseBenchArgs, UsageError } from '../../tools/bench/cli-options.js';
import { measurePipeline, measureRelay } from '../../tools/bench/pipeline.js';
import { measurePredict } from '../../tools/bench/predict.js';
import { deviceReadings, readEcho, readingPayload, readingPrefixes, streamTime, timedPayload } from '../../tools/bench/readings.js';
import { DEFAULT_DETECTOR_SETTINGS } from '../../src/core/context/settings.js';
import { DEFAULT_SENSORS } from '../../src/core/sensors.js';
import { fixedModelDetector } from '../../src/detector/fixed-model.js';
import { createTestModel } from '../helpers/test-model.js';
import { createResources } from '../helpers/mqtt.js';
import { spawnTracked } from '../helpers/processes.js';

const inline = { kind: 'inline' } as const;

describe('bench harness', () => {
  it('when the pipeline is driven at a low fixed rate for a second, then every sent reading is scored and timed', async () => {
    const model = createTestModel();
    const result = await measurePipeline(() => fixedModelDetector(() => model, DEFAULT_SENSORS, DEFAULT_DETECTOR_SETTINGS), {
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

  it('when the MQTT load sends a device\'s readings, then they are the simulator\'s, one in 100 far out, and event time only moves forward', () => {
    const [first, second] = deviceReadings(2, 1, 300, 7);
    expect(first).toHaveLength(300);
    expect(first).not.toEqual(second);
    const readings = first!.map((prefix, k) => JSON.parse(timedPayload(prefix, streamTime(k), k, 1.5)));
    expect(readings[0]).toEqual({ temperature: expect.any(Number), humidity: expect.any(Number), sound: expect.any(Number), timestamp: '2024-01-20T10:30:00.000Z', seq: 0, sent_at: 1.5 });
    expect(Date.parse(readings[299].timestamp) - Date.parse(readings[0].timestamp)).toBe(299_000);
    const far = readings.filter((r) => Math.abs(r.temperature - 25) > 8).map((r) => r.seq);
    expect(far).toEqual([99, 199, 299]);
  });

  it.each([
    [['--quick'], { quick: true, seconds: 1 }],
    [['--only', 'pipeline,relay', '--seconds', '3'], { seconds: 3, quick: false }],
  ])('when the flags are %j, then the options follow', (args, expected) => {
    expect(parseBenchArgs(args)).toEqual(expect.objectContaining(expected));
  });

  it('when no phases are named, then the scale phase (minutes, Mosquitto and Redis) is left out; named, it runs alone', () => {
    expect([...parseBenchArgs([]).phases].sort()).toEqual(['context', 'pipeline', 'predict', 'relay', 'scoring']);
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

describe('npm run -s bench -- --quick', () => {
  const resources = createResources();
  afterAll(() => resources.closeAll());

  it('when the pipeline and context phases run, then the JSON line carries issue 9\'s figures: time context on and off, both ratios, memory per device', async () => {
    const bench = spawnTracked(resources, 'npm', ['run', '-s', 'bench', '--', '--quick', '--only', 'pipeline,context', '--load', 'inline'], { ...process.env, CI: 'true' });
    let stdout = '';
    bench.child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    expect(await bench.exited).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    const report = JSON.parse(lines[lines.length - 1]!);
    const positive = expect.any(Number);
    expect(report.pipeline.max.medianRate).toBeGreaterThan(0);
    expect(report.pipeline.maxContextOff).toEqual(expect.objectContaining({ missing: 0, worker: expect.objectContaining({ scored: report.pipeline.maxContextOff.sent }) }));
    expect(report.pipeline.maxContextOff.medianRate).toBeGreaterThan(0);
    expect(report.pipeline.contextRepeat.map((r: { timeContext: string }) => r.timeContext)).toEqual(['off', 'on', 'on', 'off']);
    for (const repeat of report.pipeline.contextRepeat) expect(repeat.run.medianRate).toBeGreaterThan(0);
    expect(report.ratios).toEqual(expect.objectContaining({ pipelineMaxContextOnVsOff: positive, detectorContextOnVsOff: positive }));
    for (const mode of [report.context.on, report.context.off]) {
      expect(mode.perSec).toBeGreaterThan(0);
      expect(mode.stateBytesPerDevice).toBeGreaterThan(0);
      // Present only when gc was exposed: the npm script passes --expose-gc.
      expect(mode.measuredBytesPerDevice.total).toBeGreaterThan(0);
      expect(Number.isFinite(mode.allocation.bytesPerReading)).toBe(true);
    }
    expect(report.context.on.stateBytesPerDevice).toBeGreaterThan(report.context.off.stateBytesPerDevice);
  }, 120_000);
});
