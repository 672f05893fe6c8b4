import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { readCsvFile } from '../../../src/adapters/files/csv-file.js';
import { recordedRows } from '../../../src/adapters/files/recorded.js';
import { runDevice } from './run-device.js';

/**
 * NAB's rules (its README): every series is a device learning during its probationary period (the first
 * 15 %, at most 750 rows) and causal after it; one row of output per input row. A row's anomaly_score is
 * the score of the incident event it caused (opened, or updated with new evidence), else 0: the product
 * alerts on incidents, and NAB counts every row above its threshold as a detection.
 */
export function probationOf(rows: number): number {
  return Math.min(Math.floor(0.15 * rows), 750);
}

export async function runNab(dataDir: string, outDir: string, name: string, env: Record<string, string>, progress: (done: number, total: number) => void): Promise<{ series: number; rows: number; files: string[] }> {
  const series = csvFilesUnder(dataDir);
  if (series.length === 0) throw new Error(`${dataDir}: no .csv series under it`);
  let rows = 0;
  const written: string[] = [];
  for (const [i, path] of series.entries()) {
    const table = await readCsvFile(path);
    const recorded = recordedRows(table, { timeColumn: 'timestamp', map: new Map([['value', 'value']]) });
    const probation = probationOf(recorded.length);
    const outcomes = runDevice({ ...env, SENSORS: 'value' }, basename(path, '.csv'), recorded, Math.max(16, probation));
    const lines = ['timestamp,value,anomaly_score,label'];
    table.rows.forEach((row, r) => {
      const incident = outcomes[r]!.incident;
      const alert = r >= probation && incident !== undefined && (incident.state === 'opened' || incident.state === 'updated');
      const score = alert ? (outcomes[r]!.prediction?.anomaly_score ?? 0) : 0;
      lines.push(`${row.cells[0]},${row.cells[1]},${score},0`);
    });
    const category = relative(dataDir, dirname(path));
    const file = join(outDir, name, category, `${name}_${basename(path)}`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${lines.join('\n')}\n`);
    written.push(file);
    rows += recorded.length;
    progress(i + 1, series.length);
  }
  return { series: series.length, rows, files: written };
}

function csvFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...csvFilesUnder(path));
    else if (entry.endsWith('.csv')) out.push(path);
  }
  return out;
}
