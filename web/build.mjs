#!/usr/bin/env node
/**
 * Bundles the live dashboard (web/dashboard) into dist/web/dashboard with
 * esbuild: one script (the page, mqtt.js and uPlot) and one stylesheet, with a
 * content hash in their names so browsers can keep them, and index.html
 * pointing at them. Everything the page loads comes from the package: plant
 * networks are often offline. Run by `npm run build` and by the launcher when
 * a source changed; `--out <dir>` writes elsewhere (the browser test builds
 * the sources it tests into a folder of its own).
 */
import { build } from 'esbuild';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'web', 'dashboard');
const flag = process.argv.indexOf('--out');
const out = flag === -1 ? join(root, 'dist', 'web', 'dashboard') : resolve(process.argv[flag + 1] ?? '');

await rm(out, { recursive: true, force: true });
await mkdir(join(out, 'assets'), { recursive: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: { dashboard: join(source, 'main.ts'), 'dashboard-style': join(source, 'style.css') },
  outdir: join(out, 'assets'),
  entryNames: '[name]-[hash]',
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  target: ['chrome100', 'firefox100', 'safari15'],
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
});

const outputs = Object.keys(result.metafile.outputs).map((file) => `/assets/${basename(file)}`);
const script = outputs.find((f) => f.endsWith('.js'));
const style = outputs.find((f) => f.endsWith('.css'));
if (script === undefined || style === undefined) throw new Error(`esbuild wrote ${outputs.join(', ')}: expected one .js and one .css`);
const page = (await readFile(join(source, 'index.html'), 'utf8')).replace('%JS%', script).replace('%CSS%', style);
await writeFile(join(out, 'index.html'), page);
const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
process.stderr.write(`dashboard: ${relative(root, out)} (${Math.round(bytes / 1024)} KiB)\n`);
