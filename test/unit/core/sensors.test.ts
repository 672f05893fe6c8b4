import { DEFAULT_SENSORS, kindsOf, MAX_SENSORS, outOfRange, parseSchema, schemaFromNames } from '../../../src/core/sensors.js';

describe('sensor schema', () => {
  it('when nothing is configured, then the original three sensors, in order, are the schema', () => {
    expect(DEFAULT_SENSORS.names).toEqual(['temperature', 'humidity', 'sound']);
    expect(schemaFromNames('temperature,humidity,sound')).toEqual({ ok: true, schema: DEFAULT_SENSORS });
  });

  it('when SENSORS names other fields, then they become required top-level fields in that order', () => {
    const result = schemaFromNames('Current, Pressure ,Flow');
    expect(result.ok && result.schema.names).toEqual(['Current', 'Pressure', 'Flow']);
    expect(result.ok && result.schema.fields.every((f) => !f.optional && f.path === undefined)).toBe(true);
  });

  it('when a schema file describes the fields, then path, unit, range, optional and simulator baseline are kept', () => {
    const result = parseSchema({
      sensors: [
        { name: 'temp', path: 'values.t', unit: '°C', min: -20, max: 150, simulate: { base: 70, variation: 1.5 } },
        { name: 'vibration', optional: true },
      ],
    });
    expect(result).toMatchObject({
      ok: true,
      schema: {
        names: ['temp', 'vibration'],
        fields: [
          { name: 'temp', path: ['values', 't'], unit: '°C', min: -20, max: 150, optional: false, simulate: { base: 70, variation: 1.5 } },
          { name: 'vibration', optional: true },
        ],
      },
    });
  });

  it('when a schema file is wrong in many ways, then every problem is listed', () => {
    const result = parseSchema({
      sensors: [
        { name: 'a', min: 5, max: 1 },
        { name: 'a' },
        { name: '1bad', path: 'x..y', optional: 'yes', simulate: { base: 1 } },
        { unit: 'V' },
        { name: 'b', colour: 'red' },
      ],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual(
      expect.arrayContaining([
        'sensors[2].path: must be a dotted path like "values.temp"',
        'sensors[2].optional: must be true or false',
        'sensors[2].simulate: must be {"base": <number>, "variation": <number >= 0>}',
        'sensors[3].name: must be a string',
        'sensors[4]: unknown key "colour"',
        'sensor "a": min must be below max',
        'sensor name "a" appears twice',
        expect.stringMatching(/^sensor name "1bad" must start with a letter/),
      ]),
    );
  });

  it.each([
    ['no fields', { sensors: [] }, /needs 1 to 64/],
    ['65 fields', { sensors: Array.from({ length: MAX_SENSORS + 1 }, (_, i) => ({ name: `s${i}` })) }, /needs 1 to 64 sensor fields, got 65/],
    ['not a list', { fields: [] }, /must be \{"sensors": \[\.\.\.\]\}/],
    ['two fields on one payload path', { sensors: [{ name: 'a', path: 'v.x' }, { name: 'b', path: 'v.x' }] }, /read the same payload field "v.x"/],
  ])('when the schema has %s, then it is refused', (_name, value, problem) => {
    const result = parseSchema(value);
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.problems).toContainEqual(expect.stringMatching(problem));
  });

  it('when a schema declares how a sensor\'s level behaves, then training is told (auto for the others); an unknown kind is a problem', () => {
    const result = parseSchema([{ name: 'Temperature', kind: 'drifting' }, { name: 'Pressure', kind: 'steady' }, { name: 'Flow' }]);
    expect(result.ok && kindsOf(result.schema)).toEqual(['drifting', 'steady', 'auto']);
    expect(parseSchema([{ name: 'Flow', kind: 'wobbly' }])).toEqual({ ok: false, problems: [expect.stringContaining('sensors[0].kind: must be "steady" or "drifting"')] });
  });

  it('when a value is outside the physical range, then it is out of range; the limits themselves are in', () => {
    const parsed = parseSchema([{ name: 'temperature', min: -40, max: 125 }]);
    const field = parsed.ok ? parsed.schema.fields[0]! : DEFAULT_SENSORS.fields[0]!;
    expect([-41, -40, 125, 126].map((v) => outOfRange(field, v))).toEqual([true, false, false, true]);
    // The demo's sensors have no range: a 180 °C oven is a device with its own normal, not a broken sensor.
    expect(outOfRange(DEFAULT_SENSORS.fields[0]!, 180)).toBe(false);
  });
});
