import { simulatorSettings } from '../helpers/settings.js';
import { createServer } from 'node:net';
import { loadConfig } from '../../src/app/config.js';
import { DEFAULT_SENSORS } from '../../src/core/sensors.js';
import { ingestMessage } from '../../src/core/stages/ingest.js';
import { silentLogger } from '../../src/support/logger.js';
import { FAULT_KINDS, type InjectedAnomaly } from '../../src/simulator/generator.js';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../src/simulator/simulator.js';
import { deviceFromTopic } from '../../src/core/topics.js';
import {
  connectClient,
  createResources,
  startTestBroker,
  waitForEvent,
  waitForMessage,
  waitForMessages,
  withTimeout,
} from '../helpers/mqtt.js';

const config = loadConfig({});
const resources = createResources();
afterEach(() => resources.closeAll());

async function simulate(url: string, overrides: Partial<SimulatorOptions> & { simulator?: Partial<SimulatorOptions['config']> } = {}) {
  const { simulator, ...rest } = overrides;
  const running = await startSimulator({
    url,
    config: { ...simulatorSettings(config), devices: 3, rate: 50, ...simulator },
    topics: { sensors: config.topics.sensors, injected: config.topics.injected },
    qos: 1,
    logger: silentLogger(),
    ...rest,
  });
  return resources.add(running, (s: RunningSimulator) => s.stop());
}

