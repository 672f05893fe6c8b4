import { deadLetter, DEAD_LETTER_PAYLOAD_LIMIT, resultMessage } from '../../../../src/core/messages.js';
import type { AnomalyModel } from '../../../../src/core/model/types.js';
import { DEFAULT_SENSORS } from '../../../../src/core/sensors.js';
import { ingestMessage, type IngestOptions } from '../../../../src/core/stages/ingest.js';
import { fixedModelDetector } from '../../../../src/detector/fixed-model.js';
import { DEFAULT_DETECTOR_SETTINGS } from '../../../../src/core/context/settings.js';

const options: IngestOptions = { sensorPrefix: 'factory/sensors', maxPayloadBytes: 1024, maxBatch: 3, schema: DEFAULT_SENSORS };
const reading = { timestamp: '2024-01-20T10:30:00', temperature: 25.5, humidity: 48.2, sound: 62.1 };
const topic = 'factory/sensors/line1/press-3';
const bytes = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));

describe('ingestMessage', () => {
  it('when a reading arrives, then it comes out with its device, values and event time', () => {
    const ingested = ingestMessage(topic, bytes(reading), options);
    expect(ingested).toMatchObject({ ok: true, device: 'line1/press-3', batch: false, items: [{ ok: true, index: 0 }] });
    const item = ingested.ok ? ingested.items[0] : undefined;
    expect(item?.ok && { values: Array.from(item.reading.values), at: item.reading.timestampMs, input: item.reading.input }).toEqual({
      values: [25.5, 48.2, 62.1],
      at: Date.UTC(2024, 0, 20, 10, 30),
      input: reading,
    });
  });

  it('when a gateway sends a batch, then each reading comes out on its own and a bad one is rejected alone, with its index', () => {
    const ingested = ingestMessage(topic, bytes([reading, { ...reading, humidity: 'wet' }, reading]), options);
    expect(ingested).toMatchObject({
      ok: true,
      batch: true,
      items: [
        { ok: true, index: 0 },
        { ok: false, index: 1, code: 'invalid_reading', reason: 'reading [1]: humidity must be a number' },
        { ok: true, index: 2 },
      ],
    });
  });

  it.each([
    ['a topic without a device', 'factory/sensors', bytes(reading), 'invalid_topic'],
    ['an oversized payload', topic, bytes('x'.repeat(2000)), 'payload_too_large'],
    ['binary', topic, Buffer.from([0xff, 0xfe, 0x00, 0x81]), 'not_utf8'],
    ['invalid JSON', topic, bytes('{nope'), 'invalid_json'],
    ['an empty payload', topic, bytes(''), 'empty_payload'],
    ['an empty batch', topic, bytes('[]'), 'empty_batch'],
    ['a batch over MAX_BATCH', topic, bytes([reading, reading, reading, reading]), 'batch_too_large'],
  ])('when the message has %s, then all of it is rejected as %s', (_name, t, payload, code) => {
    expect(ingestMessage(t, payload, options)).toMatchObject({ ok: false, code, reason: expect.any(String) });
  });

  it('when the reading is invalid, then its item carries every problem', () => {
    expect(ingestMessage(topic, bytes({ temperature: 'hot' }), options)).toMatchObject({
      ok: true,
      items: [{ ok: false, code: 'invalid_reading', reason: 'temperature must be a number; humidity is required; sound is required' }],
    });
  });
});

describe('messages', () => {
  const at = new Date('2024-01-20T10:30:01.000Z');
  /** Scores by how far temperature is from 25: enough to see the contract; the forest has its own tests. */
  const model: AnomalyModel = {
    info: { id: 'test', version: 1, engine: 'native', trees: 1, sampleSize: 1, seed: 1, features: DEFAULT_SENSORS.names, trainingSize: 1, trainedAt: '2024-01-01T00:00:00.000Z' },
    threshold: 0.5,
    stats: DEFAULT_SENSORS.names.map(() => ({ mean: 0, sd: 0, min: 0, max: 0, median: 0 })),
    score: (row) => Math.min(1, Math.abs((row[0] ?? 0) - 25) / 50),
    explain: () => ({ contributions: { temperature: 1, humidity: 0, sound: 0 }, zScores: { temperature: 9, humidity: 0, sound: 0 } }),
  };

  it('builds the anomaly contract', () => {
    const ingested = ingestMessage(topic, bytes({ ...reading, temperature: 90 }), options);
    const item = ingested.ok ? ingested.items[0] : undefined;
    if (!item?.ok) throw new Error('expected a reading');
    const outcome = fixedModelDetector(() => model, DEFAULT_SENSORS, DEFAULT_DETECTOR_SETTINGS).process('line1/press-3', item.reading, 0);
    if (outcome.kind !== 'scored') throw new Error(outcome.reason);
    const message = resultMessage('line1/press-3', topic, outcome.result, at);
    expect(message).toEqual({
      device: 'line1/press-3',
      topic,
      input_data: { ...reading, temperature: 90 },
      prediction: expect.objectContaining({ is_anomaly: true, threshold: 0.5, status: 'ready' }),
      model: model.info,
      scored_at: '2024-01-20T10:30:01.000Z',
    });
  });

  it('dead letters keep UTF-8 payloads as text', () => {
    expect(deadLetter(topic, Buffer.from('{bad'), 'invalid_json', 'why', at)).toEqual({
      topic,
      code: 'invalid_json',
      reason: 'why',
      payload: '{bad',
      payload_encoding: 'utf8',
      payload_bytes: 4,
      payload_truncated: false,
      received_at: '2024-01-20T10:30:01.000Z',
    });
  });

  it('dead letters of a batch element say which one', () => {
    expect(deadLetter(topic, Buffer.from('[{}]'), 'invalid_reading', 'why', at, 0)).toMatchObject({ batch_index: 0 });
  });

  it('dead letters carry binary payloads as base64', () => {
    const payload = Buffer.from([0xff, 0x00, 0x80]);
    const letter = deadLetter(topic, payload, 'not_utf8', 'why', at);
    expect(letter.payload_encoding).toBe('base64');
    expect(Buffer.from(letter.payload, 'base64')).toEqual(payload);
  });

  it('dead letters cut huge payloads', () => {
    const letter = deadLetter(topic, Buffer.alloc(1 << 20, 0x61), 'payload_too_large', 'why', at);
    expect(letter.payload).toHaveLength(DEAD_LETTER_PAYLOAD_LIMIT);
    expect(letter).toMatchObject({ payload_truncated: true, payload_bytes: 1 << 20 });
  });
});
