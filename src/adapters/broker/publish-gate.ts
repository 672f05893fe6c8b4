/**
 * The broker's one authorizePublish: reserved topics, the ACL, the rate limit,
 * messages no client could be sent, the retained-message policy, then any
 * custom hook. A refused message is acknowledged and dropped, as Mosquitto
 * does for MQTT 3.1.1 (which has no way to say "refused" to a publisher); the
 * connection stays up, the drop is logged and counted.
 *
 * aedes itself can only refuse by closing the connection, and mqtt.js resends
 * an unacknowledged QoS 1 message on reconnect, so one misaddressed message
 * would become a reconnect loop that also stops every allowed message. So
 * refused packets are marked here and skipped by patches/publish-hook.ts,
 * which sees the very packet object authorized here (the PUBLISH handler and
 * the Last Will both pass it on).
 *
 * Two more rules ride on that hook:
 * - QoS 2 is passed on at QoS 1. aedes 1.2.0 loses QoS 2 deliveries: it does
 *   not lower a message to a wildcard subscription's granted QoS (it looks the
 *   topic up among the filters), and aedes-persistence 11's outgoingUpdate
 *   matches a PUBREL against an earlier stored PUBREL (both have no broker id),
 *   rewriting that one's message id: two PUBRECs handled together send one
 *   PUBREL twice and the other never, and mqtt.js releases a QoS 2 message only
 *   on its PUBREL. The publisher still gets the full QoS 2 handshake (exactly
 *   once into the broker); subscribers get the message at least once.
 * - A QoS 1 message from a connected client is stored and queued before its
 *   PUBACK (aedes acknowledges first and publishes after), so a broker killed
 *   in between cannot have acknowledged what it never stored.
 */
import type { Aedes, AedesOptions, Client, PublishPacket } from 'aedes';
import type { Logger } from '../../support/logger.js';
import { createLogThrottle } from '../../support/log-throttle.js';
import type { Identity } from './auth/acl.js';
import type { BrokerCounters } from './broker-stats.js';
import type { RateLimiter } from './limits/rate-limit.js';
import type { RetainedLedger } from './limits/retained.js';
import { interceptPublish } from './patches/publish-hook.js';
import { publishProblem } from './publish-check.js';

type AuthorizePublish = NonNullable<AedesOptions['authorizePublish']>;
type DropCounter = 'aclDenied' | 'rateLimited' | 'invalidMessages' | 'retainRefused';

export interface RetainPolicy {
  ledger: RetainedLedger;
  /** Whether this publisher may retain at all (devices may not unless configured). */
  mayRetain(identity: Identity | undefined): boolean;
}

export interface PublishGateOptions {
  /** The ACL decision; undefined when clients are anonymous. */
  auth?: {
    mayPublish(client: Client | null, packet: PublishPacket): boolean;
    identityOf(client: Client | null): Identity | undefined;
  };
  /** Per-client limit, for the identities it `applies` to. */
  rateLimit?: { limiter: RateLimiter; applies(identity: Identity | undefined): boolean };
  retain?: RetainPolicy;
  /** A caller's own hook, asked only about messages that passed the checks above. */
  custom?: AuthorizePublish;
  counters: BrokerCounters;
  logger: Logger;
}

export interface PublishGate {
  authorizePublish: AuthorizePublish;
  /** Makes aedes skip the packets this gate refused. Call once, right after the broker is created. */
  install(aedes: Aedes): void;
  /**
   * For shutdown: from now on a PUBLISH from a connected client that `keep` does not name closes its connection
   * unacknowledged (the client sends it again to the next broker) instead of being taken in and then lost.
   */
  closeIntake(keep: (client: Client) => boolean): void;
}

