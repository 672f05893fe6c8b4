/**
 * The import direction of the source tree, checked by `npm run lint`.
 *
 * Layers, bottom to top. A module may import its own layer and the layers below it, never above:
 *   0  src/support, src/core   pure domain, stages and the forest; generic helpers (logger, random, shutdown)
 *   1  src/detector            per-device state: models, warm-ups, time context, incidents; memory and eviction
 *   2  src/adapters, src/simulator   I/O: MQTT source and sink, HTTP, the embedded broker, files
 *   3  src/worker              wires source -> stages -> sink, owns the counters
 *   4  src/app                 composition roots: configuration, entry points, commands
 * tools/ and test/ sit outside and may import anything; src/ never imports them.
 */
export interface Layer {
  readonly name: string;
  readonly rank: number;
  readonly folders: readonly string[];
}

export const LAYERS: readonly Layer[] = [
  { name: 'core', rank: 0, folders: ['src/support', 'src/core'] },
  { name: 'detector', rank: 1, folders: ['src/detector'] },
  { name: 'adapters', rank: 2, folders: ['src/adapters', 'src/simulator'] },
  { name: 'worker', rank: 3, folders: ['src/worker'] },
  { name: 'app', rank: 4, folders: ['src/app'] },
];

/** Packages that do I/O: the pure layers must not reach for them. */
const IO_PACKAGES = ['node:fs', 'node:fs/promises', 'node:net', 'node:http', 'node:https', 'node:tls', 'node:child_process', 'mqtt', 'aedes', 'ws', 'fs', 'net', 'http'];

export interface Violation {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

export function layerOf(file: string): Layer | undefined {
  return LAYERS.find((layer) => layer.folders.some((folder) => file === folder || file.startsWith(`${folder}/`)));
}

/** `import ... from 'x'`, `export ... from 'x'`, `import('x')`: the specifier and its line. */
export function importsOf(source: string): Array<{ spec: string; line: number }> {
  const found: Array<{ spec: string; line: number }> = [];
  const pattern = /(?:\bfrom\s*|\bimport\s*\(?\s*)(['"])([^'"]+)\1/g;
  for (const match of source.matchAll(pattern)) {
    const line = source.slice(0, match.index).split('\n').length;
    found.push({ spec: match[2]!, line });
  }
  return found;
}

/** Checks one file; `resolve` turns a relative specifier into a repository path. */
export function checkFile(file: string, source: string, resolve: (from: string, spec: string) => string): Violation[] {
  const violations: Violation[] = [];
  const own = layerOf(file);
  const inSrc = file.startsWith('src/');
  for (const { spec, line } of importsOf(source)) {
    if (spec.startsWith('.')) {
      const target = resolve(file, spec);
      if (inSrc && !target.startsWith('src/')) {
        violations.push({ file, line, message: `src/ must not import ${target} (tools and tests sit outside the product)` });
        continue;
      }
      const theirs = layerOf(target);
      if (own !== undefined && theirs !== undefined && theirs.rank > own.rank) {
        violations.push({ file, line, message: `${own.name} (layer ${own.rank}) must not import ${theirs.name} (layer ${theirs.rank}): ${target}` });
      }
      if (own?.name === 'core' && file.startsWith('src/support/') && target.startsWith('src/core/')) {
        violations.push({ file, line, message: `src/support is generic and must not import the domain: ${target}` });
      }
    } else if (own !== undefined && own.rank <= 1 && IO_PACKAGES.includes(spec)) {
      violations.push({ file, line, message: `${own.name} is pure (no I/O) and must not import ${spec}; take it as a dependency from an adapter` });
    }
  }
  if (inSrc && own?.name !== 'app' && /process\.env\b/.test(source)) {
    const line = source.slice(0, source.search(/process\.env\b/)).split('\n').length;
    violations.push({ file, line, message: 'only composition roots (src/app) read environment variables' });
  }
  return violations;
}
