/**
 * Library patch (aedes 1.2.0, pinned): every message goes through `aedes.publish`.
 *
 * Why: aedes can refuse a PUBLISH only by closing the connection, and it has no
 * hook that may change or drop a message after authorizePublish said yes. Its
 * PUBLISH handler, the Last Will and the API all call `aedes.publish(packet,
 * client, done)` (the API form is `publish(packet, done)`), so replacing that
 * one method on the instance sees every message before it is stored, queued or
 * delivered. The contract test (test/unit/adapters/broker/patches) fails if an
 * upgrade routes a message around it.
 */
import type { Aedes, Client, PublishPacket } from 'aedes';

/** What to publish instead of `packet`, or undefined to drop it (the caller's callback still runs). */
export type PublishInterceptor = (packet: PublishPacket, client: Client | null) => PublishPacket | undefined;

type RawPublish = (packet: PublishPacket, client?: unknown, done?: unknown) => void;

/** Wraps `aedes.publish` once; interceptors added later run in the order added. */
export function interceptPublish(aedes: Aedes, interceptor: PublishInterceptor): void {
  const chain = chainOf(aedes);
  chain.push(interceptor);
}

const CHAINS = new WeakMap<Aedes, PublishInterceptor[]>();

function chainOf(aedes: Aedes): PublishInterceptor[] {
  let chain = CHAINS.get(aedes);
  if (chain !== undefined) return chain;
  const interceptors: PublishInterceptor[] = [];
  chain = interceptors;
  CHAINS.set(aedes, chain);
  const publish = aedes.publish.bind(aedes) as RawPublish;
  aedes.publish = ((packet: PublishPacket, client?: unknown, done?: unknown) => {
    const callback = typeof client === 'function' ? client : done;
    const from = typeof client === 'function' || client === undefined ? null : (client as Client | null);
    let current: PublishPacket | undefined = packet;
    for (const interceptor of interceptors) {
      current = interceptor(current, from);
      if (current === undefined) {
        if (typeof callback === 'function') setImmediate(callback as () => void);
        return;
      }
    }
    if (typeof client === 'function') return publish(current, client);
    return publish(current, client, done);
  }) as Aedes['publish'];
  return chain;
}
