import { readFile } from 'node:fs/promises';
import { parseCsv, type CsvTable } from './csv.js';

/** Reads and parses a CSV file; a missing or unreadable file gives a one-line error naming it. */
export async function readCsvFile(path: string, delimiter?: string): Promise<CsvTable> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(code === 'ENOENT' ? `${path}: file not found` : `${path}: cannot read (${(err as Error).message})`, {
      cause: err,
    });
  }
  return parseCsv(text, path, delimiter);
}
