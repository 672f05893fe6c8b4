import type { Socket } from 'node:net';

/**
 * Remembers the open sockets of the listeners so close() can destroy them:
 * `server.close()` alone waits for every client to leave, and aedes only
 * closes clients that completed CONNECT.
 */
export class ConnectionTracker {
  private readonly sockets = new Set<Socket>();

  /** Sets TCP_NODELAY and starts tracking. Without no-delay, Nagle adds ~15 ms to every small QoS 0 packet. */
  accept(socket: Socket): void {
    socket.setNoDelay(true);
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
  }

  get size(): number {
    return this.sockets.size;
  }

  destroyAll(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }
}
