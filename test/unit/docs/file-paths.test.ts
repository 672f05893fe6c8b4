/**
 * The design docs name files (the path of a reading, where config is read):
 * a rename or a move must update them, or this fails.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const DOCS = readdirSync(join(ROOT, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`);
const ROOTS = /^(src|bin|tools|test|web|docs|deploy)\//;

/** Every repository path under ROOTS, for names given relative to a folder the text just named. */
function allPaths(dir = '', out: string[] = []): string[] {
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const path = dir === '' ? entry.name : `${dir}/${entry.name}`;
    if (dir === '' && !ROOTS.test(`${entry.name}/`)) continue;
    out.push(entry.isDirectory() ? `${path}/` : path);
    if (entry.isDirectory()) allPaths(path, out);
  }
  return out;
}

/** `code` spans that look like a file or folder: a path from the root, or a name like `sink.ts`, `auth/`. */
function namedPaths(text: string): string[] {
  const names = [...text.matchAll(/`([^`\s]+)`/g)].map((m) => m[1]!);
  // dist/ is what the build makes, not part of the repository.
  return names.filter((name) => !name.startsWith('dist/') && (ROOTS.test(name) || /^[\w./-]+\.(ts|js|mjs|md)$|^[\w-]+\/$/.test(name)));
}

describe('file paths in the design docs', () => {
  const paths = allPaths();

  it.each(DOCS)('when %s names a file or folder, then it exists (from the root, or under a folder of that name)', (doc) => {
    const named = namedPaths(readFileSync(join(ROOT, doc), 'utf8'));
    const missing = named.filter((name) => (ROOTS.test(name) ? !existsSync(join(ROOT, name)) : !paths.some((p) => p.endsWith(`/${name}`))));
    expect(missing).toEqual([]);
  });

  it('when the path of a reading is read for paths, then they are found (the check above sees what it should)', () => {
    expect(namedPaths(readFileSync(join(ROOT, 'docs/architecture.md'), 'utf8')).length).toBeGreaterThan(30);
  });
});
