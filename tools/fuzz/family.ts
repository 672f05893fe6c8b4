import type { Random } from '../../src/support/random.js';
import type { FuzzCase } from './fuzz-case.js';

/** A kind of malformed payload: how often it is drawn and how one is built. */
export interface Family {
  readonly name: string;
  /** Relative frequency. */
  readonly weight: number;
  build(r: Random): Omit<FuzzCase, 'family'>;
}

export const invalidJson = (bytes: Buffer): Omit<FuzzCase, 'family'> => ({ bytes, mqtt: 'invalid_json', http: 'invalid_json' });
export const invalidReading = (bytes: Buffer): Omit<FuzzCase, 'family'> => ({ bytes, mqtt: 'invalid_reading', http: 'invalid_reading' });

/** MAX_BATCH of the fuzzed worker (its default is larger; a small one keeps over-limit batches under the payload limit). */
export const FUZZ_MAX_BATCH = 50;
