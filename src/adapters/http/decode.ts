import { decodeJson as decodeBytes, type DecodeCode } from '../../core/decode.js';
import { errors } from './errors.js';
import type { HttpResponse } from './respond.js';

export type DecodeResult = { ok: true; value: unknown } | { ok: false; error: HttpResponse };

const CHARSET = /charset\s*=\s*"?([^";\s]+)/i;

/**
 * A /predict body to a JSON value: the same decoder as the MQTT path
 * (core/decode.ts); this maps its codes to HTTP answers. Any content type is
 * accepted (the Flask original was lenient too); a charset parameter is honoured.
 */
export function decodeJson(bytes: Buffer, contentType: string | undefined): DecodeResult {
  const charset = contentType === undefined ? undefined : CHARSET.exec(contentType)?.[1];
  const decoded = decodeBytes(bytes, { charset });
  if (decoded.ok) return decoded;
  return { ok: false, error: asHttp(decoded.code, decoded.reason, charset) };
}

function asHttp(code: DecodeCode, reason: string, charset: string | undefined): HttpResponse {
  switch (code) {
    case 'empty_payload':
      return errors.emptyBody;
    case 'not_utf8':
      return errors.notUtf8;
    case 'unsupported_charset':
      return errors.unsupportedCharset(charset ?? '');
    case 'invalid_json':
      return errors.invalidJson(reason.replace(/^invalid JSON: /, ''));
    case 'payload_too_large':
      // The body reader enforces HTTP_BODY_LIMIT before decoding; kept for completeness.
      return errors.payloadTooLarge(bytes(reason));
  }
}

function bytes(reason: string): number {
  return Number(/limit is (\d+)/.exec(reason)?.[1] ?? 0);
}
