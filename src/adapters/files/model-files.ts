import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fromModelFile, toModelFile } from '../../core/model/model-file.js';
import type { ForestModel } from '../../core/model/types.js';

let saves = 0;

/** Writes the model as JSON to a temp file next to `path`, then renames it: readers never see half a file. */
export async function saveModel(model: ForestModel, path: string, now: Date = new Date()): Promise<void> {
  const text = JSON.stringify(toModelFile(model, now));
  // Unique per process and call, so concurrent saves never share a temp file.
  const temp = `${path}.${process.pid}.${++saves}.tmp`;
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(temp, text, 'utf8');
    await rename(temp, path);
  } catch (err) {
    // Best effort: the cleanup must not hide the original error.
    await rm(temp, { force: true }).catch(() => undefined);
    throw new Error(`${path}: cannot save model (${(err as Error).message})`, { cause: err });
  }
}

/** Reads and validates a model file; every failure names the file and the problem. */
export async function loadModel(path: string): Promise<ForestModel> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const problem = code === 'ENOENT' ? 'model file not found' : `cannot read model file (${(err as Error).message})`;
    throw new Error(`${path}: ${problem}`, { cause: err });
  }
  return parseModel(text, path);
}

/** Parses model JSON text; `source` names it in errors. */
export function parseModel(text: string, source: string): ForestModel {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    const position = /position (\d+)/.exec(message)?.[1];
    throw new Error(`${source}: invalid JSON${position === undefined ? '' : ` at position ${position}`} (${message})`, { cause: err });
  }
  return fromModelFile(value, source);
}
