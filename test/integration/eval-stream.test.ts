/**
 * `eval:stream --protocol skab` as the benchmark tool runs (issue 8, part 4), on a tiny SKAB-shaped folder
 * made here (two runs of a pump, 480 rows each: 400 to learn from, 80 judged, a fault in them): the JSON
 * line comes last with the benchmark's figures, and `--via-mqtt`, the same run through a real broker and
 * worker fed by the replay tool, gets the same verdicts and so the same figures.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/broker-auth.js';
import { createResources } from '../helpers/mqtt.js';
import { runNode } from '../helpers/processes.js';
import { PUMP_START, pumpRows, writeSkabCsv } from '../helpers/pump.js';

const EVAL_STREAM = ['--import', 'tsx', 'tools/eval/eval-stream.ts', '--protocol', 'skab'];
const FIGURES = ['f1', 'far', 'mar', 'tp', 'fp', 'fn', 'tn'] as const;
type Figures = Record<(typeof FIGURES)[number], number>;
const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;

describe('eval:stream on a SKAB-shaped folder', () => {
  const files = createResources();
  const resources = createResources();
  afterEach(() => resources.closeAll());
  afterAll(() => files.closeAll());
  let data: string;

  beforeAll(() => {
    data = join(tempDir(files, 'eval-stream-'), 'valve1');
    mkdirSync(data);
    writeSkabCsv(data, '0.csv', pumpRows(480, { seed: 21, fault: { from: 430, to: 460, sd: 6 } }));
    writeSkabCsv(data, '1.csv', pumpRows(480, { seed: 22, start: PUMP_START + 86_400_000, fault: { from: 420, to: 450, sd: 5 } }));
  });

  it('when run offline, then the last line is JSON with F1, FAR and MAR over the judged rows of every file', async () => {
    const run = await runNode(resources, [...EVAL_STREAM, '--data', data], { CI: 'true' });
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    const result = lastJson(run.stdout) as Figures & { files: number; rows: number; per_file: Record<string, unknown> };
    expect(result).toMatchObject({ protocol: 'skab', files: 2, rows: 160 });
    expect(result.tp + result.fp + result.fn + result.tn).toBe(160);
    expect(result.tp).toBeGreaterThan(0); // the faults are found
    // As SKAB defines them (tools/eval/stream/skab.ts).
    expect(result.f1).toBeCloseTo(result.tp / (result.tp + (result.fp + result.fn) / 2), 3);
    expect(result.far).toBeCloseTo((result.fp / (result.fp + result.tn)) * 100, 2);
    expect(result.mar).toBeCloseTo((result.fn / (result.fn + result.tp)) * 100, 2);
    expect(Object.keys(result.per_file)).toEqual(['0.csv', '1.csv']);
  }, 40_000);

  it('when run --via-mqtt, then every row gets the offline verdict and the figures are the same', async () => {
    const [offline, online] = await Promise.all([
      runNode(resources, [...EVAL_STREAM, '--data', data], { CI: 'true' }),
      runNode(resources, [...EVAL_STREAM, '--data', data, '--via-mqtt'], { CI: 'true' }, 60_000),
    ]);
    expect({ code: online.code, stderr: online.stderr }).toEqual({ code: 0, stderr: '' });
    const result = lastJson(online.stdout);
    expect(result).toMatchObject({ protocol: 'skab', equal: true, differences: 0, files: 2, rows: 960 });
    const pick = (r: Record<string, unknown>) => Object.fromEntries(FIGURES.map((k) => [k, r[k]]));
    expect(pick(result)).toEqual(pick(lastJson(offline.stdout)));
  }, 60_000);
});
