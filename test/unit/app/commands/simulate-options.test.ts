import { loadConfig } from '../../../../src/app/config.js';
import { applyOverrides, brokerUrl, parseCliArgs, usage, UsageError } from '../../../../src/app/commands/simulate-options.js';

describe('simulate command line', () => {
  it('when flags are given, then they become overrides', () => {
    const args = parseCliArgs(['--devices', '20', '--rate=10', '--duration', '60', '--anomaly-rate', '0.5', '--seed=-3', '--lines', '4']);
    expect(args).toEqual({
      help: false,
      overrides: { devices: 20, rate: 10, durationSeconds: 60, anomalyRate: 0.5, seed: -3, lines: 4 },
    });
  });

  it('when no flag is given, then there are no overrides', () => {
    expect(parseCliArgs([])).toEqual({ help: false, overrides: {} });
  });

  it.each([['--help'], ['-h']])('when %s is given, then help is asked for', (flag) => {
    expect(parseCliArgs([flag, '--devices', 'x'])).toEqual({ help: true });
  });

  it.each([
    [['--devices', '0'], '--devices must be a positive integer (got "0")'],
    [['--devices', '2.5'], '--devices must be a positive integer'],
    [['--lines', 'two'], '--lines must be a positive integer'],
    [['--rate=-1'], '--rate must be a positive number'],
    [['--rate', ''], '--rate must be a positive number'],
    [['--anomaly-rate', '1.5'], '--anomaly-rate must be a number from 0 to 1'],
    [['--seed', '1.5'], '--seed must be an integer'],
    [['--duration', '0'], '--duration must be a positive number of seconds'],
    [['--url', 'localhost:1883'], '--url must be a URL like mqtt://host:1883'],
    [['--bogus'], "Unknown option '--bogus'"],
    [['--devices'], "Option '--devices <value>' argument missing"],
    [['extra'], 'extra'],
  ])('when given %p, then it throws a UsageError saying %p', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(UsageError);
    expect(() => parseCliArgs(argv)).toThrow(message);
  });

  it('when --time-scale and --kinds are given, then they become overrides', () => {
    expect(parseCliArgs(['--time-scale', '60', '--kinds', 'flatline, dropout'])).toEqual({
      help: false,
      overrides: { timeScale: 60, kinds: ['flatline', 'dropout'] },
    });
  });

  it.each([
    [['--time-scale', '0'], '--time-scale must be a positive number'],
    [['--kinds', 'spike,melt'], '--kinds must be comma-separated fault kinds among spike, drift'],
  ])('when given %p, then it throws a UsageError saying %p', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(UsageError);
    expect(() => parseCliArgs(argv)).toThrow(message);
  });

  it('when --kinds and --time-scale are applied, then the fault kinds and time scale change and the gap stays', () => {
    const config = loadConfig({ SIMULATOR_FAULT_GAP_SECONDS: '5' }).simulator;
    const merged = applyOverrides(config, { kinds: ['dropout'], timeScale: 30 });
    expect(merged.faults).toEqual({ kinds: ['dropout'], gapSeconds: 5 });
    expect(merged.timeScale).toBe(30);
  });

  it('when overrides are applied, then only the given fields change', () => {
    const config = loadConfig({ SIMULATOR_RATE: '3' }).simulator;
    const merged = applyOverrides(config, { devices: 9, anomalyRate: 0 });
    expect(merged).toEqual({ ...config, devices: 9, anomalyRate: 0 });
    expect(merged.rate).toBe(3);
  });

  it.each([
    [{}, 'mqtt://127.0.0.1:1883'],
    [{ MQTT_URL: 'mqtt://broker:1883' }, 'mqtt://broker:1883'],
    [{ MQTT_HOST: '0.0.0.0', MQTT_PORT: '1999' }, 'mqtt://127.0.0.1:1999'],
    [{ MQTT_HOST: '::' }, 'mqtt://[::1]:1883'],
    [{ MQTT_HOST: 'broker.local' }, 'mqtt://broker.local:1883'],
  ])('when the environment is %p, then the broker URL is %s', (env, url) => {
    expect(brokerUrl(loadConfig(env).mqtt)).toBe(url);
  });

  it('when MQTT_PORT is 0 and there is no URL, then it asks for --url', () => {
    expect(() => brokerUrl(loadConfig({ MQTT_PORT: '0' }).mqtt)).toThrow(/--url/);
  });

  it('then usage lists every flag with the defaults in effect', () => {
    const text = usage(loadConfig({ SIMULATOR_DEVICES: '7' }));
    for (const flag of ['--devices', '--lines', '--rate', '--anomaly-rate', '--seed', '--duration', '--url', '--help']) {
      expect(text).toContain(flag);
    }
    expect(text).toContain('(default 7)');
    expect(text).toContain('mqtt://127.0.0.1:1883');
  });
});
