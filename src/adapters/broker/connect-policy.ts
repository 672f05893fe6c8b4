/**
 * Checks of a CONNECT before anything of it is kept: MQTT 3.1.1 rules aedes
 * does not enforce, a Last Will that could never be delivered, and a cap on
 * the keep-alive so a silent client cannot hold a connection for ever.
 * Runs as aedes' preConnect hook (a refused CONNECT closes the connection,
 * as the spec asks for a malformed one); the rules that need the client's
 * identity run in the authenticate chain (broker-security.ts).
 */
import type { Client, ConnectPacket, PublishPacket } from 'aedes';
import type { Logger } from '../../support/logger.js';
import { createLogThrottle } from '../../support/log-throttle.js';
import type { BrokerCounters } from './broker-stats.js';
import { topicProblem } from './publish-check.js';

export interface ConnectPolicyOptions {
  /** Longest keep-alive in seconds; 0 (none) or more is lowered to it. Undefined leaves keep-alives alone. */
  maxKeepaliveS?: number;
  counters: BrokerCounters;
  logger: Logger;
}

export interface ConnectPolicy {
  preConnect(client: Client, packet: ConnectPacket, done: (err: Error | null, ok: boolean) => void): void;
  /** The will the client sent, to be checked against its rights once it is known. */
  willOf(client: Client): PublishPacket | undefined;
  /** Why the client id cannot be used ([MQTT-3.1.3-8]: an empty id needs a clean session), or undefined. */
  identifierProblem(client: Client): string | undefined;
}

/** The reason this CONNECT breaks MQTT 3.1.1 or carries an undeliverable will, or undefined. Pure. */
export function connectProblem(packet: Pick<ConnectPacket, 'username' | 'password' | 'will'>): string | undefined {
  // [MQTT-3.1.2-22]: a password only with a user name.
  if (packet.password !== undefined && packet.password !== null && (packet.username === undefined || packet.username === null)) {
    return 'a password without a user name';
  }
  const will = packet.will;
  if (will !== undefined && will !== null) {
    const qos: unknown = will.qos;
    if (qos !== 0 && qos !== 1 && qos !== 2) return `a will with QoS ${String(qos)}`; // [MQTT-3.1.2-14]
    const problem = topicProblem(will.topic);
    if (problem !== undefined) return `a will whose ${problem.replace(/^the /, '')}`;
  }
  return undefined;
}

export function createConnectPolicy(options: ConnectPolicyOptions): ConnectPolicy {
  const logger = options.logger.child({ component: 'broker-connect' });
  const throttle = createLogThrottle(10_000);
  const wills = new WeakMap<Client, PublishPacket>();
  const emptyIds = new WeakSet<Client>();
  const max = options.maxKeepaliveS;
  return {
    preConnect(client, packet, done) {
      const problem = connectProblem(packet);
      if (problem !== undefined) {
        options.counters.protocolRefused += 1;
        const peer = (client.conn as { remoteAddress?: string }).remoteAddress;
        throttle(`refused:${problem}`, (suppressed) => logger.warn({ clientId: packet.clientId, peer, reason: problem, suppressed }, 'CONNECT refused'));
        return done(new Error(`CONNECT refused: ${problem}`), false);
      }
      if (max !== undefined && (!packet.keepalive || packet.keepalive > max)) packet.keepalive = max;
      if (packet.will) wills.set(client, packet.will as PublishPacket);
      if (!packet.clientId) emptyIds.add(client);
      done(null, true);
    },
    willOf: (client) => wills.get(client),
    identifierProblem: (client) => (emptyIds.has(client) && !client.clean ? 'an empty client id needs a clean session' : undefined),
  };
}
