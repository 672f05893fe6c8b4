import { connect } from 'node:net';
import type { HttpReply } from './http-reply.js';

export type RawResult = { ok: true; reply: HttpReply } | { ok: false; error: string };

/**
 * Writes `chunks` on a fresh TCP connection, as they are (so they can break
 * HTTP), and reads the first final answer: interim 1xx answers are skipped and
 * the body is read up to its Content-Length, so keep-alive does not make it wait.
 * A connection closed with no answer, or no answer in `timeoutMs`, is an error.
 */
export function rawExchange(host: string, port: number, chunks: ReadonlyArray<string | Buffer>, timeoutMs: number): Promise<RawResult> {
  return new Promise((resolve) => {
    const socket = connect(port, host);
    let received = Buffer.alloc(0);
    let settled = false;
    const finish = (result: RawResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish({ ok: false, error: `no answer within ${timeoutMs} ms` }), timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const reply = parseReply(received);
      if (reply !== undefined) finish({ ok: true, reply });
    });
    socket.on('error', () => undefined); // a reset after the answer is fine; no answer is caught on close
    socket.on('close', () => finish({ ok: false, error: `closed with no complete answer: ${JSON.stringify(received.toString('latin1').slice(0, 200))}` }));
    socket.once('connect', () => {
      for (const chunk of chunks) socket.write(chunk);
    });
  });
}

/** The first final answer in `bytes`, once complete; undefined while more is needed. */
export function parseReply(bytes: Buffer): HttpReply | undefined {
  let at = 0;
  for (;;) {
    const end = bytes.indexOf('\r\n\r\n', at, 'latin1');
    if (end === -1) return undefined;
    const head = bytes.subarray(at, end).toString('latin1').split('\r\n');
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head[0] ?? '')?.[1]);
    const headers: Record<string, string> = {};
    for (const line of head.slice(1)) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    if (status >= 100 && status < 200) {
      at = end + 4;
      continue;
    }
    const length = Number(headers['content-length'] ?? 0);
    if (bytes.length < end + 4 + length) return undefined;
    return { status, headers, body: bytes.subarray(end + 4, end + 4 + length).toString('utf8') };
  }
}
