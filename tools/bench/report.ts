/** The run's figures as one object: ratios against each other and the reference figures, a table, a JSON line. */
import type { ContextPhaseResult } from './context-phase.js';
import type { MachineInfo } from './machine.js';
import type { MqttPhaseResult } from './pipeline.js';
import type { PredictPhaseResult } from './predict.js';
import type { ScoringPhaseResult } from './scoring-phase.js';
import { median, round } from './stats.js';
import type { ScaleReport } from './scale.js';

export const REFERENCES = {
  /** The original Flask service's POST /predict. */
  flaskPredictPerSec: 29,
  /** Aedes 1.2, one hop, QoS 1, 2 cores. */
  aedesRelayQos1PerSec: 38_000,
  /** About half the relay: each reading crosses the broker twice (in, and its result out). */
  pipelineTargetPerSec: 19_000,
} as const;

export interface MqttPair {
  fixed?: MqttPhaseResult;
  max?: MqttPhaseResult;
  /** Pipeline only: max rate with TIME_CONTEXT=false (issue 9: on must keep >= 0.9 of it). */
  maxContextOff?: MqttPhaseResult;
  /**
   * Pipeline only: shorter max-rate runs after maxContextOff, in the order off, on, on, off, so the ratio's
   * runs go on, off, off, on, on, off: a machine that gets busier or quieter meanwhile favours neither.
   */
  contextRepeat?: ContextRun[];
}

export interface ContextRun {
  timeContext: 'on' | 'off';
  run: MqttPhaseResult;
}

/** The order of the repeat runs after `max` (on) and `maxContextOff` (off). */
export const CONTEXT_REPEAT_ORDER = ['off', 'on', 'on', 'off'] as const;

export interface BenchReport {
  machine: MachineInfo & { loadAtEnd?: number[] };
  command: string;
  options: Record<string, unknown>;
  scoring?: ScoringPhaseResult;
  predict?: PredictPhaseResult;
  relay?: MqttPair;
  pipeline?: MqttPair;
  scale?: ScaleReport;
  context?: ContextPhaseResult;
  ratios?: Record<string, number>;
  references: typeof REFERENCES;
  durationSeconds?: number;
}

/** Every ratio the figures at hand allow; rates are medians of per-second rates. */
export function ratios(r: BenchReport): Record<string, number> {
  const out: Record<string, number> = {};
  const put = (name: string, a: number | undefined, b: number | undefined) => {
    if (a !== undefined && b !== undefined && b > 0) out[name] = round(a / b, 3);
  };
  put('predictVsFlask', r.predict?.medianRate, REFERENCES.flaskPredictPerSec);
  put('pipelineMaxVsRelayMax', r.pipeline?.max?.medianRate, r.relay?.max?.medianRate);
  put('relayMaxVsAedesReference', r.relay?.max?.medianRate, REFERENCES.aedesRelayQos1PerSec);
  put('pipelineMaxVsTarget', r.pipeline?.max?.medianRate, REFERENCES.pipelineTargetPerSec);
  put('pipelineMaxVsAedesReference', r.pipeline?.max?.medianRate, REFERENCES.aedesRelayQos1PerSec);
  put('pipelineFixedP50VsRelayFixedP50', r.pipeline?.fixed?.latency.p50, r.relay?.fixed?.latency.p50);
  put('pipelineMaxContextOnVsOff', ...contextRates(r.pipeline));
  put('detectorContextOnVsOff', r.context?.on.perSec, r.context?.off.perSec);
  return out;
}

/**
 * Issue 9's pipeline ratio: on / off at max rate, each side the median of the per-second rates of all its
 * runs pooled (a second stalled by something else on the machine moves a median of many seconds little);
 * without the repeat runs, from max and maxContextOff alone.
 */
function contextRates(p: MqttPair | undefined): [number | undefined, number | undefined] {
  if (p?.max === undefined || p.maxContextOff === undefined) return [undefined, undefined];
  const repeats = p.contextRepeat ?? [];
  const pooled = (first: MqttPhaseResult, mode: ContextRun['timeContext']): number =>
    repeats.length === 0 ? first.medianRate : median([first, ...repeats.filter((r) => r.timeContext === mode).map((r) => r.run)].flatMap((run) => run.perSecond));
  return [pooled(p.max, 'on'), pooled(p.maxContextOff, 'off')];
}

type Row = [string, string, string, string, string, string];
const HEADER: Row = ['measurement', 'rate /s', 'p50 ms', 'p99 ms', 'cpu srv/gen/all', 'notes'];

