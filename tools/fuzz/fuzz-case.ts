import type { RejectCode as MessageRejectCode } from '../../src/core/stages/ingest.js';

/** The error codes POST /predict answers a malformed body with. */
export type HttpErrorCode = 'invalid_json' | 'invalid_reading' | 'empty_body' | 'payload_too_large' | 'not_utf8';

/**
 * One malformed payload and how each entry point must refuse it. The expected
 * codes follow from how the payload was built, not from running the code under
 * test. They assume a size limit between FUZZ_SMALL_MAX_BYTES and FUZZ_HUGE_BYTES
 * (the default 64 KiB of MAX_PAYLOAD_BYTES and HTTP_BODY_LIMIT is).
 */
export interface FuzzCase {
  /** Which family built it, e.g. `truncated` or `deep-array`. */
  readonly family: string;
  readonly bytes: Buffer;
  /** The dead letter's code when it arrives over MQTT. */
  readonly mqtt: MessageRejectCode;
  /** The `error` of /predict's 4xx answer (413 for payload_too_large, else 400). */
  readonly http: HttpErrorCode;
}

/** Every payload but the huge ones is at most this long... */
export const FUZZ_SMALL_MAX_BYTES = 32 * 1024;
/** ...and the huge ones are at least this long (1 MiB). */
export const FUZZ_HUGE_BYTES = 1024 * 1024;

/** Throws unless `limit` lets the expected codes hold: small payloads fit, huge ones do not. */
export function checkFuzzLimit(name: string, limit: number): void {
  if (!(limit >= FUZZ_SMALL_MAX_BYTES && limit < FUZZ_HUGE_BYTES)) {
    throw new RangeError(`${name} must be in [${FUZZ_SMALL_MAX_BYTES}, ${FUZZ_HUGE_BYTES}) for the fuzz expectations, got ${limit}`);
  }
}

export function httpStatusOf(code: HttpErrorCode): number {
  return code === 'payload_too_large' ? 413 : 400;
}
