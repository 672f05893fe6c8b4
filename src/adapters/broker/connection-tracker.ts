import type { Socket } from 'node:net';

/**
 * Remembers the open sockets of the listeners so close() can destroy them:
 * `server.close()` alone waits for every client to leave, and aedes only
 * closes clients that completed CONNECT.
 */
export class ConnectionTracker {
  private readonly sockets = new Set<Socket>();

  /**
   * `maxConnections` counts sockets on every listener, before CONNECT too, so
   * idle or half-open sockets cannot exhaust file descriptors either.
   */
  constructor(private readonly options: { maxConnections?: number; onRefused?: (socket: Socket) => void } = {}) {}

  /**
   * Sets TCP_NODELAY and starts tracking. Without no-delay, Nagle adds ~15 ms
   * to every small QoS 0 packet. At the connection limit the socket is
   * destroyed instead and this returns false.
   */
  accept(socket: Socket): boolean {
    const max = this.options.maxConnections;
    if (max !== undefined && this.sockets.size >= max) {
      socket.destroy();
      this.options.onRefused?.(socket);
      return false;
    }
    socket.setNoDelay(true);
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    return true;
  }

  get size(): number {
    return this.sockets.size;
  }

  destroyAll(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }
}
