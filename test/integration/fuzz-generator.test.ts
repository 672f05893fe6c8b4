import { DEFAULT_DETECTOR_SETTINGS } from '../../src/core/context/settings.js';
import { FUZZ_MAX_BATCH } from '../../tools/fuzz/family.js';
import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { decodeJson } from '../../src/core/decode.js';
import { readReading } from '../../src/core/reading.js';
import { DEFAULT_SENSORS } from '../../src/core/sensors.js';
import { FAMILIES, FUZZ_HUGE_BYTES, FUZZ_SMALL_MAX_BYTES, createPayloadFuzzer, malformedPayloads, type FuzzCase } from '../../tools/fuzz/payloads.js';
import { predictFromBody } from '../../src/adapters/http/routes/predict.js';
import { ingestMessage } from '../../src/core/stages/ingest.js';
import { createTestModel } from '../helpers/test-model.js';

/** The payload generator itself: pure, seeded, and building what each family claims. */

const digest = (seed: number, count: number) => {
  const hash = createHash('sha256');
  for (const c of malformedPayloads(seed, count)) hash.update(c.family).update(c.bytes);
  return hash.digest('hex');
};
const sample = (family: string, count = 20): FuzzCase[] => {
  const only = FAMILIES.filter((f) => f.name === family);
  const fuzzer = createPayloadFuzzer(3, only);
  return Array.from({ length: count }, () => fuzzer.next());
};

describe('malformed payload generator', () => {
  it('when given the same seed, then it yields the same payloads; another seed, others', () => {
    expect(digest(7, 500)).toBe(digest(7, 500));
    expect(digest(8, 500)).not.toBe(digest(7, 500));
  });

  it('when drawing 3,000, then every family appears and only huge payloads exceed the small bound', () => {
    const seen = new Set<string>();
    for (const c of malformedPayloads(11, 3000)) {
      seen.add(c.family);
      if (c.family === 'huge') expect(c.bytes.length).toBeGreaterThanOrEqual(FUZZ_HUGE_BYTES);
      else expect(c.bytes.length).toBeLessThanOrEqual(FUZZ_SMALL_MAX_BYTES);
    }
    expect([...seen].sort()).toEqual(FAMILIES.map((f) => f.name).sort());
  });

  it.each([
    ['deep-array', (t: string) => t.startsWith('['.repeat(10_000))],
    ['deep-extra-field', (t: string) => t.includes('['.repeat(10_000)) || t.includes('{"a":'.repeat(5000))],
    ['beyond-float', (t: string) => /:-?(1e999|1e400|2e308|9e99999)[,}]/.test(t)],
    ['non-finite-string', (t: string) => /"(NaN|-?Infinity|1e999)"/.test(t)],
    ['proto-keys', (t: string) => /"(__proto__|constructor)"/.test(t)],
    ['empty', (t: string) => t.trim() === ''],
  ])('when the family is %s, then its text has the hostile part', (family, check) => {
    for (const c of sample(family)) expect(check(c.bytes.toString('utf8'))).toBe(true);
  });

  it('when a family is about bytes, then its payloads are not UTF-8; BOM families start with their BOM', () => {
    for (const family of ['random-bytes', 'binary', 'invalid-utf8-in-value', 'invalid-utf8-trailing', 'utf16-bom']) {
      for (const c of sample(family)) expect(isUtf8(c.bytes)).toBe(false);
    }
    for (const c of sample('utf16-bom')) expect(c.bytes.subarray(0, 2).toString('hex')).toMatch(/^(fffe|feff)$/);
    for (const c of sample('utf8-bom')) expect(c.bytes.subarray(0, 3).toString('hex')).toBe('efbbbf');
  });

  it('when prototype-pollution payloads are parsed, then Object.prototype is untouched and nothing passes', () => {
    for (const c of sample('proto-keys', 50)) {
      const decoded = decodeJson(c.bytes);
      expect(decoded.ok && readReading(decoded.value, DEFAULT_SENSORS).ok).toBe(false);
    }
    expect(Object.keys(Object.prototype)).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('when 3,000 cases go through the pure pipeline and /predict body handling, then each is refused with the code it expects', () => {
    const model = createTestModel();
    const context = { sensorPrefix: 'factory/sensors', maxPayloadBytes: 65536, maxBatch: FUZZ_MAX_BATCH, schema: DEFAULT_SENSORS };
    const deps = { getModel: () => model, schema: DEFAULT_SENSORS, settings: DEFAULT_DETECTOR_SETTINGS };
    const mismatches: string[] = [];
    for (const c of malformedPayloads(13, 3000)) {
      const outcome = ingestMessage('factory/sensors/fuzz/1', c.bytes, context);
      // A batch's elements are judged one by one: the message counts as scored if any reading in it is valid.
      const mqtt = !outcome.ok ? outcome.code : outcome.items.some((i) => i.ok) ? 'scored' : outcome.items[0]!.ok ? 'scored' : outcome.items[0]!.code;
      const http = c.bytes.length > 65536 ? 'payload_too_large' : (predictFromBody(deps, c.bytes, undefined).body as { error?: string }).error;
      if (mqtt !== c.mqtt || http !== c.http) mismatches.push(`${c.family}: mqtt ${mqtt} (expected ${c.mqtt}), http ${http} (expected ${c.http})`);
    }
    expect(mismatches).toEqual([]);
  });
});
