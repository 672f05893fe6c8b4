import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { parseCsv, type CsvTable } from './csv.js';

/** Bytes read so far of `total`. */
export type ReadProgress = (read: number, total: number) => void;

/**
 * Reads and parses a CSV file; a missing or unreadable file gives a one-line
 * error naming it. Read in chunks so a big file can report its progress.
 */
export interface ReadCsvOptions {
  /** The separator; a comma, or a semicolon when the header has semicolons and no commas. */
  readonly delimiter?: string | undefined;
  readonly onProgress?: ReadProgress;
}

export async function readCsvFile(path: string, options: ReadCsvOptions = {}): Promise<CsvTable> {
  const { delimiter, onProgress } = options;
  let text: string;
  try {
    const { size } = await stat(path);
    const chunks: Buffer[] = [];
    let read = 0;
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
      chunks.push(chunk as Buffer);
      read += (chunk as Buffer).length;
      onProgress?.(read, size);
    }
    text = Buffer.concat(chunks).toString('utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(code === 'ENOENT' ? `${path}: file not found` : `${path}: cannot read (${(err as Error).message})`, {
      cause: err,
    });
  }
  return parseCsv(text, path, delimiter);
}
