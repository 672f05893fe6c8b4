/**
 * Issue 10, finding 6: SIGTERM of `npm start` lost about 100 acknowledged
 * readings of an outside device per run, because the shutdown drain waited
 * only for the built-in simulator. Now the broker stops taking readings in,
 * the worker catches up with everything it acknowledged, from any client, and
 * only then do the worker and the broker stop.
 */
import { connectClient, createResources, waitForEvent } from '../../helpers/mqtt.js';
import { logRecords, PROCESS_START_TIMEOUT_MS, spawnApp, streamReadings, trackResults } from '../../helpers/reliability.js';

const SHUTDOWN_TIMEOUT_MS = 8000;
const TOTAL = 20_000;
const RATE = 8000;
const SIGNAL_AT = 6000;

describe('hardening: shutdown with an outside device', () => {
  const resources = createResources();
  afterEach(() => resources.closeAll());

  it('when npm start gets SIGTERM while an outside device publishes numbered QoS 1 readings, then every reading the broker acknowledged has a result before it exits 0, in order', async () => {
    const app = spawnApp(resources, { SIMULATOR_ENABLED: 'false', SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS) });
    await app.waitForOutput(/"msg":"ready"/, PROCESS_START_TIMEOUT_MS);
    const url = String(logRecords(app.output(), 'ready')[0]?.mqtt);
    const observer = await connectClient(resources, url);
    await observer.subscribeAsync('factory/scores/#', { qos: 1 });
    const results = trackResults(observer);
    // An outside device with a persistent session, as real devices have; its broker goes away with the app.
    const device = await connectClient(resources, url, { clientId: `outside-device-${process.pid}`, clean: false });
    for (const client of [observer, device]) client.on('error', () => undefined);
    const closed = [observer, device].map((client) => waitForEvent(client, 'close', () => true, SHUTDOWN_TIMEOUT_MS + 10_000));
    const stream = streamReadings(device, TOTAL, RATE);

    // Signalled while the worker still has a backlog (the device outpaces it on two cores): the drain has work to do.
    await stream.waitForAccepted(SIGNAL_AT, 15_000);
    const backlog = stream.accepted.size - results.seen.size;
    const signalledAt = Date.now();
    app.child.kill('SIGTERM');
    const code = await app.exited;
    const exitMs = Date.now() - signalledAt;
    // Both clients have read everything the app wrote them before it closed their sockets: acknowledgements and results.
    await Promise.all(closed);

    const acknowledged = stream.accepted;
    const missing = [...acknowledged].filter((seq) => !results.seen.has(seq));
    const output = app.output();
    const [drained] = logRecords(output, 'drained');
    const [stopped] = logRecords(output, 'worker stopped');
    console.info(
      `SIGTERM npm start, outside device at ${RATE}/s: signalled with ${backlog} acknowledged readings still without a result; ` +
        `exit ${code} in ${exitMs} ms; ${acknowledged.size} acknowledged, ` +
        `${results.seen.size} with a result, ${missing.length} lost; drain caught up ${drained?.caughtUp} in ${drained?.ms} ms; worker scored ${stopped?.scored}`,
    );
    expect(code).toBe(0);
    expect(acknowledged.size).toBeGreaterThanOrEqual(SIGNAL_AT);
    expect(backlog).toBeGreaterThan(0); // results were behind: what the shutdown must not lose was in flight
    expect(acknowledged.size).toBeLessThan(TOTAL); // the device was cut off mid-stream
    expect(missing).toEqual([]);

    // In order: intake closed and drained before the worker stopped, the broker closed last, every step in time.
    const steps = ['drained', 'worker stopped', 'HTTP server closed', 'shutdown complete'];
    const times = steps.map((msg) => Number(logRecords(output, msg)[0]?.time));
    expect(times.every(Number.isFinite)).toBe(true);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(output).not.toContain('"msg":"drain timed out"');
    expect(stopped).toMatchObject({ publishErrors: 0, leftForRedelivery: 0 });
  }, 60_000);
});
