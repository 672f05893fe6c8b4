import { connectClient, createResources, startTestBroker } from '../helpers/mqtt.js';
import { spawnWorker, streamReadings, trackResults } from '../helpers/reliability.js';

const TOTAL = 3000;
const RATE = 600;
/** Readings the broker hands to the frozen worker before it is killed: in flight, never acknowledged. */
const IN_FLIGHT = 300;

describe('at-least-once delivery across a worker crash', () => {
  const resources = createResources();
  afterEach(() => resources.closeAll());

  it('when the worker hangs and is SIGKILLed mid-stream, then after a restart every acknowledged reading gets a result', async () => {
    const broker = await startTestBroker(resources);
    const clientId = `worker-crash-${process.pid}`;
    const first = await spawnWorker(resources, broker.url, clientId);

    const observer = await connectClient(resources, broker.url);
    await observer.subscribeAsync('factory/scores/#', { qos: 1 });
    const results = trackResults(observer);
    const device = await connectClient(resources, broker.url);
    const stream = streamReadings(device, TOTAL, RATE);

    await results.waitForCount(TOTAL / 3, 10_000);
    // Frozen, the worker keeps its socket open: the broker goes on sending it readings it will never acknowledge.
    first.child.kill('SIGSTOP');
    const frozenAt = stream.accepted.size;
    await stream.waitForAccepted(frozenAt + IN_FLIGHT, 5000);
    first.child.kill('SIGKILL');
    expect(await first.exited).toBeNull(); // ended by the signal
    const killedAt = { published: stream.published(), scored: results.seen.size };
    expect(killedAt.published).toBeLessThan(TOTAL); // the crash really was mid-stream
    expect(killedAt.scored).toBeLessThan(frozenAt + IN_FLIGHT); // and readings were in flight to it

    await spawnWorker(resources, broker.url, clientId);
    await stream.done;
    await results.waitForAll(stream.accepted, 15_000);

    expect(stream.accepted.size).toBe(TOTAL);
    console.info(
      `at-least-once: ${TOTAL} readings at ${RATE}/s; SIGKILL after ${killedAt.published} published, ${killedAt.scored} scored; ` +
        `all ${TOTAL} scored after the restart, ${results.duplicates()} duplicate result(s)`,
    );
    // Two worker starts, a 5 s stream and the waits above (10 + 5 + 15 s at most): more than jest's default 20 s
    // on a loaded machine, though about 7 s alone.
  }, 60_000);
});
