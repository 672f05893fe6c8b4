import { request, type Agent, type ClientRequest } from 'node:http';
import type { HttpReply } from './http-reply.js';

export type SendResult = { ok: true; reply: HttpReply } | { ok: false; error: string };

export interface SendOptions {
  contentType: string | undefined;
  /** No Content-Length: the body goes as chunks, so the server only learns its size by reading it. */
  chunked: boolean;
  /** Longest silence on the socket before the request counts as hung. */
  timeoutMs: number;
}

const SLICE = 16 * 1024;

/**
 * POSTs `bytes` and resolves with the answer. A large body is written in
 * slices, and writing stops once an answer has come (a 413 arrives early), so
 * an early answer is read instead of being lost to a reset.
 */
export function postBytes(url: URL, agent: Agent, bytes: Buffer, options: SendOptions): Promise<SendResult> {
  return new Promise((resolve) => {
    let answered = false;
    let settled = false;
    const finish = (result: SendResult) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    const headers: Record<string, string | number> = options.chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': bytes.length };
    if (options.contentType !== undefined) headers['content-type'] = options.contentType;
    const req = request(url, { method: 'POST', agent, headers }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        if (!req.writableFinished) req.destroy(); // the rest of the body is not wanted
        const flat: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers)) flat[name] = Array.isArray(value) ? value.join(', ') : String(value);
        finish({ ok: true, reply: { status: res.statusCode ?? 0, headers: flat, body: Buffer.concat(chunks).toString('utf8') } });
      });
      res.on('error', (err) => finish({ ok: false, error: `the answer broke off: ${err.message}` }));
    });
    req.setTimeout(options.timeoutMs, () => req.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    req.on('error', (err) => {
      if (!answered) finish({ ok: false, error: err.message });
    });
    void writeBody(req, bytes, () => answered);
  });
}

async function writeBody(req: ClientRequest, bytes: Buffer, answered: () => boolean): Promise<void> {
  if (bytes.length <= SLICE) {
    req.end(bytes);
    return;
  }
  for (let at = 0; at < bytes.length && !answered() && !req.destroyed; at += SLICE) {
    if (!req.write(bytes.subarray(at, at + SLICE))) await drainOrClose(req);
  }
  if (!answered() && !req.destroyed) req.end();
}

function drainOrClose(req: ClientRequest): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      req.off('drain', done);
      req.off('close', done);
      resolve();
    };
    req.on('drain', done);
    req.on('close', done);
  });
}
