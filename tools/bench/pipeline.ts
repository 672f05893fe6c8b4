/**
 * Pipeline and relay measurements against a real embedded broker on port 0.
 * pipeline: publishers -> aedes -> worker (the detector `npm start` builds) -> aedes -> subscriber on factory/scores/#.
 * relay:    publishers -> aedes -> subscriber on factory/sensors/#, no worker (the one-hop baseline).
 * The broker and the worker share this process, as in `npm start`.
 */
import { startBroker } from '../../src/adapters/broker/embedded-broker.js';
import { silentLogger } from '../../src/support/logger.js';
import { DEFAULT_SENSORS } from '../../src/core/sensors.js';
import { createWorker, type WorkerOptions, type WorkerTopics } from '../../src/worker/worker.js';
import { runLoad, type LoadPlacement } from './load-task.js';
import type { LoadMode, MqttLoadResult } from './mqtt-load.js';
import { withCpuSamples } from './stats.js';

/** The defaults of TOPIC_* in src/config.ts. */
export const BENCH_TOPICS: WorkerTopics = {
  sensors: 'factory/sensors/#',
  anomalies: 'factory/anomalies',
  scores: 'factory/scores',
  errors: 'factory/errors',
  status: 'factory/status/worker',
};

export interface MqttPhaseOptions {
  mode: LoadMode;
  seconds: number;
  warmupSeconds: number;
  placement: LoadPlacement;
  publishers?: number;
  devices?: number;
  lines?: number;
  drainTimeoutMs?: number;
  seed?: number;
}

export interface MqttPhaseResult extends MqttLoadResult {
  /** CPU of this process (broker, and worker if any): median over the seconds of the run, in cores. */
  serverCpu: number;
  /** CPU of the whole machine meanwhile (median per second, in cores): above serverCpu + cpu, others were busy. */
  machineCpu: number;
  /** Worker counters at the end (pipeline only). */
  worker?: { received: number; scored: number; anomalies: number; publishErrors: number };
}

/** What scores in the worker; a fresh one per run, so every run starts with no device state. */
export type MakeDetector = () => WorkerOptions['detector'];

/** Readings through the worker and back out: the pipeline. */
export function measurePipeline(detector: MakeDetector, options: MqttPhaseOptions): Promise<MqttPhaseResult> {
  return measureMqtt(options, detector);
}

/** Readings straight through the broker to a subscriber: the relay baseline. */
export function measureRelay(options: MqttPhaseOptions): Promise<MqttPhaseResult> {
  return measureMqtt(options, undefined);
}

async function measureMqtt(o: MqttPhaseOptions, detector: MakeDetector | undefined): Promise<MqttPhaseResult> {
  const logger = silentLogger();
  const broker = await startBroker({ host: '127.0.0.1', port: 0, logger });
  const worker =
    detector === undefined
      ? undefined
      : createWorker({
          url: broker.url,
          clientId: `bench-worker-${Math.random().toString(36).slice(2, 8)}`,
          qos: 1,
          topics: BENCH_TOPICS,
          schema: DEFAULT_SENSORS,
          maxPayloadBytes: 65536,
          maxBatch: 500,
          detector: detector(),
          logger,
        });
  try {
    await worker?.start();
    const { result, cpu: serverCpu, machineCpu } = await withCpuSamples(() =>
      runLoad(
        {
          kind: 'mqtt',
          options: {
            url: broker.url,
            publishPrefix: 'factory/sensors',
            receiveFilter: worker ? `${BENCH_TOPICS.scores}/#` : BENCH_TOPICS.sensors,
            mode: o.mode,
            publishers: o.publishers ?? 4,
            devices: o.devices ?? 20,
            lines: o.lines ?? 2,
            warmupSeconds: o.warmupSeconds,
            seconds: o.seconds,
            drainTimeoutMs: o.drainTimeoutMs ?? 5000,
            seed: o.seed ?? 7,
          },
        },
        o.placement,
      ),
    );
    const s = worker?.stats();
    return {
      ...result,
      serverCpu,
      machineCpu,
      ...(s ? { worker: { received: s.received, scored: s.scored, anomalies: s.anomalies, publishErrors: s.publishErrors } } : {}),
    };
  } finally {
    await worker?.stop(2000);
    await broker.close();
  }
}
