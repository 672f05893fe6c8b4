/**
 * `npm run -s bench`: scoring speed, POST /predict, the MQTT pipeline, the
 * broker relay baseline and the detector with time context on and off, in one run. Progress goes to stderr; stdout gets the
 * table and, as its last line, one JSON line with every figure.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseBenchArgs, USAGE, UsageError, type BenchOptions } from './cli-options.js';
import { progressEnabled } from '../../src/app/progress-mode.js';
import { createProgress } from '../../src/support/progress.js';
import type { BenchSetup } from './bench-model.js';
import type { LoadPlacement } from './load-task.js';
import type { MqttPhaseOptions } from './pipeline.js';
import type { BenchReport } from './report.js';

// What runs now, with its elapsed time, on a terminal; nothing in a pipe or CI (the table and the JSON line are the output).
const live = createProgress({ stream: process.stderr, enabled: progressEnabled(process.stderr), label: 'bench' });
const ticker = setInterval(() => live.update(0), 1000).unref();
const progress = (message: string) => live.phase(`[bench] ${message}`);

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const options = parseBenchArgs(args);
  if (options.help) {
    console.log(USAGE);
    return;
  }
  // Loaded once the flags are known good, so --help and a bad flag answer at once.
  const [{ benchDetector, trainBenchSetup }, { loadNow, machineInfo }, { measurePipeline, measureRelay }, { measurePredict }, { CONTEXT_REPEAT_ORDER, ratios, REFERENCES, table }, { measureScoring }] =
    await Promise.all([
      import('./bench-model.js'),
      import('./machine.js'),
      import('./pipeline.js'),
      import('./predict.js'),
      import('./report.js'),
      import('./scoring-phase.js'),
    ]);
  const started = performance.now();
  const placement = loadPlacement(options);
  const report: BenchReport = {
    machine: machineInfo(),
    command: ['npm run -s bench', ...(args.length > 0 ? ['--', ...args] : [])].join(' '),
    options: { ...options, phases: [...options.phases], help: undefined },
    references: REFERENCES,
  };
  progress(`${report.machine.cores} cores, ${report.machine.cpuModel}, Node ${report.machine.node}, load ${report.machine.loadAtStart.join(' ')}`);

  if (options.phases.has('scoring')) {
    progress('scoring: compiled vs uncompiled vs ml-isolation-forest, training time');
    report.scoring = measureScoring(options.quick);
  }
  // The models `npm start` trains with TIME_CONTEXT on (the default) and off; each trained once, when first needed.
  const setups: Partial<Record<'on' | 'off', BenchSetup>> = {};
  const setup = (mode: 'on' | 'off'): BenchSetup => (setups[mode] ??= trainBenchSetup(mode === 'on' ? {} : { TIME_CONTEXT: 'false' }));
  const load = { seconds: options.seconds, warmupSeconds: options.warmupSeconds, placement };

  if (options.phases.has('predict')) {
    progress(`predict: autocannon, ${options.connections} connections, ${options.warmupSeconds}+${options.seconds} s`);
    report.predict = await measurePredict(setup('on').model, { ...load, connections: options.connections });
  }
  const fixed: MqttPhaseOptions = { ...load, mode: { kind: 'fixed', rate: options.rate } };
  const max: MqttPhaseOptions = { ...load, mode: { kind: 'max', window: options.window } };
  if (options.phases.has('relay')) {
    progress(`relay: fixed ${options.rate}/s, then max rate (window ${options.window}), ${options.warmupSeconds}+${options.seconds} s each`);
    report.relay = { fixed: await measureRelay(fixed), max: await measureRelay(max) };
  }
  if (options.phases.has('pipeline')) {
    progress(`pipeline: fixed ${options.rate}/s, max rate (window ${options.window}), then TIME_CONTEXT off and ${CONTEXT_REPEAT_ORDER.join(', ')} at max rate`);
    const setups = { on: setup('on'), off: setup('off') };
    const repeat: MqttPhaseOptions = { ...max, seconds: Math.max(1, Math.round(options.seconds / 2)) };
    report.pipeline = {
      fixed: await measurePipeline(() => benchDetector(setups.on), fixed),
      max: await measurePipeline(() => benchDetector(setups.on), max),
      maxContextOff: await measurePipeline(() => benchDetector(setups.off), max),
      contextRepeat: [],
    };
    for (const mode of CONTEXT_REPEAT_ORDER) report.pipeline.contextRepeat!.push({ timeContext: mode, run: await measurePipeline(() => benchDetector(setups[mode]), repeat) });
  }
  if (options.phases.has('context')) {
    progress('context: the detector alone, TIME_CONTEXT on vs off, alternating; memory per device state');
    const { measureContext } = await import('./context-phase.js');
    report.context = await measureContext(setup('on'), setup('off'), options.quick);
  }

  if (options.phases.has('scale')) {
    const { measureScale } = await import('./scale.js');
    report.scale = await measureScale({ workers: [1, 2, 3], mode: max.mode, seconds: options.seconds, warmupSeconds: options.warmupSeconds, placement, progress });
  }

  report.ratios = ratios(report);
  report.machine.loadAtEnd = loadNow();
  report.durationSeconds = Math.round((performance.now() - started) / 100) / 10;
  clearInterval(ticker);
  live.finish();
  console.log(table(report));
  if (report.scale) console.log(`\n${(await import('./scale.js')).scaleTable(report.scale)}`);
  console.log(JSON.stringify(report));
}

/** The child entry sits next to this file; fork() passes tsx's loader on to it. */
function loadPlacement(options: BenchOptions): LoadPlacement {
  if (options.load === 'inline') return { kind: 'inline' };
  const script = join(dirname(fileURLToPath(import.meta.url)), 'load-child.ts');
  if (!existsSync(script)) throw new Error(`load generator entry not found at ${script}; run through \`npm run -s bench\``);
  return { kind: 'child', script };
}

main().catch((err: unknown) => {
  if (err instanceof UsageError) {
    console.error(`bench: ${err.message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  console.error(err);
  process.exitCode = 1;
});
