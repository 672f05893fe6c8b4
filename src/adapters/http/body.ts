import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { errors } from './errors.js';
import type { HttpResponse } from './respond.js';

export type BodyResult = { ok: true; bytes: Buffer } | { ok: false; error: HttpResponse };

/** The parts of a request the reader needs; a plain Readable with headers in unit tests. */
export type BodySource = Readable & { readonly headers: IncomingHttpHeaders };

/**
 * Reads a request body, never holding more than `limitBytes`. A declared
 * Content-Length over the limit is refused before reading anything; a chunked
 * body is refused as soon as it crosses the limit. Either way the listeners are
 * removed and the 413 carries `Connection: close`, so Node discards the rest
 * and ends the connection instead of buffering it.
 */
export function readBody(req: BodySource, limitBytes: number): Promise<BodyResult> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limitBytes) {
    return Promise.resolve({ ok: false, error: errors.payloadTooLarge(limitBytes) });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;

    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        finish({ ok: false, error: errors.payloadTooLarge(limitBytes) });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      // One chunk is the usual case for a small JSON body: no copy.
      const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
      finish({ ok: true, bytes });
    };
    // 'close' without 'end' (or an 'error') means the client went away mid-body.
    const onGone = () => finish({ ok: false, error: errors.requestAborted });

    function finish(result: BodyResult): void {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onGone);
      req.off('close', onGone);
      resolve(result);
    }

    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onGone);
    req.on('close', onGone);
  });
}
