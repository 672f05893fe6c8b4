/**
 * Library patch (aedes 1.2.0 and its persistences, pinned): a hook on the
 * per-client outgoing queues of the broker's persistence.
 *
 * Why: aedes queues QoS 1/2 messages for offline clients through
 * `persistence.outgoingEnqueue` / `outgoingEnqueueCombi` and forgets them in
 * `outgoingClearMessageId`, with no event or option for either; bounding a
 * queue means seeing both. The wrapped enqueue never calls the original
 * `outgoingEnqueue`, because aedes-persistence-redis implements it through
 * `this.outgoingEnqueueCombi` (the wrapped one), which would count twice. The
 * contract test (test/unit/adapters/broker/patches) checks these three methods
 * on both stores.
 */
import type { Aedes } from 'aedes';

export interface QueuedFor {
  clientId: string;
}

/** The part of an aedes persistence (1.x, promise style) that holds outgoing queues. */
export interface OutgoingQueues {
  outgoingEnqueue(sub: QueuedFor, packet: unknown): Promise<unknown>;
  outgoingEnqueueCombi(subs: QueuedFor[], packet: unknown): Promise<unknown>;
  outgoingClearMessageId(client: { id: string }, packet: unknown): Promise<unknown>;
}

export interface OutgoingQueueHooks {
  /** Asked once per client a message is about to be queued for; false leaves it out. */
  admit(clientId: string): boolean;
  /** A queued message was acknowledged (or dropped) and left the client's queue. */
  removed(clientId: string): void;
}

export function hookOutgoingQueues(aedes: Aedes, hooks: OutgoingQueueHooks): void {
  const persistence = (aedes as unknown as { persistence: OutgoingQueues }).persistence;
  const enqueueCombi = persistence.outgoingEnqueueCombi.bind(persistence);
  const clear = persistence.outgoingClearMessageId.bind(persistence);
  persistence.outgoingEnqueue = async (sub, packet) => (hooks.admit(sub.clientId) ? enqueueCombi([sub], packet) : undefined);
  persistence.outgoingEnqueueCombi = async (subs, packet) => enqueueCombi(subs.filter((sub) => hooks.admit(sub.clientId)), packet);
  persistence.outgoingClearMessageId = async (client, packet) => {
    const removed = await clear(client, packet);
    if (removed !== undefined && removed !== null) hooks.removed(client.id);
    return removed;
  };
}

/** Whether a connected client with this id is registered (aedes' `clients` table, keyed by client id). */
export function isConnected(aedes: Aedes, clientId: string): boolean {
  return (aedes as unknown as { clients: Record<string, unknown> }).clients[clientId] !== undefined;
}
