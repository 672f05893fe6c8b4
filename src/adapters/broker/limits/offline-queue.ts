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
import { hookOutgoingQueues, isConnected } from '../patches/outgoing-queues.js';

export interface OfflineQueueCapOptions {
  /** Undefined counts without a cap. */
  maxPerClient: number | undefined;
  /** A message for `clientId` was not queued; `first` is true when its queue has just become full. */
  onDropped(clientId: string, first: boolean): void;
  /** A full queue has room again (the client came back and acknowledged). */
  onRoom?(clientId: string): void;
}

/**
 * Counts each client's queued messages; call once, right after the broker is created. The counts live in this
 * process: after a restart on a durable store they start again at 0, so a queue can then grow by up to one cap more.
 */
export function capOfflineQueues(aedes: Aedes, options: OfflineQueueCapOptions): { queued(clientId: string): number } {
  const maxPerClient = options.maxPerClient ?? Number.POSITIVE_INFINITY;
  if (options.maxPerClient !== undefined && !(Number.isSafeInteger(maxPerClient) && maxPerClient >= 1)) throw new RangeError(`maxPerClient must be a positive integer, got ${maxPerClient}`);
  const queued = new Map<string, number>();
  const full = new Set<string>();

  hookOutgoingQueues(aedes, {
    // Counts the message in, or says no when an offline client's queue is full.
    admit: (clientId) => {
      const count = queued.get(clientId) ?? 0;
      if (count >= maxPerClient && !isConnected(aedes, clientId)) {
        const first = !full.has(clientId);
        full.add(clientId);
        options.onDropped(clientId, first);
        return false;
      }
      queued.set(clientId, count + 1);
      return true;
    },
    removed: (clientId) => {
      const count = (queued.get(clientId) ?? 1) - 1;
      if (count <= 0) queued.delete(clientId);
      else queued.set(clientId, count);
      if (count < maxPerClient && full.delete(clientId)) options.onRoom?.(clientId);
    },
  });
  return { queued: (clientId) => queued.get(clientId) ?? 0 };
}