describe('simulator against the embedded broker', () => {
  it('when running, then a subscriber receives valid readings from every device on its own topic', async () => {
    const broker = await startTestBroker(resources);
    const sub = await connectClient(resources, broker.url);
    await sub.subscribeAsync('factory/sensors/+/+', { qos: 1 });
    const readings = waitForMessages(sub, 'factory/sensors/+/+', 30);

    const simulator = await simulate(broker.url);
    const received = await readings;

    const prefix = 'factory/sensors';
    for (const { topic, payload } of received) {
      const ingested = ingestMessage(topic, payload, { sensorPrefix: prefix, maxPayloadBytes: 65536, maxBatch: 1, schema: DEFAULT_SENSORS });
      expect(ingested).toMatchObject({ ok: true, batch: false, items: [{ ok: true }] });
      expect(deviceFromTopic(topic, prefix).ok).toBe(true);
    }
    const devices = new Set(received.map((m) => m.topic.slice(prefix.length + 1)));
    expect([...devices].sort()).toEqual(simulator.devices.map((d) => d.id).sort());
  });

  it('when the anomaly rate is 1, then ground truth arrives on the injected topic for a reading that was published', async () => {
    const broker = await startTestBroker(resources);
    const sub = await connectClient(resources, broker.url);
    await sub.subscribeAsync([config.topics.injected, 'factory/sensors/#'], { qos: 1 });
    const isReadingMarker = (m: { payload: Buffer }) => (JSON.parse(m.payload.toString()) as { marker: string }).marker === 'reading';
    const truth = waitForMessage(sub, config.topics.injected, isReadingMarker);
    const sensorPayloads: { topic: string; payload: string }[] = [];
    sub.on('message', (topic, payload) => sensorPayloads.push({ topic, payload: payload.toString() }));

    await simulate(broker.url, { simulator: { anomalyRate: 1, faults: { kinds: ['spike', 'stuck'], gapSeconds: 0 } } });
    const injected = JSON.parse((await truth).payload.toString()) as Record<string, unknown>;

    // The original contract {device, timestamp, kind}, extended with the fault's id and the marker.
    expect(Object.keys(injected).sort()).toEqual(['device', 'fault_id', 'kind', 'marker', 'timestamp']);
    expect(FAULT_KINDS).toContain(injected.kind);
    expect(Date.parse(injected.timestamp as string)).not.toBeNaN();
    // Ground truth is published before its reading, so wait for the reading itself.
    const topic = `factory/sensors/${injected.device as string}`;
    const isThatReading = (payload: string) => (JSON.parse(payload) as { timestamp: string }).timestamp === injected.timestamp;
    if (!sensorPayloads.some((m) => m.topic === topic && isThatReading(m.payload))) {
      await waitForMessage(sub, topic, (m) => isThatReading(m.payload.toString()));
    }
  });

  it('when every kind is injected, then each fault arrives as start and end markers around its readings, and a dropout as silence between them', async () => {
    const broker = await startTestBroker(resources);
    const sub = await connectClient(resources, broker.url);
    await sub.subscribeAsync([config.topics.injected, 'factory/sensors/#'], { qos: 1 });
    const truth: InjectedAnomaly[] = [];
    const readings: Array<{ device: string; at: number }> = [];
    sub.on('message', (topic, payload) => {
      if (topic === config.topics.injected) truth.push(JSON.parse(payload.toString()) as InjectedAnomaly);
      else readings.push({ device: topic.slice('factory/sensors/'.length), at: Date.parse((JSON.parse(payload.toString()) as { timestamp: string }).timestamp) });
    });
    // One device per kind, each starting a fault after 5 healthy readings: the first faults cover every kind. At 150x a
    // simulated second takes under 7 ms, so the longest fault (6 simulated minutes) is over in under 2.5 s.
    const ended = (t: InjectedAnomaly) => t.marker === 'end' && t.fault_id.endsWith('#1');
    const allEnded = waitForMessages(sub, config.topics.injected, FAULT_KINDS.length, (m) => ended(JSON.parse(m.payload.toString()) as InjectedAnomaly), 15_000);
    const simulator = await simulate(broker.url, {
      simulator: { devices: FAULT_KINDS.length, rate: 1, timeScale: 150, anomalyRate: 1, faults: { kinds: 'all', gapSeconds: 5 } },
    });
    const ends = (await allEnded).map((m) => JSON.parse(m.payload.toString()) as InjectedAnomaly);
    // The reading after each fault, so everything published during the faults has arrived (one connection keeps order).
    const lastEnd = Math.max(...ends.map((e) => Date.parse(e.timestamp)));
    await waitForMessage(sub, 'factory/sensors/#', (m) => Date.parse((JSON.parse(m.payload.toString()) as { timestamp: string }).timestamp) > lastEnd + 1000, 5000);
    await simulator.stop();

    expect(new Set(ends.map((e) => e.kind))).toEqual(new Set(FAULT_KINDS));
    for (const end of ends) {
      const markers = truth.filter((t) => t.fault_id === end.fault_id);
      const start = markers[0]!;
      expect(start).toMatchObject({ marker: 'start', device: end.device, kind: end.kind });
      expect(Date.parse(start.timestamp)).toBeLessThanOrEqual(Date.parse(end.timestamp));
      const [from, to] = [Date.parse(start.timestamp), Date.parse(end.timestamp)];
      const during = readings.filter((r) => r.device === end.device && r.at >= from && r.at <= to);
      if (end.kind === 'dropout') {
        expect(during).toHaveLength(0);
        expect(start.sensors).toEqual([]);
        // Silent from its start to its end marker, one simulated second apart from the readings either side.
        expect(readings.some((r) => r.device === end.device && r.at === from - 1000)).toBe(true);
        expect(readings.some((r) => r.device === end.device && r.at === to + 1000)).toBe(true);
        expect((to - from) / 1000 + 1).toBeGreaterThanOrEqual(60);
      } else {
        expect(during.length).toBe((to - from) / 1000 + 1);
        expect(start.sensors!.length).toBeGreaterThan(0);
        // Every reading marker is about a reading that was published.
        for (const m of markers.filter((t) => t.marker === 'reading')) expect(during.some((r) => r.at === Date.parse(m.timestamp))).toBe(true);
      }
    }
  });

  it('when the time scale is 10, then a device\'s readings are stamped ten times further apart than they arrive', async () => {
    const broker = await startTestBroker(resources);
    const sub = await connectClient(resources, broker.url);
    await sub.subscribeAsync('factory/sensors/#', { qos: 1 });
    const all = waitForMessages(sub, 'factory/sensors/#', 45);
    const simulator = await simulate(broker.url, { durationSeconds: 0.3, simulator: { rate: 5, timeScale: 10, anomalyRate: 0 } });
    await withTimeout(simulator.done, 3000, 'the simulation to finish');
    const received = await all;
    expect(simulator.stats()).toMatchObject({ sent: 45, dropped: 0 });
    // 3 devices x 5/s x 10 x 0.3 s: 15 readings each, 200 ms of simulated time apart: 3 simulated seconds in 0.3 s.
    for (const device of simulator.devices) {
      const times = received.filter((m) => m.topic.endsWith(`/${device.id}`)).map((m) => Date.parse((JSON.parse(m.payload.toString()) as { timestamp: string }).timestamp));
      expect(times).toHaveLength(15);
      for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBe(200);
    }
  });

  it('when a duration is given, then it publishes rate x devices x duration readings and finishes by itself', async () => {
    const broker = await startTestBroker(resources);
    const sub = await connectClient(resources, broker.url);
    await sub.subscribeAsync('factory/sensors/#', { qos: 1 });
    const all = waitForMessages(sub, 'factory/sensors/#', 45);
    const seen: { topic: string; timestamp: string }[] = [];
    sub.on('message', (topic, payload) => seen.push({ topic, timestamp: (JSON.parse(payload.toString()) as { timestamp: string }).timestamp }));

    const simulator = await simulate(broker.url, { durationSeconds: 0.3, simulator: { anomalyRate: 0 } });
    await withTimeout(simulator.done, 3000, 'the simulation to finish');

    expect(simulator.stats()).toMatchObject({ sent: 45, dropped: 0, failed: 0, inflight: 0, connected: false });
    await all;
    // Every publish completed and the client has ended, so nothing beyond these can still arrive.
    expect(seen).toHaveLength(45);
    // Each reading is stamped with its own due time: per device, 20 ms apart at 50/s.
    for (const device of simulator.devices) {
      const times = seen.filter((m) => m.topic.endsWith(`/${device.id}`)).map((m) => Date.parse(m.timestamp));
      expect(times).toHaveLength(15);
      for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBe(20);
    }
  });

  it('when stop() is called twice, then both share one promise and done resolves', async () => {
    const broker = await startTestBroker(resources);
    const simulator = await simulate(broker.url);
    const first = simulator.stop();
    expect(simulator.stop()).toBe(first);
    await withTimeout(first, 2000, 'stop()');
    await withTimeout(simulator.done, 100, 'done');
    expect(simulator.stats()).toMatchObject({ inflight: 0, connected: false });
  });

  it('when publishes pile up beyond maxInflight, then new readings are dropped instead of queued', async () => {
    const broker = await startTestBroker(resources);
    const simulator = await simulate(broker.url, { maxInflight: 1, simulator: { devices: 20, rate: 500 } });
    await waitForEvent(broker.aedes, 'publish', () => simulator.stats().dropped > 0);
    expect(simulator.stats().inflight).toBeLessThanOrEqual(2);
  });

  it('when the duration is not positive, then it refuses to start', async () => {
    await expect(simulate('mqtt://127.0.0.1:1', { durationSeconds: 0 })).rejects.toThrow(/durationSeconds/);
  });

  it('when the broker cannot be reached, then startSimulator rejects', async () => {
    const port = await freePort();
    await expect(
      startSimulator({
        url: `mqtt://127.0.0.1:${port}`,
        config: simulatorSettings(config),
        topics: { sensors: config.topics.sensors, injected: config.topics.injected },
        qos: 0,
        logger: silentLogger(),
      }),
    ).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('when the sensor topic is a wildcard in the middle, then it refuses to start', async () => {
    await expect(
      startSimulator({
        url: 'mqtt://127.0.0.1:1',
        config: simulatorSettings(config),
        topics: { sensors: 'factory/+/sensors/#', injected: config.topics.injected },
        qos: 0,
        logger: silentLogger(),
      }),
    ).rejects.toThrow(/wildcard/);
  });
});

/** A port nothing listens on: bind one, then release it. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== 'object' || address === null) throw new Error('no address');
  return address.port;
}
