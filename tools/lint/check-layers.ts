/** `npm run lint` runs this: fails, listing each offending import, when a module imports against the layer direction. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix, relative } from 'node:path';
import { checkFile, type Violation } from './layers.js';

const root = process.cwd();

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(root, dir))) {
    const path = `${dir}/${name}`;
    if (statSync(join(root, path)).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|mts)$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

const resolve = (from: string, spec: string): string => posix.normalize(posix.join(posix.dirname(from), spec));
const violations: Violation[] = [];
for (const file of sourceFiles('src')) violations.push(...checkFile(file, readFileSync(join(root, file), 'utf8'), resolve));

if (violations.length > 0) {
  for (const v of violations) console.error(`${relative(root, join(root, v.file))}:${v.line}: ${v.message}`);
  console.error(`check-layers: ${violations.length} import(s) against the layer direction (see tools/lint/layers.ts)`);
  process.exit(1);
}
console.log('check-layers: ok');
