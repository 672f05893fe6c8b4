/**
 * Incidents over MQTT (issue 9, part 3): a device's run of normal readings, a sustained fault that spreads to
 * a second sensor, then quiet readings. The contract: events on `factory/incidents` (opened, updated when
 * new evidence sets in, closed after INCIDENT_QUIET without an anomalous reading), and the device's current
 * incident retained on `factory/incidents/<line>/<device>`: after the close, the closed event itself (the
 * worker publishes every event there retained; it never clears the topic), so a dashboard that connects
 * later sees the incident ended.
 */
import type { IncidentEvent } from '../../src/core/context/incidents.js';
import type { ResultMessage } from '../../src/core/messages.js';
import { createRandom } from '../../src/support/random.js';
import { connectClient, createResources, waitForMessage, waitForMessages, type ReceivedMessage } from '../helpers/mqtt.js';
import { startLocalPipeline } from '../helpers/pipeline.js';
import { FLAT_SIMULATOR } from '../helpers/trained-model.js';

const DEVICE = 'line2/oven-4';
const T0 = Date.UTC(2024, 0, 20, 10);
const json = <T>(m: ReceivedMessage) => JSON.parse(m.payload.toString()) as T;

/** One reading a second: `normal` of them, `hot` with the temperature 8 sd up, `spread` with the humidity 8 sd up too, then `quiet`. */
function readings(normal: number, hot: number, spread: number, quiet: number): string[] {
  const random = createRandom(11);
  return Array.from({ length: normal + hot + spread + quiet }, (_, i) => {
    const faulty = i >= normal && i < normal + hot + spread;
    const humid = i >= normal + hot && i < normal + hot + spread;
    return JSON.stringify({
      timestamp: new Date(T0 + i * 1000).toISOString(),
      temperature: 25 + random.gaussian() + (faulty ? 8 : 0),
      humidity: 50 + 2 * random.gaussian() + (humid ? 16 : 0),
      sound: 60 + 2 * random.gaussian(),
      seq: i,
    });
  });
}

describe('incidents over MQTT', () => {
  const resources = createResources();
  afterEach(() => resources.closeAll());

  it('when a device has a sustained fault and then quiet readings, then its incident opens, is updated, closes, and the close stays retained', async () => {
    // The start-up model learns flat simulated readings, as these are (no load shared by temperature and sound).
    const pipeline = await startLocalPipeline(resources, { MODEL_TRAINING_SIZE: '2000', ...FLAT_SIMULATOR });
    const observer = await connectClient(resources, pipeline.mqttUrl);
    await observer.subscribeAsync(['factory/incidents', `factory/scores/${DEVICE}`], { qos: 1 });
    const device = await connectClient(resources, pipeline.mqttUrl);

    const sent = readings(40, 8, 8, 80);
    const closed = waitForMessage(observer, 'factory/incidents', (m) => json<IncidentEvent>(m).state === 'closed', 15_000);
    const results = waitForMessages(observer, `factory/scores/${DEVICE}`, sent.length, () => true, 15_000);
    const events: IncidentEvent[] = [];
    observer.on('message', (topic, payload) => void (topic === 'factory/incidents' && events.push(JSON.parse(payload.toString()) as IncidentEvent)));
    for (const payload of sent) await device.publishAsync(`factory/sensors/${DEVICE}`, payload, { qos: 1 });
    const last = json<IncidentEvent>(await closed);
    const scored = (await results).map((m) => json<ResultMessage>(m));

    // Contract fields, on every event.
    for (const e of events) {
      expect(e).toEqual(
        expect.objectContaining({
          device: DEVICE,
          incident_id: expect.any(String),
          state: expect.stringMatching(/^(opened|updated|closed)$/),
          kind: expect.any(String),
          opened_at: expect.any(String),
          peak_score: expect.any(Number),
          readings: expect.any(Number),
          sensors: expect.any(Object),
        }),
      );
      expect(e).toHaveProperty('closed_at');
    }
    const states = events.map((e) => e.state);
    expect(states[0]).toBe('opened');
    expect(states.at(-1)).toBe('closed');
    expect(states.slice(1, -1).length).toBeGreaterThan(0);
    expect(states.slice(1, -1).every((s) => s === 'updated')).toBe(true);
    expect(new Set(events.map((e) => e.incident_id))).toEqual(new Set([events[0]!.incident_id]));

    // Opened in event time at the first faulty reading or soon after, on the temperature; the humidity joins by an update.
    const openedAt = Date.parse(events[0]!.opened_at);
    expect(openedAt).toBeGreaterThanOrEqual(T0 + 40_000);
    expect(openedAt).toBeLessThan(T0 + 48_000);
    expect(events[0]!.closed_at).toBeNull();
    expect(Object.keys(events[0]!.sensors)).toContain('temperature');
    expect(events.some((e) => e.state === 'updated' && 'humidity' in e.sensors)).toBe(true);
    // Closed after the quiet period (INCIDENT_QUIET=30r) in event time, the readings of the incident counted.
    expect(last).toMatchObject({ incident_id: events[0]!.incident_id, sensors: { temperature: expect.any(Number), humidity: expect.any(Number) } });
    const quietFrom = scored.findLastIndex((r) => r.prediction.is_anomaly) + 1;
    expect(Date.parse(last.closed_at!)).toBe(T0 + (quietFrom + 29) * 1000);
    expect(last.peak_score).toBeGreaterThanOrEqual(0.9);
    expect(last.readings).toBeGreaterThanOrEqual(16);
    // `readings` counts the device's readings from opened_at to closed_at; results name the incident while it is
    // open, so every one of them but the reading that closed it.
    const during = scored.filter((r) => Date.parse(r.input_data.timestamp as string) >= openedAt && Date.parse(r.input_data.timestamp as string) <= Date.parse(last.closed_at!));
    expect(last.readings).toBe(during.length);
    expect(scored.filter((r) => r.prediction.incident_id === last.incident_id)).toEqual(during.slice(0, -1));

    const late = await connectClient(resources, pipeline.mqttUrl);
    const retained = waitForMessage(late, `factory/incidents/${DEVICE}`);
    await late.subscribeAsync(`factory/incidents/${DEVICE}`, { qos: 1 });
    expect(json<IncidentEvent>(await retained)).toEqual(last);
  });
});
