import { FUZZ_HUGE_BYTES } from './fuzz-case.js';
import { invalidJson, invalidReading, type Family } from './family.js';
import { pick, safeText, SENSORS, utf8, validReading, withRaw } from './reading-text.js';

/** Depth of the nested payloads: deep enough to overflow a recursive walker or JSON.stringify. */
export const FUZZ_DEPTH = 10_000;
/** Objects nest 5,000 deep (`{"a":` is five bytes) to stay under the small-payload bound. */
const OBJECT_DEPTH = 5_000;

/** Deeply nested and oversized payloads. */
export const structureFamilies: readonly Family[] = [
  {
    name: 'deep-array',
    weight: 2,
    build: (r) =>
      r.int(2) === 0
        ? invalidJson(utf8('['.repeat(FUZZ_DEPTH))) // never closed
        : invalidReading(utf8('['.repeat(FUZZ_DEPTH) + ']'.repeat(FUZZ_DEPTH))),
  },
  {
    name: 'deep-object',
    weight: 2,
    build: () => invalidReading(utf8(`${'{"a":'.repeat(OBJECT_DEPTH)}1${'}'.repeat(OBJECT_DEPTH)}`)),
  },
  {
    name: 'deep-extra-field',
    weight: 2,
    build: (r) => {
      // Every sensor is fine; only the extra field is hostile, and echoing it would overflow the stack.
      const nested =
        r.int(2) === 0
          ? '['.repeat(FUZZ_DEPTH) + ']'.repeat(FUZZ_DEPTH)
          : `${'{"a":'.repeat(OBJECT_DEPTH)}1${'}'.repeat(OBJECT_DEPTH)}`;
      return invalidReading(utf8(withRaw(validReading(r), { meta: nested })));
    },
  },
  {
    name: 'huge',
    weight: 0.5,
    build: (r) => {
      const size = FUZZ_HUGE_BYTES + r.int(1024);
      let text: string;
      const kind = r.int(3);
      if (kind === 0) text = JSON.stringify(safeText(r, size)); // a 1 MiB JSON string
      else if (kind === 1) text = JSON.stringify({ ...validReading(r), blob: 'x'.repeat(size) }); // a valid reading with a huge extra field
      else text = `{"${pick(r, SENSORS)}":"${'9'.repeat(size)}"}`;
      return { bytes: utf8(text), mqtt: 'payload_too_large', http: 'payload_too_large' };
    },
  },
];