export function createPublishGate(options: PublishGateOptions): PublishGate {
  const { auth, rateLimit, retain, custom, counters } = options;
  const logger = options.logger.child({ component: 'broker-publish' });
  const throttle = createLogThrottle(10_000);
  const refused = new WeakSet<object>();
  /** Published from authorizePublish, before the PUBACK: aedes' own publish afterwards is skipped. */
  const early = new WeakSet<object>();
  let broker: Aedes | undefined;

  const drop = (packet: PublishPacket, client: Client | null, counter: DropCounter, message: string, reason?: string): void => {
    counters[counter] += 1;
    refused.add(packet);
    const identity = auth?.identityOf(client);
    throttle(`${counter}:${identity?.username ?? ''}`, (suppressed) =>
      logger.warn({ clientId: client?.id, username: identity?.username, topic: packet.topic, reason, suppressed }, message),
    );
  };

  const check = (client: Client | null, packet: PublishPacket): boolean => {
    // Every client PUBLISH (and will) passes here once, refused or not.
    counters.messagesReceived += 1;
    const problem = publishProblem(packet);
    if (problem !== undefined) {
      drop(packet, client, 'invalidMessages', 'message no client could be sent; dropped', problem);
      return false;
    }
    // $SYS is the broker's own: nobody publishes there (aedes' default hook guards this too; ours replaces it).
    if (packet.topic.startsWith('$SYS/') || (auth !== undefined && !auth.mayPublish(client, packet))) {
      drop(packet, client, 'aclDenied', 'ACL denied publish; message dropped');
      return false;
    }
    // A will is published after the connection closed: it is not the client sending, so it is not rate-limited.
    if (rateLimit !== undefined && client !== null && !client.closed && rateLimit.applies(auth?.identityOf(client))) {
      if (!rateLimit.limiter.allow(client)) {
        drop(packet, client, 'rateLimited', 'publish rate limit exceeded; message dropped');
        return false;
      }
    }
    if (packet.retain && retain !== undefined) {
      const identity = auth?.identityOf(client);
      if (!retain.mayRetain(identity) && packet.payload.length > 0) {
        drop(packet, client, 'retainRefused', 'retained message refused; dropped', `role ${identity?.role ?? 'anonymous'} may not retain`);
        return false;
      }
      const reason = retain.ledger.admit(identity?.username ?? client?.id ?? '', packet.topic, packet.payload.length);
      if (reason !== undefined) {
        drop(packet, client, 'retainRefused', 'retained message refused; dropped', reason);
        return false;
      }
    }
    return true;
  };

  /** For a QoS 1 PUBLISH of a connected client: store and queue it now, so the PUBACK aedes sends next follows it. */
  const publishEarly = (client: Client | null, packet: PublishPacket, done: (err: Error | null) => void): void => {
    if (broker === undefined || client === null || client.closed || packet.qos !== 1) return done(null);
    // aedes' internal form, publish(packet, client, done), which its typings leave out.
    const publish = broker.publish.bind(broker) as unknown as (p: PublishPacket, c: Client, cb: (err?: Error) => void) => void;
    publish(packet, client, (err?: Error) => {
      if (!err) early.add(packet);
      done(err ?? null);
    });
  };

  let intakeClosedExcept: ((client: Client) => boolean) | undefined;

  const authorizePublish: AuthorizePublish = (client, packet, done) => {
    if (intakeClosedExcept !== undefined && client !== null && !client.closed && !intakeClosedExcept(client)) {
      return done(new Error('broker is shutting down: not taking new messages'));
    }
    if (!check(client, packet)) return done(null);
    if (custom === undefined) return publishEarly(client, packet, done);
    custom(client, packet, (err) => (err ? done(err) : publishEarly(client, packet, done)));
  };

  const install = (aedes: Aedes): void => {
    broker = aedes;
    interceptPublish(aedes, (packet) => {
      if (refused.has(packet)) {
        refused.delete(packet);
        return undefined;
      }
      if (early.has(packet)) {
        early.delete(packet);
        return undefined;
      }
      // What skipped authorizePublish (the API, a stored will published by a later broker) is checked here.
      const problem = publishProblem(packet);
      if (problem !== undefined) {
        drop(packet, null, 'invalidMessages', 'message no client could be sent; dropped', problem);
        refused.delete(packet);
        return undefined;
      }
      if (packet.qos !== 2) return packet;
      counters.qos2Downgraded += 1;
      return { ...packet, qos: 1 };
    });
  };

  const closeIntake = (keep: (client: Client) => boolean): void => {
    intakeClosedExcept = keep;
  };

  return { authorizePublish, install, closeIntake };
}
