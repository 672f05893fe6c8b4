import { isUtf8 } from 'node:buffer';

/**
 * Bytes to a JSON value, for both channels (an MQTT payload, a /predict body).
 * The result is coded; each channel maps the code to its own answer (a dead
 * letter, an HTTP status).
 */
export type DecodeCode = 'empty_payload' | 'payload_too_large' | 'not_utf8' | 'unsupported_charset' | 'invalid_json';

export type Decoded = { ok: true; value: unknown } | { ok: false; code: DecodeCode; reason: string };

export interface DecodeOptions {
  /** Larger payloads are refused before they are read as text. */
  readonly maxBytes?: number;
  /** A charset label (HTTP's Content-Type); UTF-8 when absent, which is all MQTT knows. */
  readonly charset?: string | undefined;
}

const UTF8 = new Set(['utf-8', 'utf8', 'unicode-1-1-utf-8']);
/** Only labels TextDecoder accepted are cached, so the map stays bounded by the WHATWG label list. */
const decoders = new Map<string, InstanceType<typeof TextDecoder>>();

export function decodeJson(bytes: Uint8Array, options: DecodeOptions = {}): Decoded {
  if (options.maxBytes !== undefined && bytes.length > options.maxBytes) {
    return { ok: false, code: 'payload_too_large', reason: `payload is ${bytes.length} bytes, the limit is ${options.maxBytes}` };
  }
  const text = decodeText(bytes, options.charset?.toLowerCase());
  if (typeof text !== 'string') return text;
  // Some Windows tools prepend a byte-order mark, which JSON.parse rejects.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim().length === 0) return { ok: false, code: 'empty_payload', reason: 'empty payload' };
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch (err) {
    return { ok: false, code: 'invalid_json', reason: `invalid JSON: ${(err as Error).message}` };
  }
}

function decodeText(bytes: Uint8Array, charset: string | undefined): string | Decoded {
  // Invalid bytes are refused, not replaced with U+FFFD: the reading would be silently altered.
  if (charset === undefined || UTF8.has(charset)) {
    return isUtf8(bytes) ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8') : { ok: false, code: 'not_utf8', reason: 'payload is not UTF-8 text' };
  }
  let decoder = decoders.get(charset);
  if (decoder === undefined) {
    try {
      decoder = new TextDecoder(charset);
    } catch {
      return { ok: false, code: 'unsupported_charset', reason: `charset ${charset.slice(0, 100)} is not supported; send UTF-8` };
    }
    decoders.set(charset, decoder);
  }
  return decoder.decode(bytes);
}
