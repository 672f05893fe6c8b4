import { isUtf8 } from 'node:buffer';
import { TextDecoder } from 'node:util';
import { errors } from './errors.js';
import type { HttpResponse } from './respond.js';

export type DecodeResult = { ok: true; value: unknown } | { ok: false; error: HttpResponse };

const CHARSET = /charset\s*=\s*"?([^";\s]+)/i;
const UTF8 = new Set(['utf-8', 'utf8', 'unicode-1-1-utf-8']);
/** Only labels TextDecoder accepted are cached, so the map stays bounded by the WHATWG label list. */
const decoders = new Map<string, TextDecoder>();

/**
 * JSON body to a value. Any content type is accepted (the Flask original was
 * lenient too); a charset parameter is honoured, UTF-8 being the fast path.
 */
export function decodeJson(bytes: Buffer, contentType: string | undefined): DecodeResult {
  if (bytes.length === 0) return { ok: false, error: errors.emptyBody };
  const text = decodeText(bytes, contentType);
  if (typeof text !== 'string') return { ok: false, error: text };
  try {
    return { ok: true, value: JSON.parse(stripBom(text)) };
  } catch (err) {
    if (text.trim().length === 0) return { ok: false, error: errors.emptyBody };
    return { ok: false, error: errors.invalidJson((err as Error).message) };
  }
}

function decodeText(bytes: Buffer, contentType: string | undefined): string | HttpResponse {
  const charset = contentType === undefined ? undefined : CHARSET.exec(contentType)?.[1]?.toLowerCase();
  // Invalid bytes are refused, not replaced with U+FFFD: the reading would be silently altered (MQTT refuses them too).
  if (charset === undefined || UTF8.has(charset)) return isUtf8(bytes) ? bytes.toString('utf8') : errors.notUtf8;
  let decoder = decoders.get(charset);
  if (decoder === undefined) {
    try {
      decoder = new TextDecoder(charset);
    } catch {
      return errors.unsupportedCharset(charset);
    }
    decoders.set(charset, decoder);
  }
  return decoder.decode(bytes);
}

/** JSON.parse rejects a byte-order mark, which some Windows tools prepend. */
function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
