import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** One file served from memory: read once at start, compressed once. */
export interface StaticAsset {
  /** The URL path it is served at. */
  readonly path: string;
  readonly contentType: string;
  readonly body: Buffer;
  /** The gzip-compressed body, when compressing paid off. */
  readonly gzip?: Buffer;
  readonly etag: string;
  /** Names with a content hash never change: browsers may keep them a year. The page itself is revalidated. */
  readonly immutable: boolean;
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json; charset=utf-8',
};

/**
 * The built dashboard (`npm run build` writes it): `index.html`, served at
 * `/`, and `assets/*`, served at `/assets/<name>`. Rejects when the folder or
 * its index is missing.
 */
export async function loadStaticAssets(dir: string): Promise<StaticAsset[]> {
  const assets = [asset('/', 'index.html', await readFile(join(dir, 'index.html')), false)];
  let names: string[] = [];
  try {
    names = await readdir(join(dir, 'assets'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  for (const name of names.sort()) {
    if (TYPES[extname(name)] === undefined) continue;
    assets.push(asset(`/assets/${name}`, name, await readFile(join(dir, 'assets', name)), true));
  }
  return assets;
}

function asset(path: string, name: string, body: Buffer, immutable: boolean): StaticAsset {
  const contentType = TYPES[extname(name)] ?? 'application/octet-stream';
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
  const compressible = !contentType.startsWith('image/png') && body.length > 1024;
  const gzip = compressible ? gzipSync(body, { level: 9 }) : undefined;
  return { path, contentType, body, etag, immutable, ...(gzip !== undefined && gzip.length < body.length ? { gzip } : {}) };
}
