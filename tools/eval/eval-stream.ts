/**
 * `npm run -s eval:stream -- --protocol skab|nab --data <dir> [...]`: runs recorded machines through the
 * worker's own detector, offline and fast, under a benchmark's protocol; the JSON line comes last.
 *   skab: F1, FAR, MAR summed over all files, and per file.
 *   nab:  writes NAB result files (--out, --name) to score with NAB's scorer (--score <score.sh> runs it).
 * The detector settings are the profile's (tools/eval/profiles/<protocol>.env; --profile another), one set
 * for every file; the environment may not override them, so a run always measures the stated profile.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readEnvFile } from './stream/env-file.js';
import { runNab } from './stream/nab.js';
import { runSkab, skabScores } from './stream/skab.js';
import { createProgress } from './stream/progress.js';

const USAGE = `Usage: npm run -s eval:stream -- --protocol skab|nab --data <dir> [options]

  --protocol skab|nab   the benchmark's protocol
  --data <dir>          skab: a folder of SKAB CSV files (e.g. ../shared/datasets/skab-valve1)
                        nab: NAB's data folder (e.g. ../shared/nab/data)
  --profile <file>      detector settings (default tools/eval/profiles/<protocol>.env)
  --out <dir>           nab: where result files go (default ./nab-results)
  --name <name>         nab: detector name in the result files (default factory-anomaly)
  --score <score.sh>    nab: score the result files with NAB's scorer afterwards
  --via-mqtt            the same run through a real broker and worker (see tools/eval/stream/via-mqtt.ts):
                        JSON {"equal","differences",...} against the offline verdicts; skab adds f1, far, mar
  -h, --help            this help`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      protocol: { type: 'string' },
      data: { type: 'string' },
      profile: { type: 'string' },
      out: { type: 'string' },
      name: { type: 'string' },
      score: { type: 'string' },
      'via-mqtt': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.protocol !== 'skab' && values.protocol !== 'nab') return usage('--protocol must be skab or nab');
  if (values.data === undefined) return usage('--data is required');
  const here = dirname(fileURLToPath(import.meta.url));
  const profilePath = values.profile ?? join(here, 'profiles', `${values.protocol}.env`);
  const env = readEnvFile(profilePath);
  const progress = createProgress(process.stderr, values.protocol);
  const began = performance.now();
  if (values['via-mqtt']) {
    const { viaMqtt } = await import('./stream/via-mqtt.js');
    const result = await viaMqtt(values.protocol, values.data, env);
    console.log(JSON.stringify(result));
    return result.equal ? 0 : 1;
  }
  if (values.protocol === 'skab') {
    const { files, total, sensors } = await runSkab(values.data, env, progress);
    progress.done();
    console.log(`SKAB, ${files.length} files, sensors ${sensors.join(', ')}; profile ${profilePath}`);
    for (const f of files) console.log(`  ${f.file.padEnd(8)} F1 ${skabScores(f).f1.toFixed(3)}  FAR ${skabScores(f).far.toFixed(1)}%  MAR ${skabScores(f).mar.toFixed(1)}%`);
    const scores = skabScores(total);
    console.log(`all: F1 ${scores.f1}  FAR ${scores.far}%  MAR ${scores.mar}%  (TP ${total.tp}, FP ${total.fp}, FN ${total.fn}, TN ${total.tn})`);
    const rows = files.reduce((a, f) => a + f.rows, 0);
    const perFile = Object.fromEntries(files.map((f) => [f.file, skabScores(f)]));
    console.log(JSON.stringify({ protocol: 'skab', ...scores, files: files.length, rows, ...total, seconds: secondsSince(began), profile: env, per_file: perFile }));
    return 0;
  }
  const outDir = resolve(values.out ?? 'nab-results');
  const name = values.name ?? 'factory-anomaly';
  const run = await runNab(values.data, outDir, name, env, progress);
  progress.done();
  console.log(`NAB: ${run.series} series, ${run.rows} rows, results in ${join(outDir, name)}; profile ${profilePath}`);
  let scored: Record<string, unknown> = {};
  if (values.score !== undefined) {
    const result = spawnSync('bash', [values.score, outDir, name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    process.stdout.write(result.stdout);
    const last = result.stdout.trim().split('\n').pop() ?? '{}';
    if (result.status !== 0) throw new Error(`the scorer failed (exit ${result.status})`);
    scored = JSON.parse(last) as Record<string, unknown>;
  }
  console.log(JSON.stringify({ protocol: 'nab', series: run.series, rows: run.rows, out: join(outDir, name), seconds: secondsSince(began), ...scored, profile: env }));
  return 0;
}

function usage(problem: string): number {
  console.error(`eval:stream: ${problem}\n\n${USAGE}`);
  return 2;
}

function secondsSince(began: number): number {
  return Math.round((performance.now() - began) / 100) / 10;
}

main().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    console.error(`eval:stream: ${(err as Error).message}`);
    process.exitCode = 1;
  },
);
