import type { Random } from '../../src/support/random.js';
import { invalidJson, type Family } from './family.js';
import { pick, SENSORS, utf8, validReading, withRaw } from './reading-text.js';

/** Bytes that can never start a UTF-8 sequence: continuation bytes, overlong leads, and F5..FF. */
const INVALID_LEADS = [...range(0x80, 0xbf), 0xc0, 0xc1, ...range(0xf5, 0xff)];

/** Sequences a strict UTF-8 decoder refuses: bad continuations, overlongs, surrogates, 5-byte forms, truncations. */
const INVALID_SEQUENCES = [
  [0xc3, 0x28],
  [0xa0, 0xa1],
  [0xe2, 0x28, 0xa1],
  [0xe2, 0x82, 0x28],
  [0xf0, 0x28, 0x8c, 0xbc],
  [0xf0, 0x90, 0x28, 0xbc],
  [0xc0, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
  [0xff],
  [0xfe],
];

/** Magic numbers of formats a misconfigured device might send instead of JSON; each has a non-UTF-8 byte. */
const MAGIC = [
  [0x1f, 0x8b, 0x08], // gzip
  [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], // PNG
  [0x08, 0x96, 0x01], // protobuf varint field
  [0xa3, 0x64], // CBOR map
  [0x83, 0xa4], // MessagePack map
];

/** Payloads that are not UTF-8 text: the worker and /predict both refuse them as `not_utf8`. */
export const byteFamilies: readonly Family[] = [
  {
    name: 'random-bytes',
    weight: 6,
    build: (r) => notUtf8(Buffer.concat([Buffer.of(pick(r, INVALID_LEADS)), randomBytes(r, r.int(512))])),
  },
  {
    name: 'binary',
    weight: 4,
    build: (r) => notUtf8(Buffer.concat([Buffer.from(pick(r, MAGIC)), randomBytes(r, r.int(256))])),
  },
  {
    name: 'invalid-utf8-in-value',
    weight: 3,
    build: (r) => {
      // A sensor given as a string holding bad bytes: /predict sees a string where a number belongs.
      const [before, after] = withRaw(validReading(r), { [pick(r, SENSORS)]: '"@@bad@@"' }).split('@@bad@@') as [string, string];
      return notUtf8(Buffer.concat([utf8(before), Buffer.from(pick(r, INVALID_SEQUENCES)), utf8(after)]));
    },
  },
  {
    name: 'invalid-utf8-trailing',
    weight: 2,
    build: (r) => notUtf8(Buffer.concat([utf8(JSON.stringify(validReading(r))), Buffer.from(pick(r, INVALID_SEQUENCES))])),
  },
  {
    name: 'utf16-bom',
    weight: 3,
    build: (r) => {
      const le = Buffer.concat([Buffer.of(0xff, 0xfe), Buffer.from(JSON.stringify(validReading(r)), 'utf16le')]);
      return notUtf8(r.int(2) === 0 ? le : Buffer.concat([Buffer.of(0xfe, 0xff), le.subarray(2).swap16()]));
    },
  },
  {
    name: 'utf8-bom',
    weight: 2,
    build: (r) => {
      // Both channels strip a UTF-8 BOM, so what follows it decides.
      const bom = Buffer.of(0xef, 0xbb, 0xbf);
      const text = JSON.stringify(validReading(r));
      if (r.int(2) === 0) return invalidJson(Buffer.concat([bom, utf8(text.slice(0, 1 + r.int(text.length - 1)))]));
      const wrong = JSON.stringify({ ...validReading(r), [pick(r, SENSORS)]: 'hot' });
      return { bytes: Buffer.concat([bom, utf8(wrong)]), mqtt: 'invalid_reading', http: 'invalid_reading' };
    },
  },
];

function notUtf8(bytes: Buffer) {
  return { bytes, mqtt: 'not_utf8', http: 'not_utf8' } as const;
}

function randomBytes(r: Random, n: number): Buffer {
  const out = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) out[i] = r.int(256);
  return out;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
