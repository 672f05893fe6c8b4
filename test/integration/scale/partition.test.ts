import { createWorker } from '../../../src/worker/worker.js';
import { silentLogger } from '../../../src/support/logger.js';
import type { AnomalyModel } from '../../../src/core/model/types.js';
import { partitionOf } from '../../../src/core/partition.js';
import { connectClient, createResources, startTestBroker, CONTRACT_TOPICS } from '../../helpers/mqtt.js';
import { trainedModel } from '../../helpers/trained-model.js';
import { withModel } from '../../helpers/with-model.js';
import { numberedReading, trackResults } from '../../helpers/reliability.js';

/** WORKER_PARTITION on any broker: every worker receives every reading and scores only its own devices. */
describe('worker partitions', () => {
  const resources = createResources();
  afterEach(() => resources.closeAll());
  let model: AnomalyModel;
  beforeAll(async () => {
    model = await trainedModel();
  });

  it('when 3 partitioned workers share 30 devices, then each device is scored by one worker only, every reading once', async () => {
    const broker = await startTestBroker(resources);
    const count = 3;
    const scoredBy = new Map<string, Set<number>>();
    const workers = [0, 1, 2].map((index) => {
      const { detector, ...rest } = withModel(() => model);
      const worker = createWorker({
        url: broker.url,
        clientId: `anomaly-worker-p${index}of${count}`,
        qos: 1,
        topics: CONTRACT_TOPICS,
        maxPayloadBytes: 65536,
        ...rest,
        // Records which worker scored which device, then scores for real.
        detector: {
          process: (device, reading, receivedMs) => {
            scoredBy.set(device, (scoredBy.get(device) ?? new Set()).add(index));
            return detector.process(device, reading, receivedMs);
          },
        },
        partition: { index, count },
        logger: silentLogger(),
      });
      return resources.add(worker, (w) => w.stop());
    });
    await Promise.all(workers.map((w) => w.start()));

    const observer = await connectClient(resources, broker.url);
    await observer.subscribeAsync('factory/scores/#', { qos: 1 });
    const results = trackResults(observer);
    const device = await connectClient(resources, broker.url);
    const expected = new Set<number>();
    for (let seq = 0; seq < 600; seq++) {
      expected.add(seq);
      device.publish(`factory/sensors/line${seq % 3}/dev-${seq % 30}`, numberedReading(seq), { qos: 1 });
    }
    await results.waitForAll(expected, 15_000);

    expect(results.duplicates()).toBe(0);
    expect(scoredBy.size).toBe(30);
    for (const [id, owners] of scoredBy) expect([...owners]).toEqual([partitionOf(id, count)]);
    for (const w of workers) {
      expect(await w.drain(() => w.stats().received === 600, 5000)).toBe(true);
      expect(w.stats().scored).toBeGreaterThan(0);
      expect(w.stats().scored + w.stats().otherPartition).toBe(600);
    }
  });
});
