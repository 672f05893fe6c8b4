#!/usr/bin/env node
/**
 * The command line's launcher (package.json `bin`, and every `npm run` script).
 * It starts the compiled code in dist/. In a development checkout it first
 * rebuilds dist/ when a source is newer than the last build (build-if-stale.js),
 * so no command pays for a compile it does not need.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BuildError, buildIfStale } from './build-if-stale.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

try {
  buildIfStale(root);
} catch (err) {
  if (!(err instanceof BuildError)) throw err;
  process.stderr.write(`factory-anomaly: ${err.message}; dist/ was not updated\n`);
  process.exit(err.status);
}
const { runCli } = await import(pathToFileURL(join(root, 'dist', 'src', 'app', 'cli.js')).href);
process.exit(await runCli(process.argv.slice(2), { packageRoot: root }));
