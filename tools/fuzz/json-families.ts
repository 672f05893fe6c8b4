import { FUZZ_MAX_BATCH, invalidJson, invalidReading, type Family } from './family.js';
import { pick, safeText, SENSORS, someSensors, utf8, validReading, withRaw } from './reading-text.js';

/** Text that is UTF-8 but not JSON, or JSON that is not a valid reading. */
export const jsonFamilies: readonly Family[] = [
  {
    name: 'truncated',
    weight: 8,
    build: (r) => {
      const text = JSON.stringify(validReading(r));
      return invalidJson(utf8(text.slice(0, 1 + r.int(text.length - 1))));
    },
  },
  {
    name: 'trailing-garbage',
    weight: 6,
    build: (r) => {
      const garbage = pick(r, ['}', ']', ',', 'x', '{}', 'null', '\u0000', ' {"temperature":1}', '//c', '\u2028', '\ufeff']);
      return invalidJson(utf8(JSON.stringify(validReading(r)) + garbage));
    },
  },
  {
    name: 'control-chars',
    weight: 2,
    build: (r) => {
      // JSON forbids raw control characters inside strings.
      const ctrl = String.fromCharCode(r.int(0x20));
      return invalidJson(utf8(withRaw(validReading(r), { line: `"line${ctrl}1"` })));
    },
  },
  {
    name: 'non-finite-token',
    weight: 3,
    build: (r) => invalidJson(utf8(withRaw(validReading(r), { [pick(r, SENSORS)]: pick(r, ['NaN', 'Infinity', '-Infinity', 'undefined', '0x1A', '.5', '+1']) }))),
  },
  {
    name: 'wrong-type',
    weight: 10,
    build: (r) => {
      const reading = validReading(r);
      for (const sensor of someSensors(r)) {
        reading[sensor] = pick<unknown>(r, ['25.5', '', 'hot', true, false, [25.5], [], { value: 25.5 }, null, {}]);
      }
      return invalidReading(utf8(JSON.stringify(reading)));
    },
  },
  {
    name: 'non-finite-string',
    weight: 4,
    build: (r) => {
      const reading = validReading(r);
      reading[pick(r, SENSORS)] = pick(r, ['NaN', 'Infinity', '-Infinity', '1e999']);
      return invalidReading(utf8(JSON.stringify(reading)));
    },
  },
  {
    name: 'beyond-float',
    weight: 4,
    build: (r) => {
      // Beyond the float range, JSON.parse yields ±Infinity, which is not a finite reading.
      const raw = Object.fromEntries(someSensors(r).map((s) => [s, pick(r, ['1e999', '-1e999', '1e400', '2e308', '-9e99999'])]));
      return invalidReading(utf8(withRaw(validReading(r), raw)));
    },
  },
  {
    name: 'missing-fields',
    weight: 8,
    build: (r) => {
      const reading = validReading(r);
      for (const sensor of someSensors(r)) delete reading[sensor];
      return invalidReading(utf8(JSON.stringify(reading)));
    },
  },
  {
    name: 'bad-timestamp',
    weight: 4,
    build: (r) => {
      const stamp = pick(r, ['"yesterday"', '-1', '1.5', '"2024-13-45T99:99:00"', '1e999', '{}', 'true', '1152921504606846976', '""']);
      return invalidReading(utf8(withRaw(validReading(r), { timestamp: stamp })));
    },
  },
  {
    name: 'duplicate-keys',
    weight: 2,
    build: (r) => {
      // The last duplicate wins in JSON.parse.
      const text = JSON.stringify(validReading(r));
      return invalidReading(utf8(`${text.slice(0, -1)},"${pick(r, SENSORS)}":"hot"}`));
    },
  },
  {
    name: 'not-object',
    weight: 5,
    build: (r) => {
      const valid = JSON.stringify(validReading(r));
      return invalidReading(utf8(pick(r, ['null', '42', '-0', '"text"', 'true', 'false', JSON.stringify(valid)])));
    },
  },
  {
    // An array is a gateway's batch on MQTT (each element judged on its own) and no reading at all for /predict.
    name: 'bad-batch',
    weight: 3,
    build: (r) => {
      const valid = JSON.stringify(validReading(r));
      switch (r.int(3)) {
        case 0:
          return { bytes: utf8('[]'), mqtt: 'empty_batch', http: 'invalid_reading' };
        case 1:
          return invalidReading(utf8(`[${pick(r, ['1', 'null', '"x"', '[]', '{}'])}]`));
        default:
          return { bytes: utf8(`[${Array(FUZZ_MAX_BATCH + 1).fill(valid).join(',')}]`), mqtt: 'batch_too_large', http: 'invalid_reading' };
      }
    },
  },
  {
    name: 'empty',
    weight: 3,
    build: (r) => ({ bytes: utf8(pick(r, ['', ' ', '\n', '\r\n', '\t \n '])), mqtt: 'empty_payload', http: 'empty_body' }),
  },
  {
    name: 'huge-field',
    weight: 3,
    build: (r) => {
      // A big but allowed payload whose reading is still wrong: it must be refused for the reading, not the size.
      const reading = validReading(r);
      delete reading[pick(r, SENSORS)];
      reading.blob = safeText(r, 4096 + r.int(26_000));
      return invalidReading(utf8(JSON.stringify(reading)));
    },
  },
  {
    name: 'many-fields',
    weight: 2,
    build: (r) => {
      const reading = validReading(r);
      const n = 100 + r.int(900);
      for (let i = 0; i < n; i++) reading[`k${i}`] = i;
      reading[pick(r, SENSORS)] = 'hot';
      return invalidReading(utf8(JSON.stringify(reading)));
    },
  },
  {
    name: 'proto-keys',
    weight: 4,
    build: (r) => {
      // Own keys named __proto__/constructor must neither pass as fields nor reach Object.prototype.
      const fields = '"temperature":25,"humidity":50,"sound":60,"polluted":true';
      return invalidReading(
        utf8(
          pick(r, [
            `{"__proto__":{${fields}}}`,
            `{"constructor":{"prototype":{${fields}}},"temperature":25,"humidity":50}`,
            `{"__proto__":{"sound":60,"polluted":true},"temperature":25,"humidity":50}`,
            `{"temperature":{"__proto__":{"valueOf":25}},"humidity":50,"sound":60}`,
            `{"x":{"__proto__":{"polluted":true}},"constructor":{"name":"Object"},"prototype":{},"temperature":"25"}`,
          ]),
        ),
      );
    },
  },
];
