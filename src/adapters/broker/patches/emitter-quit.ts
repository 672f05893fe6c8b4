/**
 * Library patch (mqemitter-redis 7.2.1 with ioredis 5.11.1, both pinned).
 *
 * Why: mqemitter-redis' close() calls quit() on its two Redis connections and
 * ignores the promises. ioredis rejects QUIT with "Connection is closed." when
 * the connection ends before the reply is read (about one broker close in four
 * in the cluster test), and an unhandled rejection ends a Node 20 process. The
 * connection is going away either way, so the rejection is handled here and
 * dropped. The contract test (test/unit/adapters/broker/patches) fails when
 * either side changes.
 */

interface Quittable {
  quit(...args: unknown[]): Promise<unknown>;
}

/** Makes `connection.quit()` never leave an unhandled rejection; returns the connection. */
export function quietQuit<C extends object>(connection: C): C {
  const c = connection as unknown as Quittable;
  const quit = c.quit.bind(c);
  c.quit = (...args: unknown[]) => {
    const reply = quit(...args);
    reply.catch(() => undefined);
    return reply;
  };
  return connection;
}
