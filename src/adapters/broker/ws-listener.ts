import { createServer, type Server } from 'node:http';
import type { Aedes } from 'aedes';
import { WebSocketServer, createWebSocketStream } from 'ws';
import type { Logger } from '../../support/logger.js';
import type { ConnectionTracker } from './connection-tracker.js';

export interface WsListener {
  http: Server;
  wss: WebSocketServer;
}

/**
 * MQTT over WebSocket (for browsers and dashboards): an HTTP server whose
 * upgrades become streams handed to aedes. Plain HTTP requests get 426.
 */
export function createWsListener(
  aedes: Pick<Aedes, 'handle'>,
  tracker: ConnectionTracker,
  logger: Logger,
  options: { maxPayload?: number; onOversized?: (frameBytes: number | undefined) => void } = {},
): WsListener {
  const http = createServer((_req, res) => {
    res.writeHead(426, { 'content-type': 'text/plain', upgrade: 'websocket' });
    res.end('This port speaks MQTT over WebSocket only.\n');
  });
  // The raw TCP socket under each WebSocket: no-delay matters here as much as on the TCP listener.
  http.on('connection', (socket) => tracker.accept(socket));

  // ws buffers a whole frame before the packet size guard sees it; maxPayload bounds that buffer the same way.
  const wss = new WebSocketServer({ server: http, ...(options.maxPayload !== undefined ? { maxPayload: options.maxPayload } : {}) });
  // ws re-emits the HTTP server's errors here; listen() reports them, this only keeps them from being unhandled.
  wss.on('error', (err) => logger.debug({ err }, 'websocket server error'));
  wss.on('connection', (socket, req) => {
    // A frame over maxPayload is refused by ws (close code 1009) before the stream sees it: count it with the oversized
    // packets, unless the packet size guard already closed the stream for this packet's header. Registered before the
    // stream's own error handler, which destroys the stream.
    socket.on('error', (err: Error & { code?: string }) => {
      if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' && !stream.destroyed) options.onOversized?.(undefined);
    });
    const stream = createWebSocketStream(socket);
    // aedes owns the stream from here; this guards the window before it attaches its own handler.
    stream.on('error', (err) => logger.debug({ err }, 'websocket stream error'));
    aedes.handle(stream, req);
  });
  return { http, wss };
}
