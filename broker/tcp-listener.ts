import { createServer, type Server } from 'node:net';
import type { Aedes } from 'aedes';
import type { ConnectionTracker } from './connection-tracker.js';

/** Plain MQTT over TCP: every accepted socket goes straight to aedes. */
export function createTcpListener(aedes: Aedes, tracker: ConnectionTracker): Server {
  return createServer((socket) => {
    tracker.accept(socket);
    aedes.handle(socket);
  });
}
