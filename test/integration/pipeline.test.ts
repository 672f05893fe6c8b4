import { createServer, type Server } from 'node:net';
import { startupErrorLine } from '../../src/app/run-service.js';
import { startPipeline, type Pipeline } from '../../src/app/start-pipeline.js';
import { loadConfig } from '../../src/app/config.js';
import { silentLogger } from '../../src/support/logger.js';
import { connectClient, createResources, waitForMessage } from '../helpers/mqtt.js';
import { openNetHandles, spawnTracked } from '../helpers/processes.js';

const testEnv = { MQTT_PORT: '0', MQTT_WS_PORT: '0', HTTP_PORT: '0', LOG_LEVEL: 'silent' };
const all = { broker: true, worker: true, simulator: true };

function occupy(resources: ReturnType<typeof createResources>): Promise<number> {
  return new Promise((resolve) => {
    const server: Server = createServer();
    server.listen(0, '127.0.0.1', () => {
      resources.add(server, (s) => new Promise((r) => s.close(r)));
      resolve((server.address() as { port: number }).port);
    });
  });
}

describe('the whole pipeline in one process', () => {
  const resources = createResources();
  afterEach(() => resources.closeAll());

  async function start(env: Record<string, string> = {}): Promise<Pipeline> {
    const pipeline = await startPipeline(loadConfig({ ...testEnv, ...env }), silentLogger(), all);
    return resources.add(pipeline, (p) => p.shutdown.run('test over'));
  }

  it('when started, then the simulator feeds the worker, anomalies match injected faults, and /health is healthy', async () => {
    // Faults far out on single readings, from the first seconds: what a per-reading detector must flag.
    const { broker, http } = await start({
      SIMULATOR_RATE: '20',
      SIMULATOR_ANOMALY_RATE: '0.2',
      SIMULATOR_DEVICES: '3',
      SIMULATOR_FAULT_KINDS: 'spike,stuck,noise_burst',
      SIMULATOR_FAULT_GAP_SECONDS: '0',
    });
    const observer = await connectClient(resources, broker!.url);
    await observer.subscribeAsync(['factory/scores/#', 'factory/anomalies', 'factory/simulator/injected'], { qos: 1 });
    const isReadingMarker = (m: { payload: Buffer }) => JSON.parse(m.payload.toString()).marker === 'reading';
    const injected = JSON.parse((await waitForMessage(observer, 'factory/simulator/injected', isReadingMarker)).payload.toString());
    const anomaly = await waitForMessage(observer, 'factory/anomalies', (m) => {
      const body = JSON.parse(m.payload.toString());
      return body.device === injected.device && body.input_data.timestamp === injected.timestamp;
    });
    expect(JSON.parse(anomaly.payload.toString()).prediction.is_anomaly).toBe(true);

    const health = await fetch(`${http!.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      status: 'healthy',
      broker: { connected: true, subscribed: true },
      model: { ready: true, engine: 'native' },
      counters: { scored: expect.any(Number) },
    });
  });

  it('when /health shows the thresholds, then its threshold is the one results carry, rounded alike, beside the model\'s own from training', async () => {
    const { broker, http, models } = await start({ ANOMALY_THRESHOLD: '0.61234567', SIMULATOR_RATE: '20' });
    const observer = await connectClient(resources, broker!.url);
    await observer.subscribeAsync('factory/scores/#', { qos: 1 });
    const result = JSON.parse((await waitForMessage(observer, 'factory/scores/#')).payload.toString()) as { prediction: { threshold: number } };
    const { model } = (await (await fetch(`${http!.url}/health`)).json()) as { model: { threshold: number; training_threshold: number } };
    expect(result.prediction.threshold).toBe(0.6123);
    expect(model.threshold).toBe(result.prediction.threshold);
    expect(model.training_threshold).toBe(Math.round(models.get()!.threshold * 1e4) / 1e4);
    expect(model.training_threshold).not.toBe(models.get()!.threshold); // a 4-digit rounding did happen
  });

  it('when shut down, then every part stops, a second call is harmless, and no socket is left open', async () => {
    const pipeline = await start({ SIMULATOR_RATE: '50' });
    const before = await fetch(`${pipeline.http!.url}/health`);
    expect(before.status).toBe(200);
    await expect(pipeline.shutdown.run('test')).resolves.toBe(true);
    await expect(pipeline.shutdown.run('again')).resolves.toBe(true);
    expect(pipeline.worker!.health()).toMatchObject({ connected: false, stopping: true });
    await expect(fetch(`${pipeline.http!.url}/health`)).rejects.toThrow();
    await resources.closeAll();
    expect(openNetHandles()).toEqual([]);
  });

  it.each([
    ['MQTT_PORT', 'MQTT_PORT'],
    ['HTTP_PORT', 'HTTP_PORT'],
  ])('when %s is taken, then startup fails naming the variable and releases what it opened', async (variable) => {
    const port = await occupy(resources);
    const error = await startPipeline(loadConfig({ ...testEnv, [variable]: String(port) }), silentLogger(), all).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(Error);
    expect(startupErrorLine(error)).toMatch(new RegExp(`: the port is already in use \\(EADDRINUSE\\)\\. Set ${variable} to a free port \\(0 picks one\\)\\.$`));
    await resources.closeAll(); // the port we occupied
    expect(openNetHandles()).toEqual([]);
  });
});

describe('npm start as a process', () => {
  const resources = createResources();
  afterEach(() => resources.closeAll());
  const env = { ...process.env, ...testEnv, LOG_LEVEL: 'info', LOG_PRETTY: 'false' };

  it('when SIGTERM arrives, then it shuts down in order and exits 0', async () => {
    const app = spawnTracked(resources, process.execPath, ['--import', 'tsx', 'src/app/cli.ts', 'start'], env);
    await app.waitForOutput(/"msg":"ready"/, 15000);
    app.child.kill('SIGTERM');
    expect(await app.exited).toBe(0);
    const steps = [...app.output().matchAll(/"msg":"(simulator stopped|worker stopped|HTTP server closed|shutdown complete)"/g)].map((m) => m[1]);
    expect(steps).toEqual(['simulator stopped', 'worker stopped', 'HTTP server closed', 'shutdown complete']);
  });

  it('when the MQTT port is taken, then it exits 1 and says which variable to change', async () => {
    const port = await occupy(resources);
    const app = spawnTracked(resources, process.execPath, ['--import', 'tsx', 'src/app/cli.ts', 'start'], { ...env, MQTT_PORT: String(port) });
    expect(await app.exited).toBe(1);
    expect(app.output()).toContain('Set MQTT_PORT to a free port');
  });

  it('when the configuration is bad, then it exits 2 listing every problem', async () => {
    const app = spawnTracked(resources, process.execPath, ['--import', 'tsx', 'src/app/cli.ts', 'start'], { ...env, MQTT_PORT: 'x', HTTP_PORT: '-1' });
    expect(await app.exited).toBe(2);
    expect(app.output()).toMatch(/MQTT_PORT:[\s\S]*HTTP_PORT:/);
  });
});
