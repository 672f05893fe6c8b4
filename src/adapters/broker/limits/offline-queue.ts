/**
 * A bound on the messages queued for each client with a persistent session.
 * aedes queues QoS 1/2 messages for offline clients without limit, so one
 * client that never comes back would grow the broker's memory for ever.
 * Like Mosquitto's max_queued_messages, once a client's queue is full new
 * messages for it are dropped (the oldest are kept: they are what the client
 * missed first), logged once per episode and counted.
 *
 * Only offline clients are capped: for a connected client the queue is its
 * in-flight window, and aedes fails the delivery of a message it did not queue.
 */
import type { Aedes } from 'aedes';

interface QueuedFor {
  clientId: string;
}

/** The part of the aedes persistence (1.x, promise style) that holds outgoing queues. */
interface OutgoingQueues {
  outgoingEnqueue(sub: QueuedFor, packet: unknown): Promise<unknown>;
  outgoingEnqueueCombi(subs: QueuedFor[], packet: unknown): Promise<unknown>;
  outgoingClearMessageId(client: { id: string }, packet: unknown): Promise<unknown>;
}

export interface OfflineQueueCapOptions {
  maxPerClient: number;
  /** A message for `clientId` was not queued; `first` is true when its queue has just become full. */
  onDropped(clientId: string, first: boolean): void;
  /** A full queue has room again (the client came back and acknowledged). */
  onRoom?(clientId: string): void;
}

/** Wraps the broker's persistence; call once, right after the broker is created. */
export function capOfflineQueues(aedes: Aedes, options: OfflineQueueCapOptions): void {
  const { maxPerClient } = options;
  if (!(Number.isSafeInteger(maxPerClient) && maxPerClient >= 1)) throw new RangeError(`maxPerClient must be a positive integer, got ${maxPerClient}`);
  const broker = aedes as unknown as { persistence: OutgoingQueues; clients: Record<string, unknown> };
  const persistence = broker.persistence;
  const queued = new Map<string, number>();
  const full = new Set<string>();

  /** Counts the message in, or says no when an offline client's queue is full. */
  const admit = (clientId: string): boolean => {
    const count = queued.get(clientId) ?? 0;
    if (count >= maxPerClient && broker.clients[clientId] === undefined) {
      const first = !full.has(clientId);
      full.add(clientId);
      options.onDropped(clientId, first);
      return false;
    }
    queued.set(clientId, count + 1);
    return true;
  };

  const enqueue = persistence.outgoingEnqueue.bind(persistence);
  const enqueueCombi = persistence.outgoingEnqueueCombi.bind(persistence);
  const clear = persistence.outgoingClearMessageId.bind(persistence);

  persistence.outgoingEnqueue = async (sub, packet) => (admit(sub.clientId) ? enqueue(sub, packet) : undefined);
  persistence.outgoingEnqueueCombi = async (subs, packet) => enqueueCombi(subs.filter((sub) => admit(sub.clientId)), packet);
  persistence.outgoingClearMessageId = async (client, packet) => {
    const removed = await clear(client, packet);
    if (removed !== undefined && removed !== null) {
      const count = (queued.get(client.id) ?? 1) - 1;
      if (count <= 0) queued.delete(client.id);
      else queued.set(client.id, count);
      if (count < maxPerClient && full.delete(client.id)) options.onRoom?.(client.id);
    }
    return removed;
  };
}
