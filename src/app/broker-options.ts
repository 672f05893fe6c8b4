/**
 * The embedded broker's options from the configuration, shared by the
 * standalone `broker` command (commands/broker.ts) and `npm start` (start-pipeline.ts).
 */
import type { Config } from './config.js';
import type { Logger } from '../support/logger.js';
import type { AclTopics } from '../adapters/broker/auth/acl.js';
import { parentSubtree } from '../adapters/broker/auth/topic-filter.js';
import type { BrokerOptions } from '../adapters/broker/embedded-broker.js';
import { claimsFilter } from './worker-options.js';


export function brokerOptions(config: Pick<Config, 'mqtt' | 'broker' | 'topics' | 'scale'>, logger: Logger): BrokerOptions {
  const { mqtt, broker } = config;
  return {
    host: mqtt.host,
    port: mqtt.port,
    wsPort: mqtt.wsPort,
    logger,
    authFile: broker.authFile,
    allowAnonymous: broker.allowAnonymous,
    aclTopics: aclTopics(config.topics, broker.deviceTopicPattern),
    reservedClientIds: new Map([[mqtt.clientId, ['worker', 'admin'] as const]]),
    tls: broker.tls,
    limits: broker.limits,
    store: broker.store,
    // Issue 11: the Redis-joined cluster.
    ...(config.scale.brokerRedisUrl !== undefined ? { redisUrl: config.scale.brokerRedisUrl } : {}),
  };
}

/**
 * The ACL follows the configured topics, so renaming a TOPIC_* variable does
 * not lock the worker out (set them alike on the broker and the worker). With
 * the defaults: sensors `factory/sensors/#`; results `factory/anomalies`,
 * `factory/scores/#`, `factory/errors`, `factory/status/#`; simulator
 * `factory/simulator/#`.
 */
export function aclTopics(topics: Config['topics'], devicePattern: string): AclTopics {
  return {
    sensors: topics.sensors,
    devicePattern,
    // Incidents: events and the per-device retained states below them (the worker publishes, viewers read).
    results: [topics.anomalies, ...(topics.scores !== undefined ? [`${topics.scores}/#`] : []), topics.errors, parentSubtree(topics.status), `${topics.incidents}/#`],
    simulator: parentSubtree(topics.injected),
    // Issue 11: the duplicate client-id check (src/adapters/mqtt/client-id-claim.ts).
    claims: claimsFilter(topics.status),
  };
}
