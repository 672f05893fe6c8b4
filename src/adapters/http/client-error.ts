import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from '../../support/logger.js';

/** Status for errors Node raises before a request reaches the app (malformed HTTP, timeouts). */
function statusOf(code: string | undefined): number {
  switch (code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return 408;
    case 'HPE_HEADER_OVERFLOW':
      return 431;
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return 413;
    default:
      return 400;
  }
}

const REASONS: Record<number, string> = { 400: 'Bad Request', 405: 'Method Not Allowed', 408: 'Request Timeout', 413: 'Payload Too Large', 431: 'Request Header Fields Too Large' };
const CODES: Record<number, string> = { 400: 'bad_request', 408: 'request_timeout', 413: 'payload_too_large', 431: 'headers_too_large' };

/**
 * Replaces Node's bare-text reply to protocol errors with the JSON error shape.
 * Like Node's default, it answers only when nothing was written on the socket
 * yet (a keep-alive socket may be mid-response) and then destroys it.
 */
export function clientErrorHandler(logger: Logger): (err: NodeJS.ErrnoException, socket: Socket) => void {
  return (err, socket) => {
    logger.debug({ code: err.code, reason: err.message }, 'client error');
    if (err.code !== 'ECONNRESET' && socket.writable && socket.bytesWritten === 0) {
      const status = statusOf(err.code);
      writeError(socket, status, { error: CODES[status], message: err.message });
    }
    socket.destroy();
  };
}

/**
 * Node hangs up on a CONNECT request, without a word, when nobody listens for
 * it; we serve no tunnels, so answer it like any other wrong method.
 */
export function connectRefusal(logger: Logger): (req: IncomingMessage, socket: Duplex) => void {
  return (req, socket) => {
    const message = 'CONNECT is not supported; use POST /predict or GET /health';
    logger.info({ method: 'CONNECT', status: 405, code: 'method_not_allowed', reason: message, target: req.url?.slice(0, 200) }, 'request rejected');
    if (socket.writable) writeError(socket, 405, { error: 'method_not_allowed', message }, 'Allow: GET, HEAD, POST\r\n');
    socket.destroy();
  };
}

function writeError(socket: Duplex, status: number, body: { error: string | undefined; message: string }, headers = ''): void {
  const json = JSON.stringify(body);
  socket.write(
    `HTTP/1.1 ${status} ${REASONS[status]}\r\nContent-Type: application/json; charset=utf-8\r\n${headers}` +
      `Content-Length: ${Buffer.byteLength(json)}\r\nConnection: close\r\n\r\n${json}`,
  );
}
