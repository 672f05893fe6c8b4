/**
 * Who may publish and subscribe where: role × action × topic -> allow or deny.
 * Pure; broker/auth/hooks.ts applies it to aedes.
 */
import { filterCovers, isValidFilter, topicMatches, unshared } from './topic-filter.js';

export const ROLES = ['device', 'simulator', 'worker', 'viewer', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export type Action = 'publish' | 'subscribe';

export interface Identity {
  readonly username: string;
  readonly role: Role;
}

/** The topic layout the rules are written against; the defaults match the default TOPIC_* settings. */
export interface AclTopics {
  /** Filter of every sensor reading (the worker reads it, the simulator writes it). */
  readonly sensors: string;
  /** Where a device may publish; `{username}` stands for its user name. */
  readonly devicePattern: string;
  /** Filters of what the worker publishes and viewers read. */
  readonly results: readonly string[];
  /** The simulator's ground truth. */
  readonly simulator: string;
  /** Where workers probe for each other's client ids (issue 11); workers may subscribe there. */
  readonly claims?: string;
}

export const USERNAME_PLACEHOLDER = '{username}';

export const DEFAULT_ACL_TOPICS: AclTopics = Object.freeze({
  sensors: 'factory/sensors/#',
  devicePattern: `factory/sensors/${USERNAME_PLACEHOLDER}/#`,
  results: Object.freeze(['factory/anomalies', 'factory/scores/#', 'factory/errors', 'factory/status/#', 'factory/incidents/#']),
  simulator: 'factory/simulator/#',
  claims: 'factory/status/claims/#',
});

interface Rules {
  readonly publish: readonly string[];
  readonly subscribe: readonly string[];
}

export interface Acl {
  allows(identity: Identity, action: Action, topic: string): boolean;
}

/** Compiles the rules once; throws a RangeError naming a malformed filter. */
export function createAcl(topics: AclTopics = DEFAULT_ACL_TOPICS): Acl {
  checkTopics(topics);
  // A device's rule depends on its name, so it is filled in per call; the rest are fixed.
  const fixed: Record<Exclude<Role, 'device'>, Rules> = {
    simulator: { publish: [topics.sensors, topics.simulator], subscribe: [] },
    worker: { publish: topics.results, subscribe: [topics.sensors, ...(topics.claims !== undefined ? [topics.claims] : [])] },
    viewer: { publish: [], subscribe: [...topics.results, topics.simulator] },
    // `#` never matches `$` topics, so $SYS needs its own line; publishing there stays refused for everyone.
    admin: { publish: ['#'], subscribe: ['#', '$SYS/#'] },
  };
  const rulesOf = (identity: Identity): Rules =>
    identity.role === 'device' ? deviceRules(topics.devicePattern, identity.username) : fixed[identity.role];

  return {
    allows(identity, action, topic) {
      const rules = rulesOf(identity);
      if (action === 'publish') {
        if (/[+#]/.test(topic) || topic.startsWith('$')) return false;
        return rules.publish.some((filter) => topicMatches(filter, topic));
      }
      const filter = unshared(topic);
      if (filter === undefined || !isValidFilter(filter)) return false;
      return rules.subscribe.some((allowed) => filterCovers(allowed, filter));
    },
  };
}

/** A device publishes under its own name only; a name that is not a plain topic level gets nothing. */
function deviceRules(pattern: string, username: string): Rules {
  if (!isTopicLevel(username)) return { publish: [], subscribe: [] };
  return { publish: [pattern.split(USERNAME_PLACEHOLDER).join(username)], subscribe: [] };
}

/** One topic level with no wildcard: what a user name must be to stand in a topic. */
export function isTopicLevel(name: string): boolean {
  return name.length > 0 && !/[/+#]/.test(name) && !name.includes('\u0000');
}

function checkTopics(topics: AclTopics): void {
  const filters = [topics.sensors, topics.simulator, ...topics.results, ...(topics.claims !== undefined ? [topics.claims] : [])];
  const pattern = topics.devicePattern;
  if (!pattern.includes(USERNAME_PLACEHOLDER)) throw new RangeError(`device topic pattern ${pattern} must contain ${USERNAME_PLACEHOLDER}`);
  filters.push(pattern.split(USERNAME_PLACEHOLDER).join('x'));
  for (const filter of filters) {
    if (!isValidFilter(filter)) throw new RangeError(`not a valid topic filter: ${JSON.stringify(filter)}`);
  }
}
