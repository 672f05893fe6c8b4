import { createRandom } from '../../src/support/random.js';
import { byteFamilies } from './byte-families.js';
import type { Family } from './family.js';
import type { FuzzCase } from './fuzz-case.js';
import { jsonFamilies } from './json-families.js';
import { structureFamilies } from './structure-families.js';

export { FUZZ_HUGE_BYTES, FUZZ_SMALL_MAX_BYTES, checkFuzzLimit, httpStatusOf, type FuzzCase, type HttpErrorCode } from './fuzz-case.js';

/** Every family, in a fixed order (part of what makes a seed reproducible). */
export const FAMILIES: readonly Family[] = [...jsonFamilies, ...structureFamilies, ...byteFamilies];

export interface PayloadFuzzer {
  /** The next malformed payload; the sequence depends only on the seed. */
  next(): FuzzCase;
}

/**
 * A seeded source of malformed payloads, families drawn by weight. Pure: the
 * same seed gives the same bytes on every platform. Cases are built one at a
 * time so a long run never holds more than one 1 MiB payload.
 */
export function createPayloadFuzzer(seed: number, families: readonly Family[] = FAMILIES): PayloadFuzzer {
  if (families.length === 0) throw new RangeError('at least one family is needed');
  const r = createRandom(seed);
  const total = families.reduce((sum, f) => sum + f.weight, 0);
  const choose = (): Family => {
    let x = r.next() * total;
    for (const family of families) {
      x -= family.weight;
      if (x < 0) return family;
    }
    return families[families.length - 1]!;
  };
  return {
    next() {
      const family = choose();
      return { family: family.name, ...family.build(r) };
    },
  };
}

/** The first `count` cases of `seed`. */
export function* malformedPayloads(seed: number, count: number): Generator<FuzzCase> {
  const fuzzer = createPayloadFuzzer(seed);
  for (let i = 0; i < count; i++) yield fuzzer.next();
}
