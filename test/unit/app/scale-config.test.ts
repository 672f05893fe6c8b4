import { loadConfig } from '../../../src/app/config.js';
import { configProblems } from '../../helpers/settings.js';
import { scaleConfig, workerClientId, workerStatusTopic } from '../../../src/app/scale-config.js';
import { claimTopic, claimsFilter, groupRefusal, workerIdentity } from '../../../src/app/worker-options.js';
import { ConnectRefusedError } from '../../../src/adapters/mqtt/connect-refused.js';
import { SettingError } from '../../../src/support/setting-error.js';
import { parseEnv } from '../../../src/app/config.js';


describe('scale-out settings', () => {
  it('when nothing is set, then one worker keeps the plain client id, status topic and MQTT 3.1.1', () => {
    const config = loadConfig({});
    expect(config.scale).toMatchObject({ workerId: undefined, group: undefined, partition: undefined, protocolVersion: 4, claimWindowMs: 500 });
    expect(workerIdentity(config)).toEqual({
      clientId: 'anomaly-worker',
      statusTopic: 'factory/status/worker',
      sensorFilter: 'factory/sensors/#',
      claimTopic: 'factory/status/claims/anomaly-worker',
    });
  });

  it('when WORKER_ID and WORKER_GROUP are set, then the worker has its own id and status and subscribes to the share over MQTT 5', () => {
    const config = loadConfig({ MQTT_URL: 'mqtt://broker:1883', WORKER_ID: 'w2', WORKER_GROUP: 'scorers' });
    expect(config.scale.protocolVersion).toBe(5);
    expect(workerIdentity(config)).toEqual({
      clientId: 'anomaly-worker-w2',
      statusTopic: 'factory/status/worker/w2',
      sensorFilter: '$share/scorers/factory/sensors/#',
      claimTopic: 'factory/status/claims/anomaly-worker-w2',
    });
  });

  it('when WORKER_ID holds {hostname}, then the host name fills it in, made safe for a topic level', () => {
    expect(scaleConfig(parseEnv({ WORKER_ID: 'w-{hostname}' }), 'node/7+a').workerId).toBe('w-node_7_a');
  });

  it('when WORKER_PARTITION is set without WORKER_ID, then the partition names the worker', () => {
    const config = loadConfig({ WORKER_PARTITION: '1/3' });
    expect(config.scale.partition).toEqual({ index: 1, count: 3 });
    expect(workerIdentity(config).clientId).toBe('anomaly-worker-p1of3');
  });

  it.each(['3/3', '0/0', '1', 'a/b', '0/2000', '-1/2'])('when WORKER_PARTITION is %j, then the start is refused', (value) => {
    expect(configProblems({ WORKER_PARTITION: value })).toEqual([expect.stringMatching(/^WORKER_PARTITION: must be i\/n/)]);
  });

  it('when WORKER_GROUP is set without MQTT_URL, then the start is refused, saying why and what to use instead', () => {
    const [problem] = configProblems({ WORKER_GROUP: 'scorers' });
    expect(problem).toMatch(/^WORKER_GROUP: needs an MQTT 5 broker/);
    expect(problem).toMatch(/Aedes broker speaks MQTT 3\.1\.1 only and delivers nothing to \$share subscriptions/);
    expect(problem).toMatch(/WORKER_PARTITION=i\/n instead/);
  });

  it.each([
    [{ MQTT_PROTOCOL_VERSION: '3.1.1' }, /^MQTT_PROTOCOL_VERSION: must be 5/],
    [{ WORKER_PARTITION: '0/2' }, /^WORKER_PARTITION: cannot be combined with WORKER_GROUP/],
    [{ TOPIC_SENSORS: '$share/x/factory/sensors/#' }, /^WORKER_GROUP: TOPIC_SENSORS is already a shared subscription/],
  ])('when WORKER_GROUP comes with %j, then the start is refused', (extra, message) => {
    expect(configProblems({ MQTT_URL: 'mqtt://b:1883', WORKER_GROUP: 'g', ...extra })).toEqual([expect.stringMatching(message)]);
  });

  it.each([
    [{ MQTT_CLIENT_CERT: 'c.pem' }, /^MQTT_CLIENT_KEY: required when MQTT_CLIENT_CERT is set/],
    [{ MQTT_CLIENT_KEY: 'k.pem' }, /^MQTT_CLIENT_CERT: required when MQTT_CLIENT_KEY is set/],
    [{ BROKER_REDIS_URL: 'redis://r:6379', MQTT_URL: 'mqtt://b:1883' }, /^BROKER_REDIS_URL: joins embedded brokers/],
    [{ BROKER_REDIS_URL: 'http://r' }, /^BROKER_REDIS_URL: must be a URL like redis:\/\/host:6379/],
    [{ WORKER_ID: 'a/b' }, /^WORKER_ID: must be 1 to 64 letters/],
    [{ MQTT_PROTOCOL_VERSION: '4' }, /^MQTT_PROTOCOL_VERSION: /],
  ])('when %j, then the start is refused with the variable to fix', (env, message) => {
    expect(configProblems(env)).toEqual([expect.stringMatching(message)]);
  });

  it('when a status topic sits at the top level, then the claims get a sibling subtree', () => {
    expect(claimsFilter('status')).toBe('status-claims/#');
    expect(claimTopic('plant/status/worker', 'a+b/c#')).toBe('plant/status/claims/a_b_c_');
    expect(workerClientId('base', undefined)).toBe('base');
    expect(workerStatusTopic('s/w', '3')).toBe('s/w/3');
  });

  it('when a group worker is refused for its MQTT version, then the error says the broker lacks MQTT 5 and what to use', () => {
    const config = loadConfig({ MQTT_URL: 'mqtt://b:1883', WORKER_GROUP: 'g' });
    const refused = new ConnectRefusedError('mqtt://b:1883', 'Connection refused: Unacceptable protocol version', 1);
    const err = groupRefusal(refused, config);
    expect(err).toBeInstanceOf(SettingError);
    expect((err as SettingError).setting).toBe('worker.group');
    expect((err as SettingError).message).toMatch(/speaks MQTT 3\.1\.1 only .* Aedes .* worker\.partition/);
    // Without a group, or for another refusal, the error is left as it was.
    expect(groupRefusal(refused, loadConfig({}))).toBe(refused);
    const badPassword = new ConnectRefusedError('mqtt://b:1883', 'Connection refused: Bad username or password', 4);
    expect(groupRefusal(badPassword, config)).toBe(badPassword);
  });
});
