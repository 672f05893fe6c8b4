import type { AnomalyModel } from '../../../../src/core/model/types.js';
import { deadLetter, DEAD_LETTER_PAYLOAD_LIMIT, resultMessage } from '../../../../src/core/messages.js';
import { processMessage, type ProcessContext } from '../../../../src/core/stages/process-message.js';

/** Scores by how far temperature is from 25: enough to tell routing apart; the forest has its own tests. */
const model: AnomalyModel = {
  info: {
    id: 'test',
    version: 1,
    engine: 'native',
    trees: 1,
    sampleSize: 1,
    seed: 1,
    features: ['temperature', 'humidity', 'sound'],
    trainingSize: 1,
    trainedAt: '2024-01-01T00:00:00.000Z',
  },
  threshold: 0.5,
  stats: [],
  score: (row) => Math.min(1, Math.abs((row[0] ?? 0) - 25) / 50),
  explain: () => ({ contributions: { temperature: 1, humidity: 0, sound: 0 }, zScores: { temperature: 9, humidity: 0, sound: 0 } }),
};

const ctx: ProcessContext = { sensorPrefix: 'factory/sensors', maxPayloadBytes: 1024, model };
const reading = { timestamp: '2024-01-20T10:30:00', temperature: 25.5, humidity: 48.2, sound: 62.1 };
const topic = 'factory/sensors/line1/press-3';

describe('processMessage', () => {
  it('when a baseline reading arrives, then it is scored and not an anomaly', () => {
    const outcome = processMessage(topic, Buffer.from(JSON.stringify(reading)), ctx);
    expect(outcome).toMatchObject({ kind: 'scored', device: 'line1/press-3' });
    if (outcome.kind !== 'scored') return;
    expect(outcome.result.input_data).toEqual(reading);
    expect(outcome.result.prediction).toEqual({ anomaly_score: 0.01, is_anomaly: false, threshold: 0.5, isolation_score: 0.01 });
  });

  it('when an outlier arrives, then it is an anomaly with an explanation', () => {
    const outcome = processMessage(topic, Buffer.from(JSON.stringify({ ...reading, temperature: 90 })), ctx);
    if (outcome.kind !== 'scored') throw new Error('expected a score');
    expect(outcome.result.prediction).toMatchObject({ is_anomaly: true, explanation: { temperature: 1 } });
  });

  it.each([
    ['a topic without a device', 'factory/sensors', JSON.stringify(reading), 'invalid_topic'],
    ['an oversized payload', topic, 'x'.repeat(2000), 'payload_too_large'],
    ['binary', topic, Buffer.from([0xff, 0xfe, 0x00, 0x81]), 'not_utf8'],
    ['invalid JSON', topic, '{nope', 'invalid_json'],
    ['an empty payload', topic, '', 'empty_payload'],
    ['a string temperature', topic, JSON.stringify({ ...reading, temperature: 'hot' }), 'invalid_reading'],
  ])('when the message has %s, then it is rejected as %s', (_name, t, payload, code) => {
    const outcome = processMessage(t, Buffer.isBuffer(payload) ? payload : Buffer.from(payload), ctx);
    expect(outcome).toMatchObject({ kind: 'rejected', code, reason: expect.any(String) });
  });

  it('when no model is loaded, then a valid reading is rejected as model_not_ready', () => {
    const outcome = processMessage(topic, Buffer.from(JSON.stringify(reading)), { ...ctx, model: undefined });
    expect(outcome).toMatchObject({ kind: 'rejected', code: 'model_not_ready' });
  });
});

describe('messages', () => {
  const at = new Date('2024-01-20T10:30:01.000Z');

  it('builds the anomaly contract', () => {
    const outcome = processMessage(topic, Buffer.from(JSON.stringify({ ...reading, temperature: 90 })), ctx);
    if (outcome.kind !== 'scored') throw new Error('expected a score');
    const message = resultMessage(outcome.device, topic, outcome.result, at);
    expect(message).toEqual({
      device: 'line1/press-3',
      topic,
      input_data: { ...reading, temperature: 90 },
      prediction: expect.objectContaining({ anomaly_score: 1, is_anomaly: true, threshold: 0.5 }),
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
