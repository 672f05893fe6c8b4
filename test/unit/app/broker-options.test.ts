import { aclTopics, brokerOptions } from '../../../src/app/broker-options.js';
import { DEFAULT_ACL_TOPICS } from '../../../src/adapters/broker/auth/acl.js';
import { ConfigError, loadConfig } from '../../../src/app/config.js';
import { silentLogger } from '../../../src/support/logger.js';

/** Issue 10's defaults, the same whatever the older limits are. */
const HARDENING_LIMITS = {
  connectTimeoutMs: 5000,
  maxKeepaliveS: 300,
  maxPendingPerAddress: 32,
  reservedConnections: 16,
  retained: { maxCount: 1000, maxBytes: 16 * 1024 * 1024, maxPerOwner: 100, devicesMayRetain: false },
  authThrottle: { freeFailures: 5, baseDelayMs: 1000, maxDelayMs: 60000 },
};

const problems = (env: Record<string, string>): readonly string[] => {
  try {
    loadConfig(env);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
};

describe('broker settings in the configuration', () => {
  it('by default: no users file, no TLS, and the limits of the table', () => {
    const config = loadConfig({});
    expect(config.broker).toEqual({
      authFile: undefined,
      allowAnonymous: false,
      deviceTopicPattern: 'factory/sensors/{username}/#',
      tls: undefined,
      limits: { maxPacketBytes: 262144, maxConnections: 1000, publishRate: { perSecond: 100, burst: 200 }, maxQueuedPerClient: 100000, ...HARDENING_LIMITS },
      store: { kind: 'memory' },
    });
    expect(config.http).toMatchObject({ headersTimeoutMs: 10000, requestTimeoutMs: 30000, token: undefined });
  });

  it('0 turns a limit off', () => {
    const { limits } = loadConfig({ MQTT_MAX_CONNECTIONS: '0', MQTT_PUBLISH_RATE_LIMIT: '0', MQTT_MAX_QUEUED_PER_CLIENT: '0' }).broker;
    expect(limits).toEqual({ maxPacketBytes: 262144, maxConnections: undefined, publishRate: undefined, maxQueuedPerClient: undefined, ...HARDENING_LIMITS });
  });

  it('a TLS port with its files makes the TLS options', () => {
    const { tls } = loadConfig({ MQTT_TLS_PORT: '8883', MQTT_TLS_CERT: '/c.pem', MQTT_TLS_KEY: '/k.pem', MQTT_TLS_CA: '/ca.pem', MQTT_TLS_REQUIRE_CLIENT_CERT: 'true' }).broker;
    expect(tls).toEqual({ port: 8883, certFile: '/c.pem', keyFile: '/k.pem', caFile: '/ca.pem', requireClientCert: true });
  });

  it.each([
    [{ MQTT_TLS_PORT: '8883' }, ['MQTT_TLS_CERT: required when MQTT_TLS_PORT is set', 'MQTT_TLS_KEY: required when MQTT_TLS_PORT is set']],
    [{ MQTT_TLS_CERT: '/c.pem' }, ['MQTT_TLS_PORT: required when MQTT_TLS_CERT is set']],
    [{ MQTT_TLS_PORT: '8883', MQTT_TLS_CERT: '/c', MQTT_TLS_KEY: '/k', MQTT_TLS_REQUIRE_CLIENT_CERT: 'true' }, ['MQTT_TLS_CA: required when MQTT_TLS_REQUIRE_CLIENT_CERT=true']],
    [{ HTTP_HEADERS_TIMEOUT_MS: '40000' }, ['HTTP_HEADERS_TIMEOUT_MS: cannot exceed HTTP_REQUEST_TIMEOUT_MS (got "40000")']],
    [{ MQTT_DEVICE_TOPIC_PATTERN: 'factory/sensors/#' }, ['MQTT_DEVICE_TOPIC_PATTERN: must be a topic filter containing {username} (got "factory/sensors/#")']],
    // A secret is never echoed, not even a wrong one: the message lands in logs.
    [{ HTTP_TOKEN: 'short' }, ['HTTP_TOKEN: must be at least 16 characters (got 5 characters, not shown)']],
    [{ MQTT_URL: 'http://plant:s3cret@broker' }, ['MQTT_URL: must be a URL like mqtt://host:1883 (got "http://***@broker")']],
    // A bearer token is one word: with a space in it, no Authorization header could ever match.
    [
      { HTTP_TOKEN: 'correct horse battery staple' },
      ['HTTP_TOKEN: must not contain spaces: Authorization: Bearer <token> carries one word (got 28 characters, not shown)'],
    ],
  ])('when given %j, then the configuration names every problem', (env, expected) => {
    expect(problems(env)).toEqual(expected);
  });

  it('the ACL follows the default topics exactly', () => {
    const config = loadConfig({});
    expect(aclTopics(config.topics, config.broker.deviceTopicPattern)).toEqual(DEFAULT_ACL_TOPICS);
  });

  it('the ACL follows renamed topics, and has no scores topic when scores are not published', () => {
    const config = loadConfig({ TOPIC_SENSORS: 'plant/in/#', TOPIC_ANOMALIES: 'plant/alarms', TOPIC_STATUS: 'plant/state/w1', PUBLISH_SCORES: 'false' });
    expect(aclTopics(config.topics, 'plant/in/{username}/#')).toMatchObject({
      sensors: 'plant/in/#',
      results: ['plant/alarms', 'factory/errors', 'plant/state/#', 'factory/incidents/#'],
    });
  });

  it('brokerOptions passes every setting through', () => {
    const config = loadConfig({ MQTT_HOST: '0.0.0.0', MQTT_AUTH_FILE: '/users.json', MQTT_ALLOW_ANONYMOUS: 'true', MQTT_MAX_PACKET_BYTES: '2048' });
    const options = brokerOptions(config, silentLogger());
    expect(options).toMatchObject({ host: '0.0.0.0', port: 1883, wsPort: 8083, authFile: '/users.json', allowAnonymous: true, limits: { maxPacketBytes: 2048 } });
  });

  it("brokerOptions keeps the worker's client id (MQTT_CLIENT_ID) for worker and admin users", () => {
    const options = brokerOptions(loadConfig({ MQTT_CLIENT_ID: 'plant-7-worker' }), silentLogger());
    expect([...(options.reservedClientIds ?? new Map())]).toEqual([['plant-7-worker', ['worker', 'admin']]]);
  });
});
