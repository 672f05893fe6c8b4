/**
 * A start that cannot go on because of a file the operator gave it: the real
 * command line prints one plain line naming the file and the problem, and
 * exits 1; no stack trace, no fatal JSON, no shutdown of things never started.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { saveModel } from '../../src/adapters/files/model-files.js';
import { tempDir } from '../helpers/broker-auth.js';
import { createResources } from '../helpers/mqtt.js';
import { trainedModel } from '../helpers/trained-model.js';

const LAUNCHER = join(process.cwd(), 'bin', 'factory-anomaly.js');

function start(command: 'start' | 'worker', env: Record<string, string>) {
  const run = spawnSync(process.execPath, [LAUNCHER, command], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, MQTT_PORT: '0', MQTT_WS_PORT: '0', HTTP_PORT: '0', LOG_LEVEL: 'info', LOG_PRETTY: 'false', ...env },
  });
  const lines = (text: string) => text.split('\n').filter((line) => line.trim() !== '' && !/^factory-anomaly: building|^dashboard: /.test(line));
  return { code: run.status, stdout: lines(run.stdout), stderr: lines(run.stderr) };
}

/** One plain line on stderr and nothing about it, or about a shutdown, in the log. */
function expectOnePlainLine(result: ReturnType<typeof start>, prefix: string, ...parts: string[]): string {
  return expectOnePlainLineWithCode(result, 1, prefix, ...parts);
}

function expectOnePlainLineWithCode(result: ReturnType<typeof start>, code: number, prefix: string, ...parts: string[]): string {
  expect(result.code).toBe(code);
  expect(result.stderr).toHaveLength(1);
  const line = result.stderr[0]!;
  expect(line.startsWith(`${prefix}: `)).toBe(true);
  for (const part of parts) expect(line).toContain(part);
  expect(line).not.toMatch(/^\s+at /m);
  expect(result.stdout.join('\n')).not.toMatch(/"msg":"(shutting down|shutdown complete|failed to start|startup failed[^"]*)"/);
  expect(result.stdout.join('\n')).not.toMatch(/"level":(50|60)/);
  return line;
}

describe('startup errors', () => {
  const resources = createResources();
  afterEach(() => resources.closeAll());

  it.each([
    ['cut short', '{"schemaVersion": 1, "trees": [', 'invalid JSON'],
    ['not a model', '{"hello": "world"}', 'schemaVersion'],
  ])('when the model file is %s, then start says which file and what is wrong in one line and exits 1', (_what, text, problem) => {
    const path = join(tempDir(resources), 'model.json');
    writeFileSync(path, text);
    const line = expectOnePlainLine(start('start', { MODEL_PATH: path }), 'factory-anomaly', path, problem, 'MODEL_PATH');
    expect(line.split(problem)).toHaveLength(2); // the problem once, not the parser's message twice
  });

  it("when the model's features do not fit the configured sensors, then the worker's line names both lists and exits 2 (a configuration error)", async () => {
    const path = join(tempDir(resources), 'model.json');
    const model = await trainedModel();
    await saveModel(model, path);
    const result = start('worker', { MODEL_PATH: path, SENSORS: 'pressure,flow' });
    expectOnePlainLineWithCode(result, 2, 'worker', path, model.info.features.join(','), 'pressure,flow');
  });
});
