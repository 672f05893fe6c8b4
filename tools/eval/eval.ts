/**
 * Quality harness: `npm run -s eval -- --data <file.csv> [--engine] [--seeds] [--trees] [--sample] [--seed]`.
 * Fits on every row of a labelled CSV (header label,v1..vN; 1 = outlier),
 * scores every row and reports ROC AUC over several seeds. The last line is JSON.
 */
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import type { EngineName } from '../../src/core/model/index.js';
import { progressEnabled } from '../../src/app/progress-mode.js';
import { createProgress } from '../../src/support/progress.js';

const USAGE = `Usage: npm run -s eval -- --data <file.csv> [options]

  --data <file>       labelled CSV: header label,v1,...,vN; label 1 = outlier (required)
  --engine <name>     native | ml-isolation-forest (default native)
  --seeds <n>         number of runs, with seeds seed, seed+1, ... (default 5)
  --seed <n>          first seed (default 1)
  --trees <n>         trees per forest (default 100)
  --sample <n>        subsample size ψ (default 256)
  --help              show this help

Prints a table, then as the last line:
{"dataset": ..., "engine": ..., "auc_mean": ..., "auc_sd": ..., "seeds": ..., "fit_ms": ..., "score_us_per_row": ...}`;

class UsageError extends Error {}

function integer(name: string, text: string | undefined, fallback: number, min: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min) {
    throw new UsageError(`--${name} must be an integer >= ${min}, got ${JSON.stringify(text)}`);
  }
  return value;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      engine: { type: 'string' },
      seeds: { type: 'string' },
      seed: { type: 'string' },
      trees: { type: 'string' },
      sample: { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (values.data === undefined) throw new UsageError('--data is required');
  // Loaded once the flags are read, so --help answers at once.
  const [{ ENGINES }, { labelledData }, { readCsvFile }, { evalJsonLine, evaluate }] = await Promise.all([
    import('../../src/core/model/index.js'),
    import('../../src/adapters/files/csv.js'),
    import('../../src/adapters/files/csv-file.js'),
    import('./evaluate.js'),
  ]);
  const engine = (values.engine ?? 'native') as EngineName;
  if (!ENGINES.includes(engine)) throw new UsageError(`--engine must be ${ENGINES.join(' or ')}, got ${JSON.stringify(values.engine)}`);
  const seeds = integer('seeds', values.seeds, 5, 1);
  const seed = integer('seed', values.seed, 1, -(2 ** 31));
  const trees = integer('trees', values.trees, 100, 1);
  const sampleSize = integer('sample', values.sample, 256, 1);

  const data = labelledData(await readCsvFile(values.data));
  const dataset = basename(values.data).replace(/\.csv$/i, '');
  const outliers = data.labels.reduce((a, b) => a + b, 0);
  console.log(`${dataset}: ${data.rows.length} rows x ${data.features.length} features, ${outliers} outliers`);
  console.log(`engine ${engine}, ${trees} trees, ψ = ${Math.min(sampleSize, data.rows.length)}, seeds ${seed}..${seed + seeds - 1}`);

  // A live line on a terminal (each run fits and scores every row); nothing in a pipe or CI.
  const progress = createProgress({ stream: process.stderr, enabled: progressEnabled(process.stderr), label: `${dataset}: fitting and scoring`, total: seeds, unit: 'runs' });
  progress.update(0);
  const result = evaluate(data.rows, data.labels, { engine, trees, sampleSize, seed, seeds, onRun: (done) => progress.update(done) });
  progress.finish();
  console.log('seed        AUC   fit ms  score µs/row');
  for (const run of result.runs) {
    const perRow = (run.scoreMs * 1000) / data.rows.length;
    console.log(`${String(run.seed).padEnd(6)} ${run.auc.toFixed(4).padStart(8)} ${run.fitMs.toFixed(1).padStart(8)} ${perRow.toFixed(3).padStart(13)}`);
  }
  console.log(`mean   ${result.aucMean.toFixed(4).padStart(8)} ± ${result.aucSd.toFixed(4)}`);
  console.log(evalJsonLine(dataset, engine, seeds, result));
}

main().catch((err: unknown) => {
  const usage = err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
  console.error(`eval: ${(err as Error).message}${usage ? '\n\n' + USAGE : ''}`);
  process.exitCode = 2;
});
