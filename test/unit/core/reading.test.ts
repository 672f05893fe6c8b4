import { decodeJson } from '../../../src/core/decode.js';
import { eventTime, readBatch, readReading } from '../../../src/core/reading.js';
import { DEFAULT_SENSORS, parseSchema } from '../../../src/core/sensors.js';

const good = { timestamp: '2024-01-20T10:30:00', temperature: 25.5, humidity: 48.2, sound: 62.1 };

/** Decode then validate, as both channels do. */
function parse(payload: string | Buffer, schema = DEFAULT_SENSORS) {
  const decoded = decodeJson(typeof payload === 'string' ? Buffer.from(payload) : payload);
  if (!decoded.ok) return { ok: false as const, code: decoded.code, reason: decoded.reason };
  const read = readReading(decoded.value, schema);
  return read.ok ? read : { ok: false as const, code: 'invalid_reading', reason: read.problems.join('; ') };
}

describe('readReading', () => {
  it.each([
    ['the original example', good],
    ['no timestamp', { temperature: 1, humidity: 2, sound: 3 }],
    ['epoch milliseconds', { ...good, timestamp: 1705746600000 }],
    ['a timezone', { ...good, timestamp: '2024-01-20T10:30:00.123Z' }],
    ['negative and zero values', { temperature: -40, humidity: 0, sound: 0 }],
    ['extra fields', { ...good, line: 'line1' }],
    ['a timestamp far in the past', { ...good, timestamp: '0001-01-01T00:00:00Z' }],
    ['a timestamp far in the future', { ...good, timestamp: '9999-12-31T23:59:59Z' }],
    ['epoch zero', { ...good, timestamp: 0 }],
  ])('when the payload has %s, then it is accepted and echoed as sent', (_name, value) => {
    const result = parse(JSON.stringify(value));
    expect(result).toMatchObject({ ok: true, reading: { input: value } });
  });

  it.each([
    ['empty', '', 'empty_payload', /empty/],
    ['whitespace', '  \n', 'empty_payload', /empty/],
    ['invalid JSON', '{"temperature": 25', 'invalid_json', /invalid JSON/],
    ['null', 'null', 'invalid_reading', /JSON object/],
    ['a number', '42', 'invalid_reading', /JSON object/],
    ['a string temperature', JSON.stringify({ ...good, temperature: '25.5' }), 'invalid_reading', /temperature must be a number/],
    ['a missing humidity', JSON.stringify({ temperature: 1, sound: 2 }), 'invalid_reading', /humidity is required/],
    ['null sound', JSON.stringify({ ...good, sound: null }), 'invalid_reading', /sound must be a number/],
    ['a huge number', '{"temperature": 1e999, "humidity": 1, "sound": 1}', 'invalid_reading', /temperature must be a finite number/],
    ['a bad timestamp', JSON.stringify({ ...good, timestamp: 'yesterday' }), 'invalid_reading', /ISO-8601/],
    ['a negative epoch', JSON.stringify({ ...good, timestamp: -5 }), 'invalid_reading', /timestamp/],
    ['an impossible date', JSON.stringify({ ...good, timestamp: '2024-13-45T99:99:00' }), 'invalid_reading', /timestamp/],
    ['a sensor inherited from the prototype', '{"humidity":1,"sound":2,"__proto__":{"temperature":3}}', 'invalid_reading', /temperature is required/],
  ])('when the payload is %s, then it is rejected with a reason', (_name, payload, code, reason) => {
    const result = parse(payload);
    expect(result).toMatchObject({ ok: false, code, reason: expect.stringMatching(reason) });
  });

  it('when several fields are wrong, then each is listed', () => {
    const result = readReading({ temperature: 'hot' }, DEFAULT_SENSORS);
    expect(result).toEqual({ ok: false, problems: ['temperature must be a number', 'humidity is required', 'sound is required'] });
  });

  it('when a UTF-8 byte-order mark leads, then it is ignored (as /predict does)', () => {
    expect(parse(Buffer.concat([Buffer.of(0xef, 0xbb, 0xbf), Buffer.from(JSON.stringify(good))])).ok).toBe(true);
  });

  it('puts the values in schema order', () => {
    const result = readReading({ sound: 3, humidity: 2, temperature: 1 }, DEFAULT_SENSORS);
    expect(result.ok && Array.from(result.reading.values)).toEqual([1, 2, 3]);
  });

  it('when the schema gives payload paths, then nested values are read from there, and errors name the path', () => {
    const schema = schemaOf([{ name: 'temp', path: 'values.t' }, { name: 'rpm', path: 'motor.rpm' }]);
    const ok = readReading({ values: { t: 21.5 }, motor: { rpm: 1450 } }, schema);
    expect(ok.ok && Array.from(ok.reading.values)).toEqual([21.5, 1450]);
    expect(readReading({ values: { t: 'x' }, motor: 7 }, schema)).toEqual({
      ok: false,
      problems: ['temp (values.t) must be a number', 'rpm (motor.rpm) is required'],
    });
  });

  it('when an optional field is missing, then the reading is accepted with NaN in its place; a wrong type is still refused', () => {
    const schema = schemaOf([{ name: 'a' }, { name: 'b', optional: true }]);
    const missing = readReading({ a: 1 }, schema);
    expect(missing.ok && Array.from(missing.reading.values)).toEqual([1, NaN]);
    expect(readReading({ a: 1, b: 'x' }, schema)).toEqual({ ok: false, problems: ['b must be a number'] });
  });
});

describe('readBatch', () => {
  it('when the payload is an array, then each element is validated on its own with its index', () => {
    const read = readBatch([good, { temperature: 'x' }, good], DEFAULT_SENSORS, 10);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.value.batch).toBe(true);
    expect(read.value.items.map((i) => [i.index, i.result.ok])).toEqual([[0, true], [1, false], [2, true]]);
  });

  it.each([
    ['empty', [], 'empty_batch'],
    ['over the limit', [good, good, good], 'batch_too_large'],
  ])('when the batch is %s, then the whole message is refused as %s', (_name, value, code) => {
    expect(readBatch(value, DEFAULT_SENSORS, 2)).toMatchObject({ ok: false, code, reason: expect.any(String) });
  });
});

describe('eventTime', () => {
  it.each([
    ['ISO text without a zone is UTC', '2024-01-20T10:30:00', Date.UTC(2024, 0, 20, 10, 30)],
    ['ISO text with a zone', '2024-01-20T10:30:00+01:00', Date.UTC(2024, 0, 20, 9, 30)],
    ['epoch milliseconds', 1705746600000, 1705746600000],
    ['absent', undefined, undefined],
  ])('when the timestamp is %s, then it reads as that instant', (_name, value, expected) => {
    expect(eventTime(value)).toBe(expected);
  });
});

function schemaOf(fields: Array<Record<string, unknown>>) {
  const parsed = parseSchema({ sensors: fields });
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return parsed.schema;
}
