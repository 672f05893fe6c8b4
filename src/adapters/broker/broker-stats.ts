/** Counters of what the broker refused, for logs now and Prometheus metrics later. Plain numbers, bumped in place. */
export interface BrokerCounters {
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
}

/** The counters plus the current gauges. */
export interface BrokerStats extends BrokerCounters {
  /** Open sockets on every listener, including those that have not sent CONNECT yet. */
  connections: number;
  /** Clients that completed CONNECT. */
  clients: number;
}

export function createBrokerCounters(): BrokerCounters {
  return { authFailures: 0, aclDenied: 0, rateLimited: 0, queueCapped: 0, connectionsRefused: 0, oversizedPackets: 0 };
}
