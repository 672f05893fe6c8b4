import { randomBytes } from 'node:crypto';
import { connectAsync, type MqttClient } from 'mqtt';
import type { SimulatorSettings as SimulatorConfig } from './settings.js';
import type { Logger } from '../support/logger.js';
import { connectionOptions, RECONNECT_BACKOFF, withReconnectBackoff, type BrokerConnection } from '../adapters/mqtt/client-options.js';
import { filterPrefix, sensorTopic } from '../core/topics.js';
import type { SimulatedDevice } from './devices.js';
import { checkGeneratorOptions, createGenerator } from './generator.js';
import { createPacer, tickIntervalMs } from './pacer.js';

/** The broker: URL, credentials, and the MQTT version and TLS files of any broker (issue 11). */
export interface SimulatorOptions extends BrokerConnection {
  /** Defaults to a random `simulator-xxxxxxxx`, so several simulators can share a broker. */
  clientId?: string;
  config: Pick<SimulatorConfig, 'devices' | 'lines' | 'rate' | 'anomalyRate' | 'seed' | 'sensors' | 'timeScale' | 'baseline' | 'load' | 'faults'>;
  /** `sensors`: the sensor filter (`factory/sensors/#`) or its prefix; readings go to `<prefix>/<device>`. */
  topics: { sensors: string; injected: string };
  qos: 0 | 1 | 2;
  logger: Logger;
  /** Stop by itself after this long; runs until stop() otherwise. */
  durationSeconds?: number;
  /** Called every `statsIntervalMs` (default 1000) while running. */
  onStats?: (stats: SimulatorStats) => void;
  statsIntervalMs?: number;
  /** Publishes awaiting completion beyond which new readings are dropped, not queued (default 10000). */
  maxInflight?: number;
  /** How long stop() waits for in-flight publishes before ending the connection anyway (default 5000). */
  flushTimeoutMs?: number;
}

export interface SimulatorStats {
  /** Readings whose publish completed (written for QoS 0, acknowledged for QoS 1 and 2). */
  sent: number;
  /** Ground-truth messages published: a start and an end marker per fault, one per anomalous reading. */
  injected: number;
  /** Readings skipped: due while disconnected, over the in-flight limit, or too late after a stall. */
  dropped: number;
  /** Publishes that completed with an error. */
  failed: number;
  inflight: number;
  connected: boolean;
  elapsedMs: number;
}

export interface RunningSimulator {
  readonly devices: readonly SimulatedDevice[];
  /** When the simulation started (epoch ms), wall-clock and simulated time alike. */
  readonly startMs: number;
  stats(): SimulatorStats;
  /** The simulated time (epoch ms) readings are stamped with at wall-clock time `wallMs`; runs SIMULATOR_TIME_SCALE times as fast. */
  simulatedTime(wallMs: number): number;
  /** Stops generating, waits for in-flight publishes, disconnects. Idempotent. */
  stop(): Promise<void>;
  /** Resolves once stopped, by stop() or at the end of `durationSeconds`. */
  readonly done: Promise<void>;
}

