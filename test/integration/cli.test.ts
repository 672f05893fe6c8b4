/**
 * The one command line as users run it: the real launcher spawned as a
 * process, for every subcommand its --help lists.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { buildIfStale } from '../../bin/build-if-stale.js';
import { createResources } from '../helpers/mqtt.js';
import { tempDir } from '../helpers/broker-auth.js';
import { freePort, hasCommand, spawnTracked } from '../helpers/processes.js';

const LAUNCHER = join(process.cwd(), 'bin', 'factory-anomaly.js');
/** The environment of a person at a terminal, not of CI (progress lines are shown only there). */
const { CI: _ci, ...interactiveEnv } = process.env;

function cli(args: string[], env: NodeJS.ProcessEnv = process.env) {
  const result = spawnSync(process.execPath, [LAUNCHER, ...args], { encoding: 'utf8', env, timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** stderr without the launcher's lines about a build (when a source changed since the last one). */
function withoutBuild(stderr: string): string {
  return stderr.replace(/^factory-anomaly: building.*\n|^dashboard: .*\n/gm, '');
}

/** The subcommands as the CLI's own help lists them, so one added later is covered too. */
function subcommands(): string[] {
  const help = cli(['--help']).stdout;
  const section = help.slice(help.indexOf('Commands:'));
  return [...section.matchAll(/^ {2}(\w[\w-]*) {2,}/gm)].map((m) => m[1]!);
}

describe('the command line', () => {
  const resources = createResources();
  afterEach(() => resources.closeAll());
  const commands = subcommands();

  it('when asked for help, then it lists the subcommands every plant needs', () => {
    expect(commands).toEqual(expect.arrayContaining(['start', 'broker', 'worker', 'simulate', 'train', 'users', 'eval', 'bench']));
  });

  it.each(commands)('when %s --help is run, then it prints its usage and exits 0', (command) => {
    const { code, stdout, stderr } = cli([command, '--help']);
    expect({ code, stderr: withoutBuild(stderr) }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(/Usage/);
  });

  it('when npm start -- --help is run, then it prints the usage and exits 0 instead of starting', () => {
    // Free ports: were it to start instead, it would run into the timeout, not into another test's ports.
    const run = spawnSync('npm', ['start', '--', '--help'], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, HTTP_PORT: '0', MQTT_PORT: '0', MQTT_WS_PORT: '0' } });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Usage: factory-anomaly start [options]');
    expect(run.stdout).toContain('--mqtt-port');
    expect(run.stdout).not.toMatch(/"msg":"(ready|model trained[^"]*)"/);
  });

  it.each(commands)('when %s gets an unknown flag, then its error line starts with the command, names the flag, and it exits 2', (command) => {
    const { code, stderr } = cli([command, '--no-such-flag', '1']);
    expect(code).toBe(2);
    expect(withoutBuild(stderr).split('\n')[0]).toMatch(new RegExp(`^${command}: .*--no-such-flag`));
  });

  it.each([
    ['a bad flag', 2, ['--devices', 'abc'], {}, '--devices must be a positive integer'],
    ['a bad setting', 2, [], { MQTT_PORT: 'abc' }, 'MQTT_PORT: must be a number'],
    ['a broker it cannot reach', 1, ['--url', 'mqtt://127.0.0.1:PORT'], {}, 'cannot connect to the broker at mqtt://127.0.0.1:'],
  ])('when simulate gets %s, then its error starts with "simulate:" as every command\'s does, and it exits %d', async (_what, exit, args, env, problem) => {
    const closed = String(await freePort());
    const { code, stderr } = cli(['simulate', ...args.map((a) => a.replace('PORT', closed))], { ...process.env, ...env });
    expect(code).toBe(exit);
    expect(withoutBuild(stderr).split('\n')[0]).toMatch(/^simulate: /);
    expect(stderr).toContain(problem);
  });

  it.each([['eval', 'live'], ['eval', 'odds']])('when %s %s gets an unknown flag, then it exits 2 too', (command, tool) => {
    const { code, stderr } = cli([command, tool, '--no-such-flag', '1']);
    expect(code).toBe(2);
    expect(stderr).toContain('--no-such-flag');
  });

  it.each([
    ['no command', [], /Usage: factory-anomaly <command>/],
    ['an unknown command', ['launch'], /unknown command "launch"/],
  ])('when given %s, then it shows the usage and exits 2', (_what, args, message) => {
    const { code, stdout, stderr } = cli(args);
    expect(code).toBe(2);
    expect(stdout + stderr).toMatch(message);
  });

  it('when a flag carries a bad setting, then every problem is named by its variable and it exits 2', () => {
    const { code, stderr } = cli(['start', '--mqtt-port', 'abc', '--http-port', '70000']);
    expect(code).toBe(2);
    expect(stderr).toContain('MQTT_PORT: must be a number');
    expect(stderr).toContain('HTTP_PORT');
  });

  it('when the work fails at run time, then it says why in one line and exits 1', async () => {
    expect(cli(['train', '--data', 'no-such-file.csv', '--out', join(tempDir(resources), 'm.json')])).toMatchObject({ code: 1, stderr: expect.stringContaining('no-such-file.csv: file not found') });
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    resources.add(taken, (s) => new Promise((r) => s.close(r)));
    const port = String((taken.address() as { port: number }).port);
    const { code, stderr } = cli(['start', '--http-port', port, '--mqtt-port', '0', '--mqtt-ws-port', '0', '--log-level', 'silent']);
    expect(code).toBe(1);
    expect(stderr).toContain('Set HTTP_PORT to a free port');
  });

  describe('without compiling', () => {
    const root = process.cwd();
    const scripts = Object.entries((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts)
      .filter(([, line]) => line.includes('bin/factory-anomaly.js'))
      .map(([script]) => script);

    /** The newest file time under dist/: a compile rewrites every output. */
    function newestBuilt(dir = join(root, 'dist')): number {
      let newest = 0;
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        newest = Math.max(newest, entry.isDirectory() ? newestBuilt(path) : statSync(path).mtimeMs);
      }
      return newest;
    }

    // Only when a source changed since the last build (npm ci builds, so not in CI): the question is
    // whether a command compiles when dist/ is up to date.
    beforeAll(() => buildIfStale(root), 120_000);

    it('when dist/ is up to date, then every npm script of the command line answers --help without compiling', () => {
      expect(scripts).toEqual(expect.arrayContaining(['start', 'broker', 'worker', 'simulate', 'train', 'users']));
      const before = newestBuilt();
      for (const script of scripts) {
        const run = spawnSync('npm', ['run', '-s', script, '--', '--help'], { encoding: 'utf8', timeout: 30_000 });
        expect({ script, code: run.status, stderr: run.stderr }).toEqual({ script, code: 0, stderr: '' });
        expect(run.stdout).toMatch(/^Usage/);
      }
      expect(newestBuilt()).toBe(before);
    });
  });

  describe('progress of long tasks', () => {
    function readingsCsv(): string {
      const file = join(tempDir(resources), 'readings.csv');
      const rows = Array.from({ length: 3000 }, (_, i) => `${25 + (i % 7) / 10},${50 + (i % 5) / 10},${60 + (i % 3) / 10}`);
      writeFileSync(file, `temperature,humidity,sound\n${rows.join('\n')}\n`);
      return file;
    }

    it('when train runs in a pipe, then it prints its results and no progress line', () => {
      const dir = tempDir(resources);
      const { code, stdout, stderr } = cli(['train', '--data', readingsCsv(), '--out', join(dir, 'm.json')], interactiveEnv);
      expect(code).toBe(0);
      // 3,000 readings learnt from; the forest's rows start once the normaliser has settled.
      expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toMatchObject({ readings: 3000, trainingSize: expect.any(Number) });
      expect(stderr).not.toContain('\r');
    });

    const onTerminal = hasCommand('script') ? it : it.skip;
    onTerminal('when train runs on a terminal, then it shows a progress line that it clears, and CI=true keeps it quiet', () => {
      const dir = tempDir(resources);
      const command = `${process.execPath} ${LAUNCHER} train --data ${readingsCsv()} --out ${join(dir, 'm.json')}`;
      const tty = spawnSync('script', ['-qfec', command, '/dev/null'], { encoding: 'utf8', env: interactiveEnv, timeout: 60_000 });
      expect(tty.status).toBe(0);
      expect(tty.stdout).toMatch(/\rreading .*readings\.csv +100%/);
      expect(tty.stdout).toMatch(/\rtraining on 3000 rows/);
      expect(tty.stdout).toContain('\r\x1b[K');
      const ci = spawnSync('script', ['-qfec', command, '/dev/null'], { encoding: 'utf8', env: { ...interactiveEnv, CI: 'true' }, timeout: 60_000 });
      expect(ci.status).toBe(0);
      expect(ci.stdout).not.toContain('\rreading');
    });
  });

  describe('start, once ready', () => {
    const env = { ...process.env, HTTP_PORT: '0', MQTT_PORT: '0', MQTT_WS_PORT: '0', SIMULATOR_ENABLED: 'false' };

    it('when run in a pipe, then its ready log line says where the broker, dashboard, health and metrics are, and each answers', async () => {
      const start = spawnTracked(resources, process.execPath, [LAUNCHER, 'start'], env);
      await start.waitForOutput(/"msg":"ready"/, 30_000);
      const ready = JSON.parse(start.output().split('\n').find((l) => l.includes('"msg":"ready"'))!) as Record<string, string>;
      expect(ready.mqtt).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+$/);
      const page = await fetch(ready.dashboard!);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/html');
      expect((await fetch(ready.health!)).status).toBe(200);
      expect(await (await fetch(ready.metrics!)).text()).toContain('factory_anomaly_readings_received_total');
      // The banner is for people at a terminal: the pipe gets JSON lines only.
      expect(start.output()).not.toContain('is ready');
    }, 40_000);

    const onTerminal = hasCommand('script') ? it : it.skip;
    onTerminal('when run on a terminal, then it prints where everything is, once', async () => {
      const command = `${process.execPath} ${LAUNCHER} start`;
      const start = spawnTracked(resources, 'script', ['-qfec', command, '/dev/null'], env);
      await start.waitForOutput(/Ctrl-C stops everything/, 30_000);
      const banner = start.output().slice(start.output().indexOf('factory-anomaly is ready'));
      for (const label of ['dashboard', 'health', 'metrics', 'predict', 'broker']) expect(banner).toMatch(new RegExp(`\\n  ${label} +\\S+`));
      const dashboard = /dashboard +(http:\/\/\S+)/.exec(banner)![1]!;
      expect((await fetch(dashboard)).status).toBe(200);
      expect(start.output().split('is ready').length).toBe(2);
    }, 40_000);
  });
});
