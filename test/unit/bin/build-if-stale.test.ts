/**
 * The launcher's staleness check, on a made-up checkout in a temporary
 * directory (the real dist/ is never rebuilt here): dated files, a build that
 * only records that it ran.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { buildIfStale, buildPaths, staleReason } from '../../../bin/build-if-stale.js';
import { tempDir } from '../../helpers/broker-auth.js';
import { createResources } from '../../helpers/mqtt.js';

const MODULE = join(process.cwd(), 'bin', 'build-if-stale.js');
const T0 = new Date('2026-01-01T00:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

function write(root: string, path: string, when: Date, text = ''): void {
  const file = join(root, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  utimesSync(file, when, when);
}

describe('the launcher rebuilds dist/ only when a source is newer than the last build', () => {
  const resources = createResources();
  afterEach(() => resources.closeAll());

  /** A checkout: sources at T0, a compiler, and dist/ built at T0 + 10 s. */
  function checkout(): string {
    const root = tempDir(resources);
    write(root, 'src/app/cli.ts', T0);
    write(root, 'src/core/reading.ts', T0);
    write(root, 'web/dashboard/index.html', T0);
    write(root, 'web/build.mjs', T0);
    write(root, 'tsconfig.json', T0);
    write(root, 'tsconfig.build.json', T0);
    write(root, 'node_modules/typescript/bin/tsc', T0);
    write(root, 'dist/src/app/cli.js', at(10));
    write(root, 'dist/.build-stamp', at(10));
    return root;
  }

  function run(root: string) {
    const builds: string[] = [];
    const said: string[] = [];
    const built = buildIfStale(root, { build: (r) => void builds.push(r), say: (line) => void said.push(line) });
    return { built, builds, said };
  }

  it('when nothing changed since the build, then nothing is built', () => {
    const root = checkout();
    expect(staleReason(root)).toBeUndefined();
    expect(run(root)).toEqual({ built: false, builds: [], said: [] });
  });

  it.each([
    ['a TypeScript source', 'src/core/reading.ts'],
    ["the dashboard's page", 'web/dashboard/index.html'],
    ['the dashboard build script', 'web/build.mjs'],
    ['a compiler setting', 'tsconfig.build.json'],
  ])('when %s is newer than the build, then it builds once and says why', (_what, path) => {
    const root = checkout();
    write(root, path, at(20));
    const { built, builds, said } = run(root);
    expect(built).toBe(true);
    expect(builds).toEqual([root]);
    expect(said).toEqual(['factory-anomaly: building dist/ (sources changed since the last build)']);
    expect(existsSync(buildPaths(root).lock)).toBe(false);
  });

  it('when only a file that is not a source changed, then nothing is built', () => {
    const root = checkout();
    write(root, 'src/NOTES.txt', at(20));
    expect(run(root).built).toBe(false);
  });

  it('when dist/ was never built, then it builds', () => {
    const root = checkout();
    rmSync(join(root, 'dist/.build-stamp'));
    expect(staleReason(root)).toBe('dist/ has not been built');
    expect(run(root).builds).toHaveLength(1);
  });

  it.each([
    ['no sources', 'src'],
    ['no compiler', 'node_modules'],
  ])('when the checkout has %s (as the runtime image), then it never builds, even without a stamp', (_what, missing) => {
    const root = checkout();
    rmSync(join(root, missing), { recursive: true });
    rmSync(join(root, 'dist/.build-stamp'));
    expect(run(root)).toEqual({ built: false, builds: [], said: [] });
  });

  it('when a build died and left its lock, then the next one takes the lock over and builds', () => {
    const root = checkout();
    write(root, 'src/core/reading.ts', at(20));
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    write(root, 'dist/.build-lock/pid', new Date(), dead.stdout);
    expect(run(root).builds).toHaveLength(1);
    expect(existsSync(buildPaths(root).lock)).toBe(false);
  });

  it('when two commands start together on a stale checkout, then dist/ is built once', async () => {
    const root = checkout();
    write(root, 'src/core/reading.ts', at(20));
    const log = join(root, 'builds.log');
    // Each process: a build that takes a while, writes the stamp as the real one does, and logs its pid.
    const script = `
      import { appendFileSync, writeFileSync } from 'node:fs';
      import { buildIfStale, buildPaths } from ${JSON.stringify(MODULE)};
      const root = ${JSON.stringify(root)};
      buildIfStale(root, {
        say: () => undefined,
        build: () => {
          appendFileSync(${JSON.stringify(log)}, process.pid + '\\n');
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
          writeFileSync(buildPaths(root).stamp, 'built');
        },
      });`;
    const exits = [0, 1].map(
      () =>
        new Promise<number | null>((resolve) => {
          const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'inherit' });
          resources.add(child, (c) => void c.kill());
          child.once('exit', resolve);
        }),
    );
    expect(await Promise.all(exits)).toEqual([0, 0]);
    expect(readFileSync(log, 'utf8').trim().split('\n')).toHaveLength(1);
  });
});
