import { createServer, type Server } from 'node:net';
import type { Aedes } from 'aedes';
import type { ConnectionTracker } from './connection-tracker.js';

/** Plain MQTT over TCP: every accepted socket goes to aedes (through the broker's guards), unless over the connection limit. */
export function createTcpListener(aedes: Pick<Aedes, 'handle'>, tracker: ConnectionTracker): Server {
  return createServer((socket) => {
    if (tracker.accept(socket)) aedes.handle(socket);
  });
}
