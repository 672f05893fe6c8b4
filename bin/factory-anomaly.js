#!/usr/bin/env node
/**
 * The command line's launcher (package.json `bin`, and every `npm run` script).
 * It starts the compiled code in dist/. In a development checkout it first
 * rebuilds dist/ when a source file (src/, or the dashboard in web/) is newer
 * than the last build (a few ms to check; the build itself only when something
 * changed), so no command pays for a compile it does not need.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'dist', 'src', 'app', 'cli.js');
const stamp = join(root, 'dist', '.build-stamp');

const SOURCE = /\.(ts|css|html|mjs)$/;

function newestSource(dir) {
  let newest = 0;
  for (const name of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, name.name);
    const time = name.isDirectory() ? newestSource(path) : SOURCE.test(name.name) ? statSync(path).mtimeMs : 0;
    if (time > newest) newest = time;
  }
  return newest;
}

function run(args) {
  const result = spawnSync(process.execPath, args, { stdio: 'inherit', cwd: root });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function buildIfStale() {
  const sources = join(root, 'src');
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  // The runtime image ships dist/ without sources or a compiler: nothing to check.
  if (!existsSync(sources) || !existsSync(tsc)) return;
  const web = join(root, 'web');
  const built = existsSync(stamp) && existsSync(entry) ? statSync(stamp).mtimeMs : 0;
  const config = Math.max(statSync(join(root, 'tsconfig.json')).mtimeMs, statSync(join(root, 'tsconfig.build.json')).mtimeMs);
  const newest = Math.max(newestSource(sources), config, existsSync(web) ? newestSource(web) : 0);
  if (built > newest) return;
  process.stderr.write('factory-anomaly: building dist/ (sources changed since the last build)\n');
  run([tsc, '-p', join(root, 'tsconfig.build.json')]);
  if (existsSync(join(web, 'build.mjs'))) run([join(web, 'build.mjs')]);
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
}

buildIfStale();
const { runCli } = await import(pathToFileURL(entry).href);
process.exit(await runCli(process.argv.slice(2), { packageRoot: root }));
