/**
 * The aedes side of authentication and authorization: users-file passwords at
 * CONNECT, the ACL at SUBSCRIBE and at delivery, and the publish decision
 * (applied by broker/publish-gate.ts, which also rate-limits).
 */
import type { AedesOptions, AuthErrorCode, AuthenticateError, Client, PublishPacket } from 'aedes';
import type { Logger } from '../../../support/logger.js';
import { createLogThrottle } from '../../../support/log-throttle.js';
import type { BrokerCounters } from '../broker-stats.js';
import type { Acl, Identity, Role } from './acl.js';
import type { AuthThrottle } from './auth-throttle.js';
import { decoyHash, verifyPassword } from './password.js';
import type { UserEntry } from './users-file.js';

type Hook<K extends keyof AedesOptions> = NonNullable<AedesOptions[K]>;

export interface AuthHooksOptions {
  /** The user of that name, or undefined; a function so the broker can swap in a reloaded file. */
  lookup(username: string): UserEntry | undefined;
  acl: Acl;
  counters: BrokerCounters;
  logger: Logger;
  /**
   * Client ids only some roles may use, whoever connects first: the worker's id (MQTT_CLIENT_ID) is
   * kept for worker and admin users, so a device cannot take its persistent session, and with it the
   * readings queued for the worker. An id also covers `<id>-…` (a group of workers).
   */
  reservedClientIds?: ReadonlyMap<string, readonly Role[]>;
  /** Slows password guessing per user name and per source address (see auth-throttle.ts). */
  throttle?: AuthThrottle;
}

export interface AuthHooks {
  authenticate: Hook<'authenticate'>;
  authorizeSubscribe: Hook<'authorizeSubscribe'>;
  authorizeForward: Hook<'authorizeForward'>;
  /** The ACL's publish decision for an authenticated client; a will published with no client is refused. */
  mayPublish(client: Client | null, packet: PublishPacket): boolean;
  identityOf(client: Client | null): Identity | undefined;
  /** Wire to aedes 'clientDisconnect': forgets who held a clean session's client id. */
  forget(client: Client): void;
}

/** CONNACK return codes of MQTT 3.1.1. */
const IDENTIFIER_REJECTED = 2;
const BAD_CREDENTIALS = 4;
const NOT_AUTHORIZED = 5;

export function createAuthHooks(options: AuthHooksOptions): AuthHooks {
  const { acl, counters } = options;
  const logger = options.logger.child({ component: 'broker-auth' });
  const identities = new WeakMap<Client, Identity>();
  // Who holds each client id, so a user cannot take over (and drain) another user's session.
  const owners = new Map<string, { username: string; client: Client }>();
  // Keys are bounded (a reason, a known user name): names sent by strangers must not grow the throttle's map.
  const throttle = createLogThrottle(10_000);

  const refuse = (client: Client, username: string | undefined, returnCode: number, reason: string): AuthenticateError => {
    counters.authFailures += 1;
    throttle(`refused:${reason}`, (suppressed) =>
      logger.warn({ clientId: client.id, username, peer: peerOf(client), reason, suppressed }, 'connection refused'),
    );
    return Object.assign(new Error(reason), { returnCode: returnCode as AuthErrorCode });
  };

  const check = async (client: Client, username: string | undefined, password: Buffer | undefined): Promise<AuthenticateError | Identity> => {
    if (username === undefined || username === '') return refuse(client, username, NOT_AUTHORIZED, 'no user name: anonymous clients are not allowed');
    const entry = options.lookup(username);
    const admission = options.throttle?.begin({ username, address: peerOf(client) ?? '', knownUser: entry !== undefined, lockableName: entry?.role !== 'worker' });
    if (admission !== undefined && admission.blockedForMs > 0) {
      counters.authDelayed += 1;
      return refuse(client, username, BAD_CREDENTIALS, 'too many failed logins; try again later');
    }
    // Unknown users cost a full scrypt too, so timing does not reveal which names exist.
    let valid: boolean;
    try {
      valid = await verifyPassword(password ?? Buffer.alloc(0), entry?.password ?? (await decoyHash()));
    } catch (err) {
      admission?.settle(undefined); // no verdict: a failing scrypt is not the client's failure
      throw err;
    }
    admission?.settle(entry !== undefined && valid);
    if (entry === undefined || !valid) return refuse(client, username, BAD_CREDENTIALS, 'bad user name or password');
    const reservedFor = reservation(options.reservedClientIds, client.id);
    if (reservedFor !== undefined && !reservedFor.includes(entry.role)) {
      return refuse(client, username, IDENTIFIER_REJECTED, `client id is reserved for ${reservedFor.join(' and ')} users`);
    }
    const owner = owners.get(client.id);
    if (owner !== undefined && owner.username !== username) {
      return refuse(client, username, IDENTIFIER_REJECTED, 'client id is held by another user');
    }
    return { username, role: entry.role };
  };

  const authenticate: Hook<'authenticate'> = (client, username, password, done) => {
    check(client, username, password).then(
      (outcome) => {
        if (outcome instanceof Error) return done(outcome, false);
        identities.set(client, outcome);
        owners.set(client.id, { username: outcome.username, client });
        logger.debug({ clientId: client.id, username: outcome.username, role: outcome.role }, 'authenticated');
        done(null, true);
      },
      (err: unknown) => {
        logger.error({ err, clientId: client.id }, 'authentication failed with an error');
        done(Object.assign(new Error('server unavailable'), { returnCode: 3 as AuthErrorCode }), false);
      },
    );
  };

  const authorizeSubscribe: Hook<'authorizeSubscribe'> = (client, subscription, done) => {
    const identity = identities.get(client);
    if (identity !== undefined && acl.allows(identity, 'subscribe', subscription.topic)) return done(null, subscription);
    counters.aclDenied += 1;
    throttle(`subscribe:${identity?.username ?? ''}`, (suppressed) =>
      logger.warn({ clientId: client.id, ...identity, action: 'subscribe', topic: subscription.topic, suppressed }, 'ACL denied'),
    );
    // null, not an error: the client gets granted QoS 128 for this filter and keeps its connection.
    done(null, null);
  };

  // Subscriptions are checked when made; this catches what arrives another way (a session's queued messages, retained ones).
  const authorizeForward: Hook<'authorizeForward'> = (client, packet) => {
    const identity = identities.get(client);
    return identity !== undefined && acl.allows(identity, 'subscribe', packet.topic) ? packet : null;
  };

  return {
    authenticate,
    authorizeSubscribe,
    authorizeForward,
    mayPublish: (client, packet) => {
      const identity = client === null ? undefined : identities.get(client);
      return identity !== undefined && acl.allows(identity, 'publish', packet.topic);
    },
    identityOf: (client) => (client === null ? undefined : identities.get(client)),
    forget: (client) => {
      const owner = owners.get(client.id);
      // A persistent session outlives the connection, and so does its owner.
      if (owner?.client === client && client.clean) owners.delete(client.id);
    },
  };
}

/** The remote address for logs: the socket's, or the HTTP request's for WebSocket clients. */
export function reservation(reserved: ReadonlyMap<string, readonly Role[]> | undefined, clientId: string): readonly Role[] | undefined {
  if (reserved === undefined) return undefined;
  for (const [id, roles] of reserved) if (clientId === id || clientId.startsWith(`${id}-`)) return roles;
  return undefined;
}

export function peerOf(client: Client): string | undefined {
  const socket = client.conn as { remoteAddress?: string };
  return socket.remoteAddress ?? client.req?.socket.remoteAddress;
}
