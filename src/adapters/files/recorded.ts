import type { CsvTable } from './csv.js';
import { eventTime } from '../../core/reading.js';

/**
 * Recorded readings from a table (a historian export, a benchmark file): each
 * row's event time from a time column, and a reading object with one field
 * per mapped column. Shared by `replay`, `train` and `eval stream`.
 */
export interface RecordedOptions {
  /** The time column (e.g. `datetime`, `timestamp`); absent = rows one second apart from 0. */
  readonly timeColumn?: string | undefined;
  /** `column=field` pairs; unmapped numeric columns keep their names, except the time column and `exclude`. */
  readonly map?: ReadonlyMap<string, string>;
  /** Columns that are not readings (labels). */
  readonly exclude?: readonly string[];
}

export interface RecordedRow {
  readonly line: number;
  /** Event time, epoch ms. */
  readonly t: number;
  /** The reading as a device would publish it: `timestamp` (ISO) and one number per field. */
  readonly reading: Record<string, unknown>;
}

/** Time cells like `2020-03-09 10:14:33` (no T, no zone) are read as UTC, like timestamps without a zone. */
export function parseTimeCell(cell: string): number | undefined {
  const iso = /^\d{4}-\d{2}-\d{2} \d/.test(cell) ? cell.replace(' ', 'T') : cell;
  const numeric = /^\d+$/.test(cell) ? Number(cell) : iso;
  const t = eventTime(numeric);
  return typeof t === 'number' ? t : undefined;
}

export function recordedRows(table: CsvTable, options: RecordedOptions = {}): RecordedRow[] {
  const timeIndex = options.timeColumn === undefined ? -1 : table.header.indexOf(options.timeColumn);
  if (options.timeColumn !== undefined && timeIndex < 0) {
    throw new Error(`${table.source}: no column ${JSON.stringify(options.timeColumn)} (columns: ${table.header.join(', ')})`);
  }
  for (const column of options.map?.keys() ?? []) {
    if (!table.header.includes(column)) throw new Error(`${table.source}: --map names column ${JSON.stringify(column)}, which the file does not have`);
  }
  const excluded = new Set(options.exclude ?? []);
  const columns = table.header.flatMap((name, i) => (i === timeIndex || excluded.has(name) ? [] : [{ i, field: options.map?.get(name) ?? name }]));
  return table.rows.map(({ line, cells }, r) => {
    const t = timeIndex < 0 ? r * 1000 : parseTimeCell(cells[timeIndex]!);
    if (t === undefined) throw new Error(`${table.source}: line ${line}: ${JSON.stringify(cells[timeIndex])} is not a time`);
    const reading: Record<string, unknown> = { timestamp: new Date(t).toISOString() };
    for (const { i, field } of columns) {
      const cell = cells[i]!;
      const value = Number(cell);
      // An empty cell is a missing value; anything else not numeric is sent as it is, for the worker to judge.
      reading[field] = cell === '' ? undefined : Number.isFinite(value) && cell.trim() !== '' ? value : cell;
    }
    return { line, t, reading };
  });
}
