/**
 * The broker's one authorizePublish: reserved topics, the ACL, the rate limit,
 * then any custom hook. A refused message is acknowledged and dropped, as
 * Mosquitto does for MQTT 3.1.1 (which has no way to say "refused" to a
 * publisher); the connection stays up, the drop is logged and counted.
 *
 * aedes itself can only refuse by closing the connection, and mqtt.js resends
 * an unacknowledged QoS 1 message on reconnect, so one misaddressed message
 * would become a reconnect loop that also stops every allowed message. So
 * refused packets are marked here and skipped by a thin wrapper around
 * aedes.publish, which the PUBLISH handler and the will both go through with
 * the very packet object authorized here.
 */
import type { Aedes, AedesOptions, Client, PublishPacket } from 'aedes';
import type { Logger } from '../../support/logger.js';
import { createLogThrottle } from '../../support/log-throttle.js';
import type { Identity } from './auth/acl.js';
import type { BrokerCounters } from './broker-stats.js';
import type { RateLimiter } from './limits/rate-limit.js';

type AuthorizePublish = NonNullable<AedesOptions['authorizePublish']>;

export interface PublishGateOptions {
  /** The ACL decision; undefined when clients are anonymous. */
  auth?: {
    mayPublish(client: Client | null, packet: PublishPacket): boolean;
    identityOf(client: Client | null): Identity | undefined;
  };
  /** Per-client limit, for the identities it `applies` to. */
  rateLimit?: { limiter: RateLimiter; applies(identity: Identity | undefined): boolean };
  /** A caller's own hook, asked only about messages that passed the checks above. */
  custom?: AuthorizePublish;
  counters: BrokerCounters;
  logger: Logger;
}

export interface PublishGate {
  authorizePublish: AuthorizePublish;
  /** Makes aedes skip the packets this gate refused. Call once, right after the broker is created. */
  install(aedes: Aedes): void;
}

export function createPublishGate(options: PublishGateOptions): PublishGate {
  const { auth, rateLimit, custom, counters } = options;
  const logger = options.logger.child({ component: 'broker-publish' });
  const throttle = createLogThrottle(10_000);
  const refused = new WeakSet<object>();

  const drop = (packet: PublishPacket, client: Client | null, counter: 'aclDenied' | 'rateLimited', message: string): void => {
    counters[counter] += 1;
    refused.add(packet);
    const identity = auth?.identityOf(client);
    throttle(`${counter}:${identity?.username ?? ''}`, (suppressed) =>
      logger.warn({ clientId: client?.id, username: identity?.username, topic: packet.topic, suppressed }, message),
    );
  };

  const authorizePublish: AuthorizePublish = (client, packet, done) => {
    // $SYS is the broker's own: nobody publishes there (aedes' default hook guards this too; ours replaces it).
    if (packet.topic.startsWith('$SYS/') || (auth !== undefined && !auth.mayPublish(client, packet))) {
      drop(packet, client, 'aclDenied', 'ACL denied publish; message dropped');
      return done(null);
    }
    // A will is published after the connection closed: it is not the client sending, so it is not rate-limited.
    if (rateLimit !== undefined && client !== null && !client.closed && rateLimit.applies(auth?.identityOf(client))) {
      if (!rateLimit.limiter.allow(client)) {
        drop(packet, client, 'rateLimited', 'publish rate limit exceeded; message dropped');
        return done(null);
      }
    }
    if (custom !== undefined) return custom(client, packet, done);
    done(null);
  };

  const install = (aedes: Aedes): void => {
    const publish = aedes.publish.bind(aedes) as (packet: PublishPacket, client?: unknown, done?: unknown) => void;
    // aedes calls publish(packet, client, done) internally and publish(packet, done) from the API.
    aedes.publish = ((packet: PublishPacket, client?: unknown, done?: unknown) => {
      if (!refused.has(packet)) return publish(packet, client, done);
      refused.delete(packet);
      const callback = typeof client === 'function' ? client : done;
      if (typeof callback === 'function') setImmediate(callback as () => void);
    }) as Aedes['publish'];
  };

  return { authorizePublish, install };
}
