/**
 * Bounds on retained messages. aedes keeps every retained message for ever, in
 * whatever store it has, so one client retaining large payloads under fresh
 * topics grows the broker until it runs out of memory. The ledger knows each
 * retained topic's owner and size and answers, before a message is stored,
 * whether it still fits: in count and bytes overall, and per owner (user name,
 * or client id when anonymous). An empty payload clears a topic and frees its
 * share. Pure: the publish gate asks it and drops what it refuses.
 */

export interface RetainedLimits {
  /** Retained topics held in all; 0 = none may be retained. */
  readonly maxCount: number;
  /** Payload bytes of all retained messages together. */
  readonly maxBytes: number;
  /** Retained topics one owner may hold. */
  readonly maxPerOwner: number;
}

export interface RetainedLedger {
  /** Records `topic` as retained by `owner` with `bytes` of payload, or says why not (nothing recorded). */
  admit(owner: string, topic: string, bytes: number): string | undefined;
  readonly count: number;
  readonly bytes: number;
}

export function createRetainedLedger(limits: RetainedLimits): RetainedLedger {
  const topics = new Map<string, { owner: string; bytes: number }>();
  const perOwner = new Map<string, number>();
  let bytes = 0;
  const addOwner = (owner: string, delta: number) => {
    const n = (perOwner.get(owner) ?? 0) + delta;
    if (n <= 0) perOwner.delete(owner);
    else perOwner.set(owner, n);
  };
  return {
    admit(owner, topic, size) {
      const held = topics.get(topic);
      if (size === 0) {
        if (held !== undefined) {
          topics.delete(topic);
          bytes -= held.bytes;
          addOwner(held.owner, -1);
        }
        return undefined;
      }
      const count = topics.size + (held === undefined ? 1 : 0);
      const total = bytes - (held?.bytes ?? 0) + size;
      const ownerCount = (perOwner.get(owner) ?? 0) + (held?.owner === owner ? 0 : 1);
      if (count > limits.maxCount) return `the broker holds its maximum of ${limits.maxCount} retained messages`;
      if (total > limits.maxBytes) return `retained messages would exceed ${limits.maxBytes} bytes`;
      if (ownerCount > limits.maxPerOwner) return `${owner} holds its maximum of ${limits.maxPerOwner} retained messages`;
      if (held !== undefined) addOwner(held.owner, -1);
      addOwner(owner, 1);
      bytes = total;
      topics.set(topic, { owner, bytes: size });
      return undefined;
    },
    get count() {
      return topics.size;
    },
    get bytes() {
      return bytes;
    },
  };
}
