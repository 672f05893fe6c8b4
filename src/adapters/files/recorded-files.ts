import { readdirSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { readCsvFile } from './csv-file.js';
import { recordedRows, type RecordedOptions, type RecordedRow } from './recorded.js';

/** One recorded device: its id and its rows in file order. */
export interface RecordedDevice {
  readonly device: string;
  readonly file: string;
  readonly rows: readonly RecordedRow[];
}

export interface RecordedFilesOptions extends RecordedOptions {
  readonly delimiter?: string | undefined;
  /** A file: the device id (default `replay/<file name>`); a folder: the line its devices go on (default `replay`). */
  readonly device?: string | undefined;
}

/** A CSV file is one device; a folder holds one device per CSV file, on one line, in name order. */
export async function readRecorded(path: string, options: RecordedFilesOptions = {}): Promise<RecordedDevice[]> {
  let folder: boolean;
  try {
    folder = statSync(path).isDirectory();
  } catch {
    throw new Error(`${path}: no such file or folder`);
  }
  const files = folder
    ? readdirSync(path)
        .filter((f) => extname(f).toLowerCase() === '.csv')
        .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
        .map((f) => join(path, f))
    : [path];
  if (files.length === 0) throw new Error(`${path}: no .csv files in this folder`);
  const devices: RecordedDevice[] = [];
  for (const file of files) {
    const name = basename(file, extname(file));
    const device = folder ? `${options.device ?? 'replay'}/${name}` : (options.device ?? `replay/${name}`);
    const table = await readCsvFile(file, { delimiter: options.delimiter });
    devices.push({ device, file, rows: recordedRows(table, options) });
  }
  return devices;
}

/** Every device's rows, merged into event-time order (stable: a device's own order is kept). */
export function mergeByTime(devices: readonly RecordedDevice[]): Array<{ device: string; row: RecordedRow }> {
  const all = devices.flatMap((d) => d.rows.map((row) => ({ device: d.device, row })));
  return all.sort((a, b) => a.row.t - b.row.t);
}
