/**
 * Silent devices over MQTT (issue 9, part 4): a device that reported steadily and stops opens an incident
 * of kind `silent` (DEVICE_SILENCE_MIN_S, here a fraction of a second; the worker's one scheduler looks
 * every second), and its next reading closes it. The device is paced by the worker's own answers: each
 * reading goes out when the previous one's result is back.
 */
import type { MqttClient } from 'mqtt';
import type { IncidentEvent } from '../../src/core/context/incidents.js';
import type { Pipeline } from '../../src/app/start-pipeline.js';
import { connectClient, createResources, waitForMessage, type ReceivedMessage } from '../helpers/mqtt.js';
import { startLocalPipeline } from '../helpers/pipeline.js';

const DEVICE = 'line1/press-7';
const normal = (seq: number) => JSON.stringify({ temperature: 25 + (seq % 5) / 10, humidity: 50, sound: 60, seq });
const incident = (m: ReceivedMessage) => JSON.parse(m.payload.toString()) as IncidentEvent;
const ofDevice = (state: IncidentEvent['state'], kind?: string) => (m: ReceivedMessage) => {
  const e = incident(m);
  return e.device === DEVICE && e.state === state && (kind === undefined || e.kind === kind);
};

describe('silent devices over MQTT', () => {
  const resources = createResources();
  afterEach(() => resources.closeAll());

  async function start(): Promise<{ pipeline: Pipeline; observer: MqttClient; device: MqttClient }> {
    const pipeline = await startLocalPipeline(resources, { DEVICE_SILENCE_FACTOR: '5', DEVICE_SILENCE_MIN_S: '0.3', MODEL_TRAINING_SIZE: '2000' });
    const observer = await connectClient(resources, pipeline.mqttUrl);
    await observer.subscribeAsync(['factory/scores/#', 'factory/incidents', 'factory/incidents/#'], { qos: 1 });
    return { pipeline, observer, device: await connectClient(resources, pipeline.mqttUrl) };
  }

  /** What a subscriber arriving now is given on the device's incident topic (retained). */
  async function retainedIncident(pipeline: Pipeline): Promise<IncidentEvent> {
    const late = await connectClient(resources, pipeline.mqttUrl);
    const retained = waitForMessage(late, `factory/incidents/${DEVICE}`);
    await late.subscribeAsync(`factory/incidents/${DEVICE}`, { qos: 1 });
    return incident(await retained);
  }

  /** `count` readings, each sent once the previous one was scored; resolves with when the last one was sent. */
  async function report(device: MqttClient, observer: MqttClient, count: number): Promise<number> {
    let sentAt = 0;
    for (let seq = 0; seq < count; seq++) {
      const scored = waitForMessage(observer, `factory/scores/${DEVICE}`);
      sentAt = Date.now();
      await device.publishAsync(`factory/sensors/${DEVICE}`, normal(seq), { qos: 1 });
      await scored;
    }
    return sentAt;
  }

  it('when a steady device stops reporting, then a silent incident opens; when it reports again, the incident closes', async () => {
    const { pipeline, observer, device } = await start();
    const lastSent = await report(device, observer, 20);
    // The scheduler may have seen a pause while the machine was busy: the silence that counts starts at the last reading.
    const opened = incident(await waitForMessage(observer, 'factory/incidents', (m) => ofDevice('opened', 'silent')(m) && Date.parse(incident(m).opened_at) >= lastSent, 5000));
    expect(opened).toMatchObject({ device: DEVICE, kind: 'silent', closed_at: null, readings: 0, sensors: {} });

    const closed = waitForMessage(observer, 'factory/incidents', ofDevice('closed', 'silent'));
    const backAt = Date.now();
    await device.publishAsync(`factory/sensors/${DEVICE}`, normal(99), { qos: 1 });
    const event = incident(await closed);
    expect(event).toMatchObject({ incident_id: opened.incident_id, kind: 'silent', opened_at: opened.opened_at });
    expect(Date.parse(event.closed_at!)).toBeGreaterThanOrEqual(backAt);
    expect(await retainedIncident(pipeline)).toEqual(event);
  });

  it('when a silent device comes back with an extreme reading, then its silence closes and a new incident opens, in that order', async () => {
    const { pipeline, observer, device } = await start();
    const lastSent = await report(device, observer, 20);
    const opened = incident(await waitForMessage(observer, 'factory/incidents', (m) => ofDevice('opened', 'silent')(m) && Date.parse(incident(m).opened_at) >= lastSent, 5000));

    const events: IncidentEvent[] = [];
    observer.on('message', (topic, payload) => void (topic === 'factory/incidents' && events.push(JSON.parse(payload.toString()) as IncidentEvent)));
    const fault = waitForMessage(observer, 'factory/incidents', ofDevice('opened', 'deviation'));
    await device.publishAsync(`factory/sensors/${DEVICE}`, JSON.stringify({ temperature: 90, humidity: 50, sound: 60 }), { qos: 1 });
    const newIncident = incident(await fault);
    expect(events.map((e) => [e.incident_id, e.state])).toEqual([
      [opened.incident_id, 'closed'],
      [newIncident.incident_id, 'opened'],
    ]);

    // The device's retained state is its current incident: the new one, not the silence that ended.
    expect(await retainedIncident(pipeline)).toEqual(newIncident);
  });
});
