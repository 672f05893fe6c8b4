/** The bench's report (tools/bench/report.ts): issue 9's ratios and rows come from the context phase and the off pipeline run. */
import type { ContextModeResult, ContextPhaseResult } from '../../../tools/bench/context-phase.js';
import type { MqttPhaseResult } from '../../../tools/bench/pipeline.js';
import { ratios, REFERENCES, table, type BenchReport } from '../../../tools/bench/report.js';

const machine = { cores: 2, cpuModel: 'test', node: 'v20', loadAtStart: [0, 0, 0] };

function mqtt(medianRate: number, seconds = 1): MqttPhaseResult {
  return {
    sent: 100, received: 100, missing: 0, duplicates: 0, anomalies: 1, publishErrors: 0, sendRate: medianRate, perSecond: Array<number>(seconds).fill(medianRate), medianRate,
    latency: { p50: 1, p99: 2, max: 3, mean: 1, count: 100 }, cpu: 0.5, serverCpu: 1, machineCpu: 1.5,
  };
}

function mode(perSec: number, measured: boolean): ContextModeResult {
  return {
    perSec, runs: [perSec], anomalies: 5, incidentsOpened: 1, gcsPerPass: 3, stateBytesPerDevice: 2336,
    ...(measured ? { measuredBytesPerDevice: { heapUsed: 4000, arrayBuffers: 2300, total: 6300 }, allocation: { bytesPerReading: 900, range: [880, 950], readings: 1000, flagged: 0, chunks: 8, dropped: 0 } } : {}),
  };
}

function context(measured: boolean): ContextPhaseResult {
  return {
    devices: 100, readingsPerDevice: 2000, readings: 200_000, injected: 10, silent: 0, repetitions: 5, on: mode(160_000, measured), off: mode(200_000, measured), onVsOff: 0.8,
    memory: measured ? { devices: 10_000, readingsEach: 5, allocationChunk: 1000, allocationStream: 'healthy' } : { skipped: 'gc is not exposed' },
  };
}

const report = (c: ContextPhaseResult): BenchReport => ({
  machine, command: 'npm run -s bench', options: {}, references: REFERENCES,
  pipeline: { max: mqtt(9_000), maxContextOff: mqtt(10_000) },
  context: c,
});

describe('bench report, issue 9 figures', () => {
  it('when the pipeline ran with time context on and off and the context phase ran, then both on/off ratios are given', () => {
    expect(ratios(report(context(true)))).toEqual(expect.objectContaining({ pipelineMaxContextOnVsOff: 0.9, detectorContextOnVsOff: 0.8 }));
  });

  it('when the repeat runs follow, then each side is the median of the per-second rates of all its runs, and the table lists every run in order', () => {
    const r = report(context(true));
    const seconds = (...rates: number[]) => ({ ...mqtt(rates[0]!, rates.length), perSecond: rates });
    r.pipeline = {
      max: seconds(9_000, 9_000, 9_000),
      maxContextOff: seconds(10_000, 10_000, 10_000),
      contextRepeat: [
        { timeContext: 'off', run: seconds(11_000, 11_000) },
        { timeContext: 'on', run: seconds(1_000, 1_000) },
        { timeContext: 'on', run: seconds(6_000, 6_000) },
        { timeContext: 'off', run: seconds(2_000, 2_000) },
      ],
    };
    // on: median of 9,000 ×3, 1,000 ×2, 6,000 ×2 = 6,000; off: median of 10,000 ×3, 11,000 ×2, 2,000 ×2 = 10,000
    expect(ratios(r).pipelineMaxContextOnVsOff).toBeCloseTo(0.6, 3);
    r.ratios = ratios(r);
    expect(table(r)).toMatch(/pipeline: max rate, TIME_CONTEXT=false, repeat 1 +11,000/);
    expect(table(r)).toMatch(/pipeline: max rate, TIME_CONTEXT=true, repeat 3 +6,000/);
    expect(table(r)).toMatch(/pipeline max context on \/ off +0\.60 .*runs in the order on, off, off, on, on, off/);
  });

  it('when the off pipeline run is missing, then no pipeline on/off ratio is made up', () => {
    const r = report(context(true));
    delete r.pipeline!.maxContextOff;
    expect(ratios(r)).not.toHaveProperty('pipelineMaxContextOnVsOff');
  });

  it('when memory was measured, then the table shows state bytes, measured bytes and allocation per reading for both modes', () => {
    const r = report(context(true));
    r.ratios = ratios(r);
    const text = table(r);
    expect(text).toMatch(/pipeline: max rate, TIME_CONTEXT=false +10,000/);
    expect(text).toMatch(/detector, TIME_CONTEXT=true +160,000/);
    expect(text).toMatch(/pipeline max context on \/ off +0\.90/);
    expect(text).toMatch(/memory per device, TIME_CONTEXT=false .*state 2,336 B typed arrays; measured 6,300 B \(heap 4,000 \+ buffers 2,300, 10,000 devices\); 900 B allocated per healthy reading \(median of 8 chunks without GC, 880-950\)/);
  });

  it('when gc was not exposed, then the memory rows say the figures were not measured', () => {
    const text = table(report(context(false)));
    expect(text).toMatch(/memory per device, TIME_CONTEXT=true .*state 2,336 B typed arrays; not measured \(no gc\)/);
    expect(text).not.toMatch(/allocated per healthy reading/);
  });
});
