import type { Failures } from './failures.js';

/** One HTTP answer, as a client saw it. */
export interface HttpReply {
  status: number;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  body: string;
}

const STACK = /\n\s+at |\.[cm]?[jt]s:\d+:\d+|node:internal/;

/**
 * The checks every refused request must pass: the expected 4xx status, a
 * JSON body with the expected `error` code, a non-empty `message`, and no stack trace.
 */
export function checkErrorReply(label: string, reply: HttpReply, status: number, error: string | undefined, failures: Failures): void {
  if (reply.status >= 500) failures.add(`${label}: ${reply.status} ${reply.body.slice(0, 200)}`);
  else if (reply.status !== status) failures.add(`${label}: status ${reply.status}, expected ${status} (${reply.body.slice(0, 200)})`);
  if (STACK.test(reply.body)) failures.add(`${label}: stack trace in the body: ${reply.body.slice(0, 200)}`);
  if (!/^application\/json/.test(reply.headers['content-type'] ?? '')) failures.add(`${label}: content-type ${reply.headers['content-type']}`);
  let body: { error?: unknown; message?: unknown };
  try {
    body = JSON.parse(reply.body) as typeof body;
  } catch {
    failures.add(`${label}: body is not JSON: ${reply.body.slice(0, 200)}`);
    return;
  }
  if (error !== undefined && body.error !== error) failures.add(`${label}: error ${String(body.error)}, expected ${error} (${String(body.message)})`);
  if (typeof body.message !== 'string' || body.message.trim() === '') failures.add(`${label}: no reason in ${reply.body.slice(0, 200)}`);
}
