import { FUZZ_MAX_BATCH } from '../../tools/fuzz/family.js';
import { withModel } from './with-model.js';
import { fuzzModel } from '../../tools/fuzz/fuzz-model.js';
import type { Logger } from '../../src/support/logger.js';
import { silentLogger } from '../../src/support/logger.js';
import { createWorker, type Worker, type WorkerTopics } from '../../src/worker/worker.js';
import { CONTRACT_TOPICS, startTestBroker, type Resources } from './mqtt.js';

export const FUZZ_TOPICS: WorkerTopics = CONTRACT_TOPICS;
/** The production default of MAX_PAYLOAD_BYTES. */
export const FUZZ_MAX_PAYLOAD_BYTES = 65536;

/** A broker on port 0 and a started worker scoring with a real trained model; both closed at teardown. */
export async function startFuzzTarget(resources: Resources, logger: Logger = silentLogger()) {
  const broker = await startTestBroker(resources);
  const model = fuzzModel();
  const worker: Worker = createWorker({
    url: broker.url,
    clientId: `fuzz-worker-${process.pid}`,
    qos: 1,
    topics: FUZZ_TOPICS,
    maxPayloadBytes: FUZZ_MAX_PAYLOAD_BYTES,
    ...withModel(() => model),
    maxBatch: FUZZ_MAX_BATCH,
    logger,
  });
  resources.add(worker, (w) => w.stop());
  await worker.start();
  return { broker, worker };
}
