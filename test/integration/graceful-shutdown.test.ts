import { withModel } from '../helpers/with-model.js';
import { DUPLICATE_SIGNAL_WINDOW_MS } from '../../src/app/signals.js';
import type { PublishPacket } from 'aedes';
import { loadConfig } from '../../src/app/config.js';
import { silentLogger } from '../../src/support/logger.js';
import { createWorker, type Worker } from '../../src/worker/worker.js';
import { connectClient, createResources, startTestBroker, waitForEvent } from '../helpers/mqtt.js';
import { logRecords, numberedReading, PROCESS_START_TIMEOUT_MS, spawnApp, spawnWorker, streamReadings, trackResults } from '../helpers/reliability.js';
import { trainedModel } from '../helpers/trained-model.js';

const SHUTDOWN_TIMEOUT_MS = 8000;

describe('graceful shutdown under load', () => {
  const resources = createResources();
  afterEach(() => resources.closeAll());

  it('when the worker service gets SIGTERM at ~2,000 readings/s, then it exits 0 in time and after a restart every acknowledged reading has a result', async () => {
    const total = 8000;
    const broker = await startTestBroker(resources);
    const clientId = `worker-sigterm-${process.pid}`;
    const env = { SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS) };
    const first = await spawnWorker(resources, broker.url, clientId, env);
    const observer = await connectClient(resources, broker.url);
    await observer.subscribeAsync('factory/scores/#', { qos: 1 });
    const results = trackResults(observer);
    const device = await connectClient(resources, broker.url);
    const stream = streamReadings(device, total, 2000);

    // Mid-stream: the worker is busy (some results are in) and most readings are still to come.
    await results.waitForCount(total / 16, 10_000);
    const signalledWith = stream.published();
    const signalledAt = Date.now();
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    const exitMs = Date.now() - signalledAt;
    expect(exitMs).toBeLessThan(SHUTDOWN_TIMEOUT_MS); // exit 0 already means the shutdown met its deadline
    expect(signalledWith).toBeLessThan(total); // the stream was still flowing
    const [stopped] = logRecords(first.output(), 'worker stopped');

    await spawnWorker(resources, broker.url, clientId, env);
    await stream.done;
    await results.waitForAll(stream.accepted, 15_000);
    expect(stream.accepted.size).toBe(total);
    console.info(
      `SIGTERM worker: exited 0 in ${exitMs} ms, signalled with ${signalledWith} of ${total} published; scored ${stopped?.scored}, ` +
        `left ${stopped?.leftForRedelivery} unacknowledged for redelivery; all ${total} scored after the restart, ${results.duplicates()} duplicate(s)`,
    );
  });

  it('when npm start gets SIGTERM with the simulator at 2,000 readings/s, then the worker drains before the broker stops and nothing acknowledged is lost', async () => {
    const app = spawnApp(resources, { SIMULATOR_DEVICES: '5', SIMULATOR_RATE: '400', SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS) });
    await app.waitForOutput(/"msg":"ready"/, PROCESS_START_TIMEOUT_MS);
    const [ready] = logRecords(app.output(), 'ready');
    const observer = await connectClient(resources, String(ready?.mqtt));
    observer.on('error', () => undefined); // the broker goes away with the app
    const readings = new Set<string>();
    const results = new Set<string>();
    observer.on('message', (topic, payload) => {
      const body = JSON.parse(payload.toString()) as { device?: string; timestamp?: string; input_data?: { timestamp?: string } };
      if (topic.startsWith('factory/sensors/')) readings.add(`${topic.slice('factory/sensors/'.length)}|${body.timestamp}`);
      else results.add(`${body.device}|${body.input_data?.timestamp}`);
    });
    await observer.subscribeAsync(['factory/sensors/#', 'factory/scores/#'], { qos: 1 });
    await waitForEvent(observer, 'message', () => readings.size >= 3000, 10_000);

    const observerClosed = waitForEvent(observer, 'close', () => true, SHUTDOWN_TIMEOUT_MS + 5000);
    app.child.kill('SIGTERM');
    expect(await app.exited).toBe(0);
    await observerClosed;

    const output = app.output();
    // By their timestamps: pino's asynchronous stdout may write the last lines out of order as the process exits.
    const steps = ['simulator stopped', 'drained', 'worker stopped', 'HTTP server closed', 'shutdown complete'];
    for (const msg of steps) expect(output).toContain(`"msg":"${msg}"`);
    const times = steps.map((msg) => Number(logRecords(output, msg)[0]?.time));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(output).not.toContain('"msg":"drain timed out"');
    const [simulator] = logRecords(output, 'simulator stopped');
    const [drained] = logRecords(output, 'drained');
    const [worker] = logRecords(output, 'worker stopped');
    const sent = Number(simulator?.sent);
    expect(sent).toBeGreaterThanOrEqual(readings.size); // the broker forwards a reading before it acknowledges it
    expect(worker).toMatchObject({ received: sent, scored: sent, rejected: 0, publishErrors: 0, leftForRedelivery: 0 });
    // Every reading the subscriber saw go to the worker, up to the last one before SIGTERM, has its result.
    // (mqtt.js may still be parsing what arrived just before the socket closed: allow it to finish.)
    const missing = () => [...readings].filter((key) => !results.has(key));
    if (missing().length > 0) await waitForEvent(observer, 'message', () => missing().length === 0, 5000).catch(() => undefined);
    expect(missing()).toEqual([]);
    console.info(
      `SIGTERM npm start: simulator sent ${sent}, worker scored ${worker?.scored}; drain caught up ${drained?.caughtUp} in ${drained?.ms} ms; ` +
        `subscriber saw ${readings.size} readings and a result for each`,
    );
  });

  it('when readings are queued for the worker, then drain resolves once it has received them all, and false at its timeout', async () => {
    const model = await trainedModel();
    const broker = await startTestBroker(resources);
    const clientId = `worker-drain-${process.pid}`;
    const worker = (): Worker => {
      const w = createWorker({ url: broker.url, clientId, qos: 1, topics: loadConfig({}).topics, maxPayloadBytes: 65536, ...withModel(() => model), logger: silentLogger() });
      return resources.add(w, (x) => x.stop(1000));
    };
    const away = worker();
    await away.start();
    await away.stop(); // the persistent session keeps the subscription
    const device = await connectClient(resources, broker.url);
    for (let seq = 0; seq < 500; seq++) await device.publishAsync('factory/sensors/line1/press-1', numberedReading(seq), { qos: 1 });

    const back = worker();
    const drained = back.drain(() => back.stats().received >= 500, 10_000);
    await back.start();
    await expect(drained).resolves.toBe(true);
    expect(back.stats()).toMatchObject({ received: 500, scored: 500 });
    await expect(back.drain(() => false, 50)).resolves.toBe(false);
  });

  it('when a second SIGTERM arrives during a slow shutdown, then the process exits at once with a non-zero code', async () => {
    // Hold the worker's `offline` status publish unacknowledged, so its stop waits (5 s) for the PUBACK.
    const held: Array<() => void> = [];
    let offlineSeen: () => void = () => undefined;
    const offline = new Promise<void>((resolve) => (offlineSeen = resolve));
    const broker = await startTestBroker(resources, {
      hooks: {
        authorizePublish: (_client, packet: PublishPacket, callback) => {
          if (packet.topic !== 'factory/status/worker' || packet.payload.toString() !== 'offline') return callback(null);
          held.push(() => callback(null));
          offlineSeen();
        },
      },
    });
    resources.add(held, (h) => h.forEach((release) => release()));
    const worker = await spawnWorker(resources, broker.url, `worker-second-signal-${process.pid}`, { SHUTDOWN_TIMEOUT_MS: '15000' });

    worker.child.kill('SIGTERM');
    await offline;
    // A copy of the first signal within the window is the terminal-and-npm duplicate; this one is deliberate.
    await new Promise((resolve) => setTimeout(resolve, DUPLICATE_SIGNAL_WINDOW_MS + 100));
    worker.child.kill('SIGTERM');
    const code = await worker.exited;

    expect(code).not.toBe(0);
    expect(code).toBe(130);
    expect(worker.output()).toContain('"msg":"second signal: exiting now"');
    expect(worker.output()).not.toMatch(/"msg":"(worker stopped|shutdown complete)"/);
  });
});
