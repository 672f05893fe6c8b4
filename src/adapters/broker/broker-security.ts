/**
 * Puts the broker's access rules together before aedes starts: the anonymous
 * rule, the users file, the ACL and the publish gate (with the rate limit),
 * composed with any hooks the caller passes.
 */
import type { Aedes, AedesOptions, AuthErrorCode, Client } from 'aedes';
import type { Logger } from '../../support/logger.js';
import { createAcl, DEFAULT_ACL_TOPICS, type AclTopics, type Identity, type Role } from './auth/acl.js';
import { accessMode, type AccessMode } from './auth/anonymous.js';
import { createAuthHooks, reservation, type AuthHooks } from './auth/hooks.js';
import { permissionWarning, readUsersFile, UsersFileError, type UserEntry } from './auth/users-file.js';
import type { BrokerCounters } from './broker-stats.js';
import { createRateLimiter, type RateLimit } from './limits/rate-limit.js';
import type { RetainedLedger } from './limits/retained.js';
import { createAuthThrottle, type AuthThrottleOptions } from './auth/auth-throttle.js';
import { createConnectPolicy } from './connect-policy.js';
import { createPublishGate } from './publish-gate.js';
import { BrokerSetupError } from './setup-error.js';

/** Auth and ACL hooks of aedes; with a users file they run after the built-in checks. */
export type BrokerHooks = Pick<AedesOptions, 'authenticate' | 'authorizePublish' | 'authorizeSubscribe'>;

export interface SecurityOptions {
  host: string;
  authFile?: string;
  allowAnonymous?: boolean;
  aclTopics?: AclTopics;
  publishRate?: RateLimit;
  hooks?: BrokerHooks;
  /** See AuthHooksOptions.reservedClientIds. */
  reservedClientIds?: ReadonlyMap<string, readonly Role[]>;
  // Issue 10: hardening
  /** See ConnectPolicyOptions.maxKeepaliveS. */
  maxKeepaliveS?: number;
  /** Retained messages: the ledger of what is held, and whether devices may retain at all. */
  retained?: { ledger: RetainedLedger; devicesMayRetain: boolean };
  /** Password-guessing delays; undefined turns them off. */
  authThrottle?: AuthThrottleOptions;
  /** Whether a logged-in client gets a connection slot (privileged: a worker or admin user, or anonymous). */
  admit?: (client: Client, privileged: boolean) => boolean;
}

export interface BrokerSecurity {
  readonly mode: AccessMode;
  /** The hooks to create aedes with. */
  readonly aedesOptions: AedesOptions;
  /** Wires what needs the running broker (dropping refused publishes, forgetting sessions). */
  install(aedes: Aedes): void;
  /** Re-reads the users file; on error the old users stay in force. Resolves with the number of users. */
  reloadUsers(): Promise<number>;
  /** See PublishGate.closeIntake. */
  closeIntake(keep: (client: Client) => boolean): void;
}

/**
 * Roles that publish on behalf of many devices are not rate-limited, nor are
 * anonymous clients (loopback or explicitly allowed: there is no identity to
 * limit, and the simulator and worker run that way in development).
 */
const RATE_LIMITED_ROLES = new Set(['device', 'viewer']);

