import { randomUUID } from 'node:crypto';

/** Ids a proxy or client may hand us (letters, digits, `-_.:`), bounded so they stay harmless in logs. */
const ACCEPTED = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's X-Request-Id when it is a sane one, else a fresh UUID. */
export function requestId(given: string | string[] | undefined): string {
  return typeof given === 'string' && ACCEPTED.test(given) ? given : randomUUID();
}
