import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Where the commands find what ships beside the code (the built dashboard, the dev tools). */
export interface CliContext {
  /** The package's root folder: the one holding package.json, bin/ and dist/. */
  readonly packageRoot: string;
}

/** The nearest folder at or above `dir` that holds a package.json; `dir` itself when there is none. */
export function findPackageRoot(dir: string): string {
  let at = dir;
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(at, 'package.json'))) return at;
    const up = dirname(at);
    if (up === at) break;
    at = up;
  }
  return dir;
}

/** The built dashboard inside the package (web/build.mjs writes it during `npm run build`). */
export function dashboardDir(context: CliContext): string {
  return join(context.packageRoot, 'dist', 'web', 'dashboard');
}
