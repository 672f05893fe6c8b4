/**
 * A small CSV reader for numeric tables (training readings, labelled
 * datasets, historian exports): a header row, comma (or another) separators,
 * optional double quotes, no newlines inside fields. Errors give the source,
 * line number and column.
 */

export interface CsvTable {
  readonly source: string;
  readonly header: readonly string[];
  /** Data rows, each with its 1-based line number in the file. */
  readonly rows: readonly { readonly line: number; readonly cells: readonly string[] }[];
}

export function splitCsvLine(line: string, delimiter = ','): string[] {
  if (!line.includes('"')) return line.split(delimiter).map((c) => c.trim());
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      cells.push(cell.trim());
      cell = '';
    } else cell += ch;
  }
  cells.push(cell.trim());
  return cells;
}

/**
 * `delimiter` defaults to a comma, or a semicolon when the header has semicolons and no commas
 * (European exports, SKAB).
 */
export function parseCsv(text: string, source: string, delimiter?: string): CsvTable {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const headerLine = lines.findIndex((l) => l.trim() !== '');
  if (headerLine < 0) throw new Error(`${source}: empty file (a header row is expected)`);
  const first = lines[headerLine]!;
  const sep = delimiter ?? (first.includes(';') && !first.includes(',') ? ';' : ',');
  const header = splitCsvLine(first, sep);
  const rows: { line: number; cells: string[] }[] = [];
  for (let i = headerLine + 1; i < lines.length; i++) {
    const text = lines[i]!;
    if (text.trim() === '') continue;
    const cells = splitCsvLine(text, sep);
    if (cells.length !== header.length) {
      throw new Error(`${source}: line ${i + 1} has ${cells.length} cells, the header has ${header.length}`);
    }
    rows.push({ line: i + 1, cells });
  }
  if (rows.length === 0) throw new Error(`${source}: no data rows after the header`);
  return { source, header, rows };
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function parseNumberCell(cell: string, table: CsvTable, line: number, column: string): number {
  const value = NUMBER.test(cell) ? Number(cell) : NaN;
  if (!Number.isFinite(value)) {
    throw new Error(`${table.source}: line ${line}, column "${column}": ${JSON.stringify(cell)} is not a finite number`);
  }
  return value;
}

/** The named columns as numbers, in the order asked for. */
export function numericColumns(table: CsvTable, columns: readonly string[]): number[][] {
  const positions = columns.map((name) => {
    const at = table.header.indexOf(name);
    if (at < 0) throw new Error(`${table.source}: no column "${name}" (columns: ${table.header.join(', ')})`);
    return at;
  });
  return table.rows.map(({ line, cells }) => positions.map((at, j) => parseNumberCell(cells[at]!, table, line, columns[j]!)));
}

export interface LabelledData {
  readonly labels: Uint8Array;
  readonly rows: number[][];
  readonly features: readonly string[];
}

/** A labelled dataset: header `label,v1,...,vN`, label 1 = outlier, 0 = inlier. */
export function labelledData(table: CsvTable): LabelledData {
  if (table.header[0] !== 'label') {
    throw new Error(`${table.source}: the first column must be "label" (got "${table.header[0]}")`);
  }
  const features = table.header.slice(1);
  if (features.length === 0) throw new Error(`${table.source}: no feature columns after "label"`);
  const labels = Uint8Array.from(table.rows, ({ line, cells }) => {
    if (cells[0] !== '0' && cells[0] !== '1') {
      throw new Error(`${table.source}: line ${line}, column "label": ${JSON.stringify(cells[0])} is not 0 or 1`);
    }
    return Number(cells[0]);
  });
  return { labels, rows: numericColumns(table, features), features };
}
