/**
 * Library patch (aedes 1.2 with its in-memory aedes-persistence; pinned in package.json).
 *
 * Why: in a Redis-joined cluster, a QoS 1 message published on broker A reaches a
 * persistent-session (clean: false) subscriber on broker B through the emitter,
 * but only A's store enqueued it, and with per-node in-memory stores A knows
 * nothing of B's clients. B then asks its own store to record the message id of
 * a message it never queued, the store answers "no such packet", and aedes
 * treats that as a client error and drops the connection: the worker could
 * never receive a reading published on another node. Delivering such a message
 * without the stored copy keeps the connection and delivers it (at most once:
 * it is not in any store to be sent again). With a shared store (BROKER_STORE
 * in Redis) every node finds the packet and this never triggers.
 * test/unit/adapters/broker/cluster-delivery.test.ts fails if the store stops
 * answering that way.
 */
import type { Aedes } from 'aedes';

export const NO_SUCH_PACKET = 'no such packet';

interface OutgoingUpdate {
  outgoingUpdate(client: unknown, packet: unknown): Promise<unknown>;
}

/** Wraps the running broker's store; `onUnstored` counts each message delivered without a stored copy. */
export function deliverAcrossNodes(aedes: Aedes, onUnstored: () => void): void {
  const store = (aedes as unknown as { persistence: OutgoingUpdate }).persistence;
  const update = store.outgoingUpdate.bind(store);
  store.outgoingUpdate = async (client, packet) => {
    try {
      return await update(client, packet);
    } catch (err) {
      if ((err as Error).message !== NO_SUCH_PACKET) throw err;
      onUnstored();
      return undefined;
    }
  };
}