export function table(r: BenchReport): string {
  const rows: Row[] = [];
  const s = r.scoring;
  if (s) {
    rows.push(['scoring: native compiled', int(s.compiledPerSec), '', '', '', `x${fix(s.compiledVsUncompiled, 1)} uncompiled, x${fix(s.compiledVsMl, 1)} ml-isolation-forest`]);
    rows.push(['scoring: native batch', int(s.batchPerSec), '', '', '', 'scoreBatch over a flat array']);
    rows.push(['scoring: native uncompiled', int(s.uncompiledPerSec), '', '', '', `x${fix(s.uncompiledVsMl, 1)} ml-isolation-forest`]);
    rows.push(['scoring: ml-isolation-forest', int(s.mlPerSec), '', '', '', 'the library\'s own predict()']);
    rows.push([`training: ${s.trees} trees, psi=${s.sampleSize}`, '', '', '', '', `grow+compile ${fix(s.trainMs, 1)} ms; trainModel ${fix(s.trainModelMs, 1)} ms; ml engine ${fix(s.mlTrainMs, 1)} ms`]);
  }
  const p = r.predict;
  if (p) {
    const bad = p.errors + p.timeouts + p.non2xx;
    rows.push(['POST /predict (autocannon)', int(p.medianRate), wholeMs(p.latency.p50), wholeMs(p.latency.p99), cpu(p.serverCpu, p.cpu, p.machineCpu), `x${int(r.ratios?.predictVsFlask ?? NaN)} Flask (29/s); ${int(p.requests)} ok, ${bad} failed`]);
  }
  mqttRows(rows, 'relay', r.relay);
  mqttRows(rows, 'pipeline', r.pipeline);
  if (r.context) contextRows(rows, r.context);
  const q = r.ratios ?? {};
  if (q.detectorContextOnVsOff !== undefined) rows.push(['detector context on / off', fix(q.detectorContextOnVsOff, 2), '', '', '', 'the detector alone, same stream, medians']);
  if (q.pipelineMaxContextOnVsOff !== undefined) {
    const repeats = r.pipeline?.contextRepeat ?? [];
    const order = repeats.length === 0 ? 'one run each' : `per-second medians of runs in the order ${['on', 'off', ...repeats.map((x) => x.timeContext)].join(', ')}`;
    rows.push(['pipeline max context on / off', fix(q.pipelineMaxContextOnVsOff, 2), '', '', '', `issue 9 target >= 0.9; ${order}`]);
  }
  if (q.pipelineMaxVsRelayMax !== undefined) {
    rows.push(['pipeline max / relay max', fix(q.pipelineMaxVsRelayMax, 2), '', '', '', `target ~0.5; pipeline / 19k target: ${fix(q.pipelineMaxVsTarget ?? NaN, 2)}`]);
  }
  if (q.relayMaxVsAedesReference !== undefined) {
    rows.push(['relay max / aedes 38k ref', fix(q.relayMaxVsAedesReference, 2), '', '', '', 'reference: aedes 1.2, QoS 1, one hop, 2 cores']);
  }
  return format([HEADER, ...rows]);
}

function mqttRows(rows: Row[], name: string, pair: MqttPair | undefined): void {
  const runs: Array<readonly [string, MqttPhaseResult | undefined]> = [
    [`${name}: fixed ${int(pair?.fixed?.sendRate ?? NaN)}/s sent`, pair?.fixed],
    [`${name}: max rate`, pair?.max],
    [`${name}: max rate, TIME_CONTEXT=false`, pair?.maxContextOff],
    ...(pair?.contextRepeat ?? []).map((r, i) => [`${name}: max rate, TIME_CONTEXT=${r.timeContext === 'on'}, repeat ${i + 1}`, r.run] as const),
  ];
  for (const [label, m] of runs) {
    if (!m) continue;
    const lost = m.missing === 0 ? 'all received' : `${m.missing} MISSING`;
    rows.push([label, int(m.medianRate), fix(m.latency.p50, 2), fix(m.latency.p99, 2), cpu(m.serverCpu, m.cpu, m.machineCpu), `${int(m.sent)} sent, ${lost}, ${m.duplicates} dup, ${m.anomalies} anomalies`]);
  }
}

function contextRows(rows: Row[], c: ContextPhaseResult): void {
  for (const [mode, m] of [['true', c.on], ['false', c.off]] as const) {
    const runs = `median of ${m.runs.map(int).join(', ')}`;
    rows.push([`detector, TIME_CONTEXT=${mode}`, int(m.perSec), '', '', '', `${runs}; ${int(c.readings)} readings, ${c.devices} devices; ${int(m.anomalies)} flagged; ${m.gcsPerPass} GCs/pass`]);
  }
  for (const [mode, m] of [['true', c.on], ['false', c.off]] as const) {
    const b = m.measuredBytesPerDevice;
    const heap = b === undefined || !('devices' in c.memory) ? 'not measured (no gc)' : `measured ${int(b.total)} B (heap ${int(b.heapUsed)} + buffers ${int(b.arrayBuffers)}, ${int(c.memory.devices)} devices)`;
    const a = m.allocation;
    const allocated = a === undefined ? '' : `; ${int(a.bytesPerReading)} B allocated per healthy reading (median of ${a.chunks} chunks without GC, ${int(a.range[0])}-${int(a.range[1])})`;
    rows.push([`memory per device, TIME_CONTEXT=${mode}`, '', '', '', '', `state ${int(m.stateBytesPerDevice)} B typed arrays; ${heap}${allocated}`]);
  }
}

function format(rows: Row[]): string {
  const widths = HEADER.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const line = (row: Row) => row.map((cell, i) => (i === 0 || i === 5 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(rows[0]!), rule, ...rows.slice(1).map(line)].join('\n');
}

const int = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '-');
const fix = (x: number, digits: number) => (Number.isFinite(x) ? x.toFixed(digits) : '-');
/** autocannon's latencies are whole milliseconds: 0 means under 1 ms. */
const wholeMs = (x: number) => (x === 0 ? '<1' : fix(x, 0));
const cpu = (server: number, load: number, all: number) => `${fix(server, 1)}/${fix(load, 1)}/${fix(all, 1)}`;
