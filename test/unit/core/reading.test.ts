import { parseReading, toFeatures } from '../../../src/core/reading.js';

const good = { timestamp: '2024-01-20T10:30:00', temperature: 25.5, humidity: 48.2, sound: 62.1 };

describe('parseReading', () => {
  it.each([
    ['the original example', good],
    ['no timestamp', { temperature: 1, humidity: 2, sound: 3 }],
    ['epoch milliseconds', { ...good, timestamp: 1705746600000 }],
    ['a timezone', { ...good, timestamp: '2024-01-20T10:30:00.123Z' }],
    ['negative and zero values', { temperature: -40, humidity: 0, sound: 0 }],
    ['extra fields', { ...good, line: 'line1' }],
    // The documented rule: timestamps are informational, so far past and far future are accepted as sent.
    ['a timestamp far in the past', { ...good, timestamp: '0001-01-01T00:00:00Z' }],
    ['a timestamp far in the future', { ...good, timestamp: '9999-12-31T23:59:59Z' }],
    ['epoch zero', { ...good, timestamp: 0 }],
  ])('when the payload has %s, then it is accepted', (_name, value) => {
    const result = parseReading(JSON.stringify(value));
    expect(result).toEqual({ ok: true, reading: value });
  });

  it.each([
    ['empty', '', 'empty_payload', /empty/],
    ['whitespace', '  \n', 'empty_payload', /empty/],
    ['invalid JSON', '{"temperature": 25', 'invalid_json', /invalid JSON/],
    ['an array', '[1,2,3]', 'invalid_reading', /JSON object/],
    ['null', 'null', 'invalid_reading', /JSON object/],
    ['a number', '42', 'invalid_reading', /JSON object/],
    ['a string temperature', JSON.stringify({ ...good, temperature: '25.5' }), 'invalid_reading', /temperature must be a number/],
    ['a missing humidity', JSON.stringify({ temperature: 1, sound: 2 }), 'invalid_reading', /humidity is required/],
    ['null sound', JSON.stringify({ ...good, sound: null }), 'invalid_reading', /sound must be a number/],
    ['a huge number', '{"temperature": 1e999, "humidity": 1, "sound": 1}', 'invalid_reading', /temperature must be a finite number/],
    ['a bad timestamp', JSON.stringify({ ...good, timestamp: 'yesterday' }), 'invalid_reading', /ISO-8601/],
    ['a negative epoch', JSON.stringify({ ...good, timestamp: -5 }), 'invalid_reading', /timestamp/],
    ['an impossible date', JSON.stringify({ ...good, timestamp: '2024-13-45T99:99:00' }), 'invalid_reading', /timestamp/],
  ])('when the payload is %s, then it is rejected with a reason', (_name, payload, code, reason) => {
    const result = parseReading(payload);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.code).toBe(code);
    expect(result.reason).toMatch(reason);
  });

  it('when several fields are wrong, then each is listed', () => {
    const result = parseReading(JSON.stringify({ temperature: 'hot' }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason).toMatch(/temperature must be a number/);
    expect(result.reason).toMatch(/humidity is required/);
    expect(result.reason).toMatch(/sound is required/);
  });

  it('when a UTF-8 byte-order mark leads, then it is ignored (as /predict does)', () => {
    expect(parseReading(Buffer.concat([Buffer.of(0xef, 0xbb, 0xbf), Buffer.from(JSON.stringify(good))]))).toEqual({ ok: true, reading: good });
  });

  it('reads Buffers as UTF-8', () => {
    expect(parseReading(Buffer.from(JSON.stringify(good))).ok).toBe(true);
  });

  it('puts the features in model order', () => {
    const result = parseReading(JSON.stringify(good));
    if (!result.ok) throw new Error(result.reason);
    expect(Array.from(toFeatures(result.reading))).toEqual([25.5, 48.2, 62.1]);
  });
});
