import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { readCsvFile } from '../../../src/adapters/files/csv-file.js';
import { recordedRows } from '../../../src/adapters/files/recorded.js';
import { runDevice, type RowOutcome } from './run-device.js';

/**
 * SKAB's outlier-detection protocol (its SOURCE.md): every file is a device whose model learns from its
 * first 400 rows; every later row gets a verdict; counts are summed over all files. The verdict is the
 * device having an open incident after the row (`prediction.incident_id`), which is what an operator sees.
 */
export const SKAB_TRAINING_ROWS = 400;
const LABELS = ['anomaly', 'changepoint'];

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

export interface SkabFile extends Counts {
  file: string;
  rows: number;
}

export async function runSkab(dir: string, env: Record<string, string>, progress: (done: number, total: number) => void): Promise<{ files: SkabFile[]; total: Counts; sensors: string[] }> {
  const names = readdirSync(dir)
    .filter((f) => f.endsWith('.csv'))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  if (names.length === 0) throw new Error(`${dir}: no .csv files`);
  const files: SkabFile[] = [];
  let sensors: string[] = [];
  for (const [i, name] of names.entries()) {
    const table = await readCsvFile(join(dir, name), { delimiter: ';' });
    sensors = table.header.filter((h) => h !== 'datetime' && !LABELS.includes(h));
    const labelIndex = table.header.indexOf('anomaly');
    if (labelIndex < 0) throw new Error(`${name}: no anomaly column`);
    const rows = recordedRows(table, { timeColumn: 'datetime', exclude: LABELS });
    const outcomes = runDevice({ ...env, SENSORS: sensors.join(',') }, basename(name, '.csv'), rows, SKAB_TRAINING_ROWS);
    const truth = table.rows.map((row) => Number(row.cells[labelIndex]) === 1);
    files.push(skabCounts(name, truth, outcomes.map(skabVerdict)));
    progress(i + 1, names.length);
  }
  return { files, total: sumCounts(files), sensors };
}

/** A row's verdict: its device has an open incident after it. */
export function skabVerdict(outcome: RowOutcome): boolean {
  return outcome.prediction?.incident_id !== undefined;
}

/** One file's counts over the rows after the training rows, from each row's label and verdict. */
export function skabCounts(file: string, truth: readonly boolean[], verdicts: readonly boolean[]): SkabFile {
  const counts: SkabFile = { file, rows: 0, tp: 0, fp: 0, fn: 0, tn: 0 };
  for (let r = SKAB_TRAINING_ROWS; r < truth.length; r++) {
    const t = truth[r]!;
    const v = verdicts[r]!;
    counts.rows += 1;
    if (t && v) counts.tp += 1;
    else if (!t && v) counts.fp += 1;
    else if (t) counts.fn += 1;
    else counts.tn += 1;
  }
  return counts;
}

export function sumCounts(files: readonly Counts[]): Counts {
  return files.reduce((a, f) => ({ tp: a.tp + f.tp, fp: a.fp + f.fp, fn: a.fn + f.fn, tn: a.tn + f.tn }), { tp: 0, fp: 0, fn: 0, tn: 0 });
}

/** As the benchmark defines them: F1 = TP / (TP + (FP + FN) / 2), FAR = FP / (FP + TN) × 100, MAR = FN / (FN + TP) × 100. */
export function skabScores(c: Counts): { f1: number; far: number; mar: number } {
  const f1 = c.tp / (c.tp + (c.fp + c.fn) / 2);
  const far = (c.fp / (c.fp + c.tn)) * 100;
  const mar = (c.fn / (c.fn + c.tp)) * 100;
  return { f1: round(f1, 3), far: round(far, 2), mar: round(mar, 2) };
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Number.isFinite(x) ? Math.round(x * f) / f : 0;
}
