import type { Socket } from 'node:net';

export interface ConnectionTrackerOptions {
  /** Open sockets of ordinary clients, and of sockets that have not logged in yet. */
  maxConnections?: number;
  /** Slots above maxConnections only worker and admin users may take, so devices can never lock them out. */
  reserved?: number;
  /** Sockets one source address may hold before its CONNECT is through; more are closed at accept. */
  maxPendingPerAddress?: number;
  onRefused?: (socket: Socket, reason: 'limit' | 'pending') => void;
}

interface Tracked {
  readonly socket: Socket;
  readonly address: string;
  /** Logged in; privileged = a worker or admin user, which may use the reserved slots. */
  state: 'pending' | 'ordinary' | 'privileged';
}

/**
 * Remembers the open sockets of the listeners so close() can destroy them
 * (`server.close()` alone waits for every client to leave, and aedes only
 * closes clients that completed CONNECT), and admits connections:
 * - every socket counts from accept on, before CONNECT too, so idle or
 *   half-open sockets cannot exhaust file descriptors;
 * - one address may hold only a few sockets that have not logged in (they
 *   are closed by the broker's CONNECT timeout otherwise), so raw sockets from
 *   one host cannot fill the broker;
 * - `reserved` slots above the limit are kept for worker and admin users:
 *   any socket may wait in one, but only those users may log in there.
 */
export class ConnectionTracker {
  private readonly sockets = new Map<string, Tracked>();
  private readonly pendingByAddress = new Map<string, number>();
  private closed = false;

  constructor(private readonly options: ConnectionTrackerOptions = {}) {}

  /**
   * Sets TCP_NODELAY and starts tracking. Without no-delay, Nagle adds ~15 ms
   * to every small QoS 0 packet. Over a limit the socket is destroyed instead
   * and this returns false.
   */
  accept(socket: Socket): boolean {
    const { maxConnections, maxPendingPerAddress } = this.options;
    const address = socket.remoteAddress ?? '';
    const refuse = (reason: 'limit' | 'pending') => {
      socket.destroy();
      this.options.onRefused?.(socket, reason);
      return false;
    };
    if (this.closed) return refuse('limit');
    if (maxConnections !== undefined && this.sockets.size >= maxConnections + (this.options.reserved ?? 0)) return refuse('limit');
    if (maxPendingPerAddress !== undefined && (this.pendingByAddress.get(address) ?? 0) >= maxPendingPerAddress) return refuse('pending');
    socket.setNoDelay(true);
    const key = keyOf(socket);
    const tracked: Tracked = { socket, address, state: 'pending' };
    this.sockets.set(key, tracked);
    this.addPending(address, 1);
    socket.once('close', () => {
      if (this.sockets.get(key) !== tracked) return;
      this.sockets.delete(key);
      if (tracked.state === 'pending') this.addPending(address, -1);
    });
    return true;
  }

  /**
   * Called when a client has logged in, with the socket's address and port. An ordinary client gets a slot only
   * while fewer than maxConnections ordinary and pending sockets are open; a privileged one always does.
   * Returns false when the client must be refused.
   */
  admit(peer: { remoteAddress?: string | undefined; remotePort?: number | undefined }, privileged: boolean): boolean {
    const tracked = this.sockets.get(`${peer.remoteAddress}:${peer.remotePort}`);
    if (tracked === undefined) return true; // not one of ours (a test's own stream): nothing to count
    if (!privileged && this.options.maxConnections !== undefined && this.ordinary() > this.options.maxConnections) return false;
    if (tracked.state === 'pending') this.addPending(tracked.address, -1);
    tracked.state = privileged ? 'privileged' : 'ordinary';
    return true;
  }

  /** Shutdown: every new socket is closed at once from now on. */
  stopAccepting(): void {
    this.closed = true;
  }

  get size(): number {
    return this.sockets.size;
  }

  destroyAll(): void {
    for (const { socket } of this.sockets.values()) socket.destroy();
    this.sockets.clear();
    this.pendingByAddress.clear();
  }

  private ordinary(): number {
    let n = 0;
    for (const tracked of this.sockets.values()) if (tracked.state !== 'privileged') n += 1;
    return n;
  }

  private addPending(address: string, delta: number): void {
    const n = (this.pendingByAddress.get(address) ?? 0) + delta;
    if (n <= 0) this.pendingByAddress.delete(address);
    else this.pendingByAddress.set(address, n);
  }
}

function keyOf(socket: Socket): string {
  return `${socket.remoteAddress}:${socket.remotePort}`;
}
