/**
 * Issue 10, findings 2, 5 and 8: QoS 2 publishers lose nothing, a raw-socket
 * flood cannot keep the worker out, and a retained reading is not scored again.
 */
import { withModel } from '../../helpers/with-model.js';
import { connect as connectSocket, type Socket } from 'node:net';
import { startBroker, type EmbeddedBroker } from '../../../src/adapters/broker/embedded-broker.js';
import { loadConfig } from '../../../src/app/config.js';
import { silentLogger } from '../../../src/support/logger.js';
import { createWorker, type Worker } from '../../../src/worker/worker.js';
import { connectClient, createResources, waitForMessage, withTimeout } from '../../helpers/mqtt.js';
import { numberedReading, trackResults } from '../../helpers/reliability.js';
import { trainedModel } from '../../helpers/trained-model.js';

const config = loadConfig({});
const WORKER_ID = `hardening-worker-${process.pid}`;

describe('hardening: delivery under attack', () => {
  const resources = createResources();
  afterEach(() => resources.closeAll());

  async function broker(limits: Parameters<typeof startBroker>[0]['limits'] = {}): Promise<EmbeddedBroker> {
    const b = await startBroker({ host: '127.0.0.1', port: 0, logger: silentLogger(), limits, reservedClientIds: new Map([[WORKER_ID, ['worker', 'admin'] as const]]) });
    return resources.add(b, (x) => x.close());
  }

  async function startedWorker(url: string): Promise<Worker> {
    const model = await trainedModel();
    const w = createWorker({ url, clientId: WORKER_ID, qos: 1, topics: config.topics, maxPayloadBytes: 65536, ...withModel(() => model), logger: silentLogger() });
    resources.add(w, (x) => x.stop(1000));
    await w.start();
    return w;
  }

  it('when 20,000 numbered readings are published at QoS 2, then every one acknowledged gets a result (0 lost)', async () => {
    const b = await broker();
    await startedWorker(b.url);
    const viewer = await connectClient(resources, b.url);
    await viewer.subscribeAsync('factory/scores/#', { qos: 1 });
    const results = trackResults(viewer);
    // Reconnecting, as devices do: aedes closes a connection with more than 1,000 QoS 2 messages awaiting PUBREL
    // (maxInflightInbound), and mqtt.js does not bound its window; the publisher then sends them again.
    const publisher = await connectClient(resources, b.url, { clientId: 'qos2-publisher', clean: false, reconnectPeriod: 50 });
    const total = 20_000;
    const acknowledged = new Set<number>();
    await new Promise<void>((resolve, reject) => {
      let sent = 0;
      const started = Date.now();
      // 4,000/s: fast enough that the broker handles several PUBRECs per socket read, where aedes lost them.
      const ticker = setInterval(() => {
        const due = Math.min(total, Math.floor(((Date.now() - started) * 4000) / 1000));
        for (; sent < due; sent++) {
          const seq = sent;
          publisher.publish('factory/sensors/line1/press-1', numberedReading(seq), { qos: 2 }, (err) => {
            if (err) return reject(err);
            acknowledged.add(seq);
            if (acknowledged.size === total) resolve();
          });
        }
        if (sent === total) clearInterval(ticker);
      }, 5);
    });
    await results.waitForAll(acknowledged, 30_000);
    console.info(`QoS 2: ${acknowledged.size} acknowledged, ${results.seen.size} scored, ${b.stats().qos2Downgraded} passed on at QoS 1`);
    expect(results.seen.size).toBe(total);
  }, 120_000);

  it('when 1,000 raw sockets from another address are held open and reopened as they close, then a worker and a device still connect', async () => {
    const b = await broker({ maxConnections: 200, reservedConnections: 8, maxPendingPerAddress: 16, connectTimeoutMs: 1000 });
    const attack: Socket[] = [];
    let opened = 0;
    let attacking = true;
    // 127.0.0.2 is this machine too: the attacker as another host on the network.
    const open = () => {
      if (!attacking) return;
      opened += 1;
      const socket = connectSocket({ host: '127.0.0.1', port: b.port, localAddress: '127.0.0.2' });
      socket.on('error', () => undefined);
      socket.on('close', () => setImmediate(open));
      attack.push(socket);
    };
    resources.add(attack, (sockets) => {
      attacking = false;
      for (const s of sockets) s.destroy();
    });
    for (let i = 0; i < 1000; i++) open();

    const worker = await withTimeout(startedWorker(b.url), 15_000, 'the worker to connect during the flood');
    expect(worker.health()).toMatchObject({ connected: true, subscribed: true });
    const device = await connectClient(resources, b.url, { clientId: 'device-during-attack' });
    expect(device.connected).toBe(true);
    const stats = b.stats();
    console.info(`connection flood: ${opened} raw sockets opened, ${stats.pendingRefused} refused at accept; worker and device connected`);
    expect(stats.pendingRefused).toBeGreaterThan(0);
  }, 30_000);

  it('when a retained reading is on a sensor topic, then a worker that subscribes skips and counts it instead of scoring it again', async () => {
    const b = await broker();
    const device = await connectClient(resources, b.url);
    await device.publishAsync('factory/sensors/line1/press-1', numberedReading(1), { qos: 1, retain: true });
    const w1 = await startedWorker(b.url);
    const viewer = await connectClient(resources, b.url);
    await viewer.subscribeAsync('factory/scores/#', { qos: 1 });
    const scored = waitForMessage(viewer, 'factory/scores/line1/press-1');
    await device.publishAsync('factory/sensors/line1/press-1', numberedReading(2), { qos: 1 });
    await scored;
    expect(w1.stats()).toMatchObject({ received: 1, scored: 1, retainedSkipped: 1 });
  });
});