/** Connects, then publishes readings of every device at `config.rate` per device per second. */
export async function startSimulator(options: SimulatorOptions): Promise<RunningSimulator> {
  const logger = options.logger.child({ component: 'simulator' });
  const { config } = options;
  if (!(Number.isFinite(config.rate) && config.rate > 0)) throw new RangeError(`rate must be a positive number, got ${config.rate}`);
  const duration = options.durationSeconds;
  if (duration !== undefined && !(Number.isFinite(duration) && duration > 0)) {
    throw new RangeError(`durationSeconds must be a positive number, got ${duration}`);
  }
  const prefix = filterPrefix(options.topics.sensors);
  if (/[+#]/.test(prefix)) throw new RangeError(`cannot publish readings under the wildcard filter ${options.topics.sensors}`);

  const timeScale = config.timeScale ?? 1;
  if (!(Number.isFinite(timeScale) && timeScale > 0)) throw new RangeError(`timeScale must be a positive number, got ${timeScale}`);
  // Before connecting: a setting the generator refuses (an unknown load sensor or fault kind) fails the start at once.
  const { kinds } = checkGeneratorOptions(config);
  const client = await connectAsync(options.url, {
    ...connectionOptions(options),
    clientId: options.clientId ?? `simulator-${randomBytes(4).toString('hex')}`,
    reconnectPeriod: RECONNECT_BACKOFF.initialMs,
  });
  withReconnectBackoff(client);
  watchConnection(client, logger);

  const startMs = Date.now();
  const generator = createGenerator({ ...config, originMs: startMs });
  const topics = generator.devices.map((device) => sensorTopic(prefix, device.id));
  const totalRate = config.rate * generator.devices.length;
  const endMs = duration === undefined ? undefined : startMs + duration * 1000;
  const pacer = createPacer({ ratePerSecond: totalRate, startMs, timeScale });
  const maxInflight = options.maxInflight ?? 10_000;
  const counts = { sent: 0, injected: 0, dropped: 0, failed: 0, inflight: 0 };
  let onIdle: (() => void) | undefined;

  const stats = (): SimulatorStats => ({ ...counts, connected: client.connected, elapsedMs: Date.now() - startMs });

  const publish = (topic: string, payload: string, counter: 'sent' | 'injected') => {
    counts.inflight += 1;
    client.publish(topic, payload, { qos: options.qos }, (err) => {
      counts.inflight -= 1;
      if (err) counts.failed += 1;
      else counts[counter] += 1;
      if (counts.inflight === 0) onIdle?.();
    });
  };

  const publishDue = (now: number) => {
    const { first, due, dropped } = pacer.take(endMs === undefined ? now : Math.min(now, endMs));
    // Queueing while offline would replay stale readings in a burst on reconnect; a real sensor just misses them.
    const room = client.connected ? Math.max(0, maxInflight - counts.inflight) : 0;
    const count = Math.min(due, room);
    counts.dropped += dropped + due - count;
    for (let slot = first; slot < first + count; slot++) {
      // Slots go round the devices; stamping each with its own time keeps a device's timestamps distinct and increasing.
      const index = slot % topics.length;
      const generated = generator.next(index, pacer.slotTime(slot));
      // Ground truth first, so an evaluator has it before the score of the same reading can arrive.
      for (const truth of generated.truth) publish(options.topics.injected, JSON.stringify(truth), 'injected');
      // A silent device (a dropout) publishes nothing for its slot.
      if (generated.reading) publish(topics[index]!, JSON.stringify(generated.reading), 'sent');
    }
  };

  const ticker = setInterval(() => publishDue(Date.now()), tickIntervalMs(totalRate * timeScale));
  const reporter = options.onStats ? setInterval(() => options.onStats?.(stats()), options.statsIntervalMs ?? 1000) : undefined;
  const ender = endMs === undefined ? undefined : setTimeout(() => {
    publishDue(endMs);
    void stop();
  }, endMs - startMs);

  const flush = (timeoutMs: number) =>
    new Promise<void>((resolve) => {
      // Offline, nothing in flight can complete; waiting would only delay Ctrl-C.
      if (counts.inflight === 0 || !client.connected) return resolve();
      const timer = setTimeout(resolve, timeoutMs);
      onIdle = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      clearInterval(ticker);
      clearInterval(reporter);
      clearTimeout(ender);
      await flush(options.flushTimeoutMs ?? 5000);
      if (counts.inflight > 0) logger.warn({ inflight: counts.inflight }, 'in-flight publishes not completed; disconnecting anyway');
      await client.endAsync(counts.inflight > 0);
      logger.info(stats(), 'simulator stopped');
      resolveDone();
    })());

  logger.info(
    { url: options.url, devices: topics.length, rate: config.rate, timeScale, anomalyRate: config.anomalyRate, seed: config.seed, faultKinds: kinds },
    'simulator started',
  );
  return { devices: generator.devices, startMs, stats, simulatedTime: pacer.simulatedTime, stop, done };
}

function watchConnection(client: MqttClient, logger: Logger): void {
  // While the broker is down every retry fails the same way: warn once, then keep it to debug.
  let failing = false;
  client.on('offline', () => logger.warn('broker connection lost; readings are dropped until it is back'));
  client.on('reconnect', () => logger.debug('reconnecting to broker'));
  client.on('connect', () => {
    failing = false;
    logger.info('reconnected to broker');
  });
  client.on('error', (err) => {
    logger[failing ? 'debug' : 'warn']({ err }, 'mqtt client error');
    failing = true;
  });
}
