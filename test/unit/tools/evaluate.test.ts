import { readCsvFile } from '../../../src/adapters/files/csv-file.js';
import { labelledData } from '../../../src/adapters/files/csv.js';
import { evalJsonLine, evaluate } from '../../../tools/eval/evaluate.js';
import { ENGINE_NAMES } from '../core/model/data.js';

// test/fixtures/eval-small.csv: 300 seeded synthetic rows (285 inliers in two clusters, 15 uniform outliers),
// written by test/fixtures/make-eval-small.ts. Measured AUC ~0.94 for both engines.
const FIXTURE = 'test/fixtures/eval-small.csv';

describe('evaluate on the shipped fixture', () => {
  it.each(ENGINE_NAMES)('when %s is evaluated over 3 seeds, then the mean AUC is in the expected band', async (engine) => {
    const data = labelledData(await readCsvFile(FIXTURE));
    expect(data.rows).toHaveLength(300);
    const result = evaluate(data.rows, data.labels, { engine, trees: 100, sampleSize: 256, seed: 1, seeds: 3 });
    expect(result.runs.map((r) => r.seed)).toEqual([1, 2, 3]);
    expect(result.aucMean).toBeGreaterThan(0.88);
    expect(result.aucMean).toBeLessThan(0.99);
    expect(result.aucSd).toBeGreaterThan(0);
    expect(result.aucSd).toBeLessThan(0.05);
  });

  it('when the labels are shuffled, then the AUC falls to chance (the score does not see the labels)', async () => {
    const data = labelledData(await readCsvFile(FIXTURE));
    const shuffled = Uint8Array.from(data.labels, (_, i) => data.labels[(i * 7 + 3) % data.labels.length]!);
    const result = evaluate(data.rows, shuffled, { engine: 'native', trees: 50, sampleSize: 256, seed: 1, seeds: 2 });
    expect(Math.abs(result.aucMean - 0.5)).toBeLessThan(0.15);
  });

  it('when timed with a fake clock, then fit and score times are medians and per row', () => {
    let now = 0;
    // Three clock reads per run (start, after fit, after scoring): run 1 fits in 2 and scores in 30, run 2 in 20 and 5, run 3 in 0.
    const steps = [10, 2, 30, 2, 20, 5];
    const clock = () => (now += steps.shift() ?? 0);
    const rows = Array.from({ length: 100 }, (_, i) => [i % 10, i % 7]);
    const labels = rows.map((_, i) => (i < 5 ? 1 : 0));
    const result = evaluate(rows, labels, { engine: 'native', trees: 10, sampleSize: 64, seed: 1, seeds: 3, clock });
    expect(result.runs.map((r) => [r.fitMs, r.scoreMs])).toEqual([
      [2, 30],
      [20, 5],
      [0, 0],
    ]);
    expect(result.fitMs).toBe(2);
    expect(result.scoreUsPerRow).toBeCloseTo((5 * 1000) / 100, 12);
  });
});

describe('evalJsonLine', () => {
  it('when formatted, then it is JSON with the documented keys in order', () => {
    const line = evalJsonLine('breastw', 'native', 5, {
      runs: [],
      aucMean: 0.987654,
      aucSd: 0.00123,
      fitMs: 12.3456,
      scoreUsPerRow: 0.98765,
    });
    expect(line).toBe(
      '{"dataset": "breastw", "engine": "native", "auc_mean": 0.9877, "auc_sd": 0.0012, "seeds": 5, "fit_ms": 12.35, "score_us_per_row": 0.988}',
    );
    expect(Object.keys(JSON.parse(line))).toEqual(['dataset', 'engine', 'auc_mean', 'auc_sd', 'seeds', 'fit_ms', 'score_us_per_row']);
  });
});
