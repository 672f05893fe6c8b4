/**
 * The launcher's one question in a development checkout: is dist/ older than
 * the sources? If so it is rebuilt once, before the command starts; otherwise
 * nothing is compiled (a few ms to check), so `--help` and every command start
 * at once. The runtime image has dist/ but no sources or compiler: nothing to do.
 * Plain JavaScript, so it runs before anything is compiled.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Files whose change means dist/ must be rebuilt: TypeScript, and the dashboard's page, styles and build script. */
const SOURCE = /\.(ts|css|html|mjs)$/;
/** A lock left by a build that died (Ctrl-C, kill) is taken over after this long even if its pid was reused. */
const STALE_LOCK_MS = 10 * 60_000;

export function buildPaths(root) {
  return {
    sources: [join(root, 'src'), join(root, 'web')],
    configs: [join(root, 'tsconfig.json'), join(root, 'tsconfig.build.json')],
    entry: join(root, 'dist', 'src', 'app', 'cli.js'),
    stamp: join(root, 'dist', '.build-stamp'),
    lock: join(root, 'dist', '.build-lock'),
    tsc: join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
    web: join(root, 'web', 'build.mjs'),
  };
}

function newestIn(dir) {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const time = entry.isDirectory() ? newestIn(path) : SOURCE.test(entry.name) ? statSync(path).mtimeMs : 0;
    if (time > newest) newest = time;
  }
  return newest;
}

/**
 * Why dist/ needs a build, or undefined when it is up to date or cannot be built here (no src/ or
 * no compiler: the runtime image). The stamp is written when a build finishes, dated when it began.
 */
export function staleReason(root) {
  const paths = buildPaths(root);
  if (!existsSync(join(root, 'src')) || !existsSync(paths.tsc)) return undefined;
  if (!existsSync(paths.stamp) || !existsSync(paths.entry)) return 'dist/ has not been built';
  const built = statSync(paths.stamp).mtimeMs;
  const newest = Math.max(...paths.sources.map(newestIn), ...paths.configs.map((f) => (existsSync(f) ? statSync(f).mtimeMs : 0)));
  return newest >= built ? 'sources changed since the last build' : undefined;
}

/** tsc, then the dashboard bundle; the stamp carries the time the build began, so an edit made meanwhile is not missed. */
export function buildDist(root) {
  const paths = buildPaths(root);
  const began = new Date();
  const run = (args) => {
    const result = spawnSync(process.execPath, args, { stdio: 'inherit', cwd: root });
    if (result.status !== 0) throw new BuildError(result.status ?? 1);
  };
  run([paths.tsc, '-p', join(root, 'tsconfig.build.json')]);
  if (existsSync(paths.web)) run([paths.web]);
  writeFileSync(paths.stamp, `${began.toISOString()}\n`);
  utimesSync(paths.stamp, began, began);
}

export class BuildError extends Error {
  constructor(status) {
    super(`the build failed (exit ${status})`);
    this.status = status;
  }
}

/**
 * Rebuilds dist/ when it is stale; returns true when it built. Two commands started together (two
 * terminals after a pull, parallel tests) build once: the second waits for the first's lock, then
 * finds dist/ fresh.
 */
export function buildIfStale(root, options = {}) {
  const build = options.build ?? buildDist;
  const say = options.say ?? ((line) => process.stderr.write(`${line}\n`));
  if (staleReason(root) === undefined) return false;
  const lock = buildPaths(root).lock;
  takeLock(lock);
  try {
    const reason = staleReason(root);
    if (reason === undefined) return false;
    say(`factory-anomaly: building dist/ (${reason})`);
    build(root);
    return true;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function takeLock(lock) {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      mkdirSync(lock, { recursive: false });
      writeFileSync(join(lock, 'pid'), String(process.pid));
      return;
    } catch (err) {
      if (err.code === 'ENOENT') mkdirSync(join(lock, '..'), { recursive: true });
      else if (err.code !== 'EEXIST') throw err;
      else if (abandoned(lock)) rmSync(lock, { recursive: true, force: true });
      else Atomics.wait(pause, 0, 0, 100);
    }
  }
}

/** The lock's builder is gone (its pid no longer runs) or took impossibly long. */
function abandoned(lock) {
  try {
    if (Date.now() - statSync(lock).mtimeMs > STALE_LOCK_MS) return true;
    const pid = Number(readFileSync(join(lock, 'pid'), 'utf8'));
    if (!Number.isInteger(pid) || pid <= 0) return false; // being written: wait
    process.kill(pid, 0);
    return false;
  } catch (err) {
    // ESRCH: no such process. (ENOENT: the lock is being made or was just released; EPERM: it runs as another user.)
    return err.code === 'ESRCH';
  }
}
