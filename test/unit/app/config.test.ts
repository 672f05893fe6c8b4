import { ConfigError, envSchema, loadConfig, parseEnv } from '../../../src/app/config.js';

describe('config', () => {
  it('when nothing is set, then every default applies', () => {
    const config = loadConfig({});
    expect(config.mqtt).toMatchObject({ host: '127.0.0.1', port: 1883, wsPort: 8083, url: undefined, qos: 1 });
    expect(config.http).toMatchObject({ port: 5000 });
    expect(config.topics).toMatchObject({
      sensors: 'factory/sensors/#',
      anomalies: 'factory/anomalies',
      scores: 'factory/scores',
      errors: 'factory/errors',
      status: 'factory/status/worker',
    });
    expect(config.simulator).toMatchObject({ enabled: true, devices: 5, seed: 42 });
    expect(config.model).toMatchObject({ engine: 'native', trees: 100, sampleSize: 256 });
  });

  it('when variables are set, then they are parsed to their types', () => {
    const config = loadConfig({
      MQTT_PORT: '0',
      HTTP_PORT: '8080',
      SIMULATOR_ENABLED: 'false',
      SIMULATOR_RATE: '2.5',
      MQTT_URL: 'mqtt://broker.local:1883',
      PUBLISH_SCORES: 'false',
      MODEL_ENGINE: 'ml-isolation-forest',
    });
    expect(config.mqtt.port).toBe(0);
    expect(config.http.port).toBe(8080);
    expect(config.simulator.enabled).toBe(false);
    expect(config.simulator.rate).toBe(2.5);
    expect(config.mqtt.url).toBe('mqtt://broker.local:1883');
    expect(config.topics.scores).toBeUndefined();
    expect(config.model.engine).toBe('ml-isolation-forest');
  });

  it.each([['0'], ['']])('when MQTT_WS_PORT is %j, then the WebSocket listener is disabled', (value) => {
    expect(loadConfig({ MQTT_WS_PORT: value }).mqtt.wsPort).toBeUndefined();
  });

  it('when an ordinary variable is empty, then its default applies', () => {
    expect(loadConfig({ MQTT_PORT: '', LOG_LEVEL: ' ' }).mqtt.port).toBe(1883);
  });

  it('when several values are bad, then every problem is reported with its variable name', () => {
    let error: unknown;
    try {
      parseEnv({
        MQTT_PORT: '70000',
        HTTP_PORT: 'abc',
        LOG_LEVEL: 'loud',
        SIMULATOR_ENABLED: 'maybe',
        MQTT_URL: 'localhost',
        TOPIC_ANOMALIES: 'factory/#',
        MODEL_CONTAMINATION: '0.9',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    for (const name of [
      'MQTT_PORT',
      'HTTP_PORT',
      'LOG_LEVEL',
      'SIMULATOR_ENABLED',
      'MQTT_URL',
      'TOPIC_ANOMALIES',
      'MODEL_CONTAMINATION',
    ]) {
      expect(problems.some((p) => p.startsWith(`${name}:`))).toBe(true);
    }
    expect(problems).toHaveLength(7);
    expect((error as Error).message).toContain('(got "70000")');
    expect(problems.find((p) => p.startsWith('HTTP_PORT:'))).toBe('HTTP_PORT: must be a number (got "abc")');
  });

  it('when SHUTDOWN_TIMEOUT_MS is beyond what a timer can wait, then it is refused instead of the deadline firing at once', () => {
    // Node runs a setTimeout longer than 2^31 - 1 ms after 1 ms: every shutdown would be cut short and exit 1.
    expect(loadConfig({ SHUTDOWN_TIMEOUT_MS: '2147483647' }).shutdownTimeoutMs).toBe(2147483647);
    expect(() => loadConfig({ SHUTDOWN_TIMEOUT_MS: '3000000000' })).toThrow(/SHUTDOWN_TIMEOUT_MS: .*2147483647/);
  });

  it.each([['factory/sensors'], ['#'], ['factory/+/sensors/#'], ['factory/sensors/+/+'], ['factory/sensors/#/x'], ['$share/workers'], ['$share/workers/#']])(
    'when TOPIC_SENSORS is %j, under which no device id can be read, then it is refused instead of every reading being dead-lettered',
    (filter) => {
      expect(() => loadConfig({ TOPIC_SENSORS: filter })).toThrow(/TOPIC_SENSORS: /);
    },
  );

  it.each([['factory/sensors/#'], ['plant/in/#']])('when TOPIC_SENSORS is %j, then it is accepted', (filter) => {
    expect(loadConfig({ TOPIC_SENSORS: filter }).topics.sensors).toBe(filter);
  });

  it('when TOPIC_SENSORS is a shared subscription, then it needs an external broker: the embedded one has no shared subscriptions', () => {
    const shared = '$share/workers/factory/sensors/#';
    expect(loadConfig({ TOPIC_SENSORS: shared, MQTT_URL: 'mqtt://broker:1883' }).topics.sensors).toBe(shared);
    // Aedes takes `$share/...` as a literal filter: the worker would never receive a reading.
    expect(() => loadConfig({ TOPIC_SENSORS: shared })).toThrow(/TOPIC_SENSORS: .*MQTT_URL/);
  });

  it('when MQTT_MAX_PACKET_BYTES is 1, under any MQTT packet, then it is refused instead of the broker crashing at the first connection', () => {
    expect(() => loadConfig({ MQTT_MAX_PACKET_BYTES: '1' })).toThrow(/MQTT_MAX_PACKET_BYTES: /);
    expect(loadConfig({ MQTT_MAX_PACKET_BYTES: '2' }).broker.limits.maxPacketBytes).toBe(2);
  });

  it.each([
    ['factory/#', {}, ['TOPIC_ANOMALIES', 'TOPIC_SCORES', 'TOPIC_ERRORS', 'TOPIC_STATUS', 'TOPIC_INJECTED']],
    ['factory/#', { PUBLISH_SCORES: 'false' }, ['TOPIC_ANOMALIES', 'TOPIC_ERRORS', 'TOPIC_STATUS', 'TOPIC_INJECTED']],
    ['factory/scores/line1/#', {}, ['TOPIC_SCORES']],
    ['plant/#', { TOPIC_ERRORS: 'plant/errors' }, ['TOPIC_ERRORS']],
  ])(
    'when TOPIC_SENSORS %j covers topics the worker or simulator publish (%j), then each is refused: the worker would read its own results and dead letters for ever',
    (sensors, env, variables) => {
      let problems: readonly string[] = [];
      try {
        loadConfig({ TOPIC_SENSORS: sensors, ...env });
      } catch (err) {
        problems = (err as ConfigError).problems;
      }
      expect(problems.map((p) => p.split(':')[0])).toEqual(variables);
    },
  );

  it('when loaded, then the config is frozen all the way down', () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.simulator.sensors?.[0])).toBe(true);
    expect(Object.isFrozen(config.sensors.fields[0])).toBe(true);
    expect(() => {
      (config.mqtt as { port: number }).port = 1;
    }).toThrow(TypeError);
  });

  it('every variable has a description', () => {
    for (const [name, field] of Object.entries(envSchema.shape)) {
      expect([name, field.description ?? '']).toEqual([name, expect.stringMatching(/\w{3,}/)]);
    }
  });

  it('unknown variables are ignored, not rejected (the environment holds much else)', () => {
    expect(() => loadConfig({ PATH: '/usr/bin', HOME: '/root' })).not.toThrow();
  });
});
