/** Counters of what the broker refused, for logs now and Prometheus metrics later. Plain numbers, bumped in place. */
export interface BrokerCounters {
  /** PUBLISH packets received from clients (refused ones included). */
  messagesReceived: number;
  /** CONNECTs refused: unknown user, wrong password, no credentials while a users file is set, client id held by another user. */
  authFailures: number;
  /** PUBLISHes (acknowledged, then dropped) and SUBSCRIBEs (granted 128) the ACL refused. */
  aclDenied: number;
  /** PUBLISHes dropped by the per-client rate limit. */
  rateLimited: number;
  /** Messages not queued for an offline client because its queue was full. */
  queueCapped: number;
  /** Connections closed as they were accepted, because the connection limit was reached. */
  connectionsRefused: number;
  /** Connections closed because a packet was larger than the packet size limit. */
  oversizedPackets: number;
  // Issue 10: hardening
  /** Messages dropped because no client could be sent them (QoS above 2, a topic that is not valid UTF-8, ...). */
  invalidMessages: number;
  /** Retained messages refused (role not allowed to retain, or a retained count/bytes cap reached). */
  retainRefused: number;
  /** QoS 2 messages passed on at QoS 1 (see publish-gate.ts). */
  qos2Downgraded: number;
  /** CONNECTs refused for breaking MQTT 3.1.1 or the broker's rules (bad will, password without user name, ...). */
  protocolRefused: number;
  /** Sockets closed at accept because their address had too many connections still waiting for CONNECT. */
  pendingRefused: number;
  /** CONNECTs refused because only the slots kept for worker and admin users were left. */
  reservedRefused: number;
  /** Logins answered late because their user name or address had failed too often (see auth-throttle.ts). */
  authDelayed: number;
  // Issue 11: scale-out
  /** Issue 11: QoS 1/2 messages from another cluster node delivered to a persistent session without a stored copy. */
  clusterUnstored: number;
}

/** The counters plus the current gauges. */
export interface BrokerStats extends BrokerCounters {
  /** Open sockets on every listener, including those that have not sent CONNECT yet. */
  connections: number;
  /** Clients that completed CONNECT. */
  clients: number;
  /** Retained messages held, and their payload bytes. */
  retained: { count: number; bytes: number };
}

export function createBrokerCounters(): BrokerCounters {
  return {
    messagesReceived: 0,
    authFailures: 0,
    aclDenied: 0,
    rateLimited: 0,
    queueCapped: 0,
    connectionsRefused: 0,
    oversizedPackets: 0,
    invalidMessages: 0,
    retainRefused: 0,
    qos2Downgraded: 0,
    protocolRefused: 0,
    pendingRefused: 0,
    reservedRefused: 0,
    authDelayed: 0,
    clusterUnstored: 0,
  };
}