export async function setupSecurity(options: SecurityOptions, counters: BrokerCounters, logger: Logger): Promise<BrokerSecurity> {
  const custom = options.hooks ?? {};
  if (options.authFile !== undefined && custom.authenticate !== undefined) {
    throw new RangeError('give either a users file or an authenticate hook, not both');
  }
  const mode = accessMode({
    host: options.host,
    authenticated: options.authFile !== undefined || custom.authenticate !== undefined,
    allowAnonymous: options.allowAnonymous === true,
  });
  if (mode === 'refused') {
    throw new BrokerSetupError(
      `refusing to start: the broker would accept anonymous clients on ${options.host}, which is not a loopback address. ` +
        'Set {broker.authFile} to a users file (create one with `npm run -s users -- add <name> --role <role>`), ' +
        'bind {broker.host}=127.0.0.1, or set {broker.allowAnonymous}=true to accept anonymous clients anyway.',
      'broker.authFile',
    );
  }
  if (mode === 'anonymous-allowed') {
    logger.warn({ host: options.host, setting: 'broker.allowAnonymous' }, 'anonymous clients accepted on a non-loopback address: anyone who reaches this port can publish and subscribe anywhere');
  }
  if (options.authFile !== undefined && options.allowAnonymous === true) {
    logger.warn({ setting: 'broker.allowAnonymous' }, 'allowing anonymous clients is ignored: with a users file every client must log in');
  }

  let users = new Map<string, UserEntry>();
  let auth: AuthHooks | undefined;
  const authFile = options.authFile;
  const loadUsers = async (): Promise<number> => {
    if (authFile === undefined) return 0;
    const file = await readUsersFile(authFile);
    users = new Map(Object.entries(file.users));
    const warning = await permissionWarning(authFile).catch(() => undefined);
    if (warning !== undefined) logger.warn({ file: authFile }, warning);
    logger.info({ file: authFile, users: users.size }, 'users loaded');
    return users.size;
  };
  if (authFile !== undefined) {
    await loadUsers().catch((err: unknown) => {
      if (err instanceof UsersFileError) throw new BrokerSetupError(err.message, 'broker.authFile', { cause: err });
      throw err;
    });
    auth = createAuthHooks({
      lookup: (name) => users.get(name),
      acl: createAcl(options.aclTopics ?? DEFAULT_ACL_TOPICS),
      counters,
      logger,
      ...(options.reservedClientIds !== undefined ? { reservedClientIds: options.reservedClientIds } : {}),
      ...(options.authThrottle !== undefined ? { throttle: createAuthThrottle(options.authThrottle) } : {}),
    });
  }

  const gate = createPublishGate({
    ...(auth !== undefined ? { auth } : {}),
    ...(options.publishRate !== undefined
      ? { rateLimit: { limiter: createRateLimiter(options.publishRate), applies: (who: Identity | undefined) => who !== undefined && RATE_LIMITED_ROLES.has(who.role) } }
      : {}),
    ...(custom.authorizePublish !== undefined ? { custom: custom.authorizePublish } : {}),
    ...(options.retained !== undefined
      ? { retain: { ledger: options.retained.ledger, mayRetain: retainRule(options.retained.devicesMayRetain) } }
      : {}),
    counters,
    logger,
  });

  const policy = createConnectPolicy({ ...(options.maxKeepaliveS !== undefined ? { maxKeepaliveS: options.maxKeepaliveS } : {}), counters, logger });
  const aedesOptions: AedesOptions = { authorizePublish: gate.authorizePublish, preConnect: policy.preConnect };
  const inner = auth?.authenticate ?? custom.authenticate ?? ((_client, _username, _password, done) => done(null, true));
  const refuse = (returnCode: number, reason: string, counter: 'protocolRefused' | 'reservedRefused') => {
    counters[counter] += 1;
    logger.child({ component: 'broker-connect' }).warn({ reason }, 'CONNECT refused');
    return Object.assign(new Error(reason), { returnCode: returnCode as AuthErrorCode });
  };
  // The client's id first (MQTT 3.1.1), then its credentials, then what needs its identity: its will's topic, a slot.
  aedesOptions.authenticate = (client, username, password, done) => {
    const idProblem = policy.identifierProblem(client);
    if (idProblem !== undefined) return done(refuse(2, idProblem, 'protocolRefused'), false);
    inner(client, username, password, (err, ok) => {
      if (err || !ok) return done(err, ok);
      const identity = auth?.identityOf(client);
      const will = policy.willOf(client);
      if (will !== undefined && auth !== undefined && !auth.mayPublish(client, will)) {
        return done(refuse(5, 'the will topic is not one this user may publish to', 'protocolRefused'), false);
      }
      // Anonymous clients have no role: the worker's reserved client id stands for it.
      const privileged = identity !== undefined ? identity.role === 'worker' || identity.role === 'admin' : reservation(options.reservedClientIds, client.id) !== undefined;
      if (options.admit !== undefined && !options.admit(client, privileged)) {
        return done(refuse(3, 'no connection slot left but those kept for worker and admin users', 'reservedRefused'), false);
      }
      done(null, true);
    });
  };
  if (auth !== undefined) {
    aedesOptions.authorizeForward = auth.authorizeForward;
    aedesOptions.authorizeSubscribe = chainSubscribe(auth.authorizeSubscribe, custom.authorizeSubscribe);
  } else if (custom.authorizeSubscribe !== undefined) {
    aedesOptions.authorizeSubscribe = custom.authorizeSubscribe;
  }

  return {
    mode,
    aedesOptions,
    install(aedes) {
      gate.install(aedes);
      if (auth !== undefined) {
        const a = auth;
        aedes.on('clientDisconnect', (client: Client) => a.forget(client));
      }
    },
    reloadUsers: loadUsers,
    closeIntake: gate.closeIntake,
  };
}

type AuthorizeSubscribe = NonNullable<AedesOptions['authorizeSubscribe']>;

/** Devices retain only when configured to; every other role (and anonymous clients) may. */
function retainRule(devicesMayRetain: boolean): (identity: Identity | undefined) => boolean {
  return (identity) => devicesMayRetain || identity?.role !== 'device';
}

/** The ACL first; a subscription it allows is then offered to the caller's hook. */
function chainSubscribe(first: AuthorizeSubscribe, second: AuthorizeSubscribe | undefined): AuthorizeSubscribe {
  if (second === undefined) return first;
  return (client, subscription, done) =>
    first(client, subscription, (err, allowed) => (err || !allowed ? done(err, allowed) : second(client, allowed, done)));
}
