import { createServer, type Server } from 'node:http';
import type { Aedes } from 'aedes';
import { WebSocketServer, createWebSocketStream } from 'ws';
import type { Logger } from '../src/logger.js';
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
  options: { maxPayload?: number } = {},
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
    const stream = createWebSocketStream(socket);
    // aedes owns the stream from here; this guards the window before it attaches its own handler.
    stream.on('error', (err) => logger.debug({ err }, 'websocket stream error'));
    aedes.handle(stream, req);
  });
  return { http, wss };
}
