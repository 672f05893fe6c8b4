import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/app/config.js';
import { configProblems } from '../../helpers/settings.js';


describe('simulator settings (issue 9)', () => {
  it('when nothing is set, then real time, moving baselines, a shared load and every fault kind with a gap apply', () => {
    expect(loadConfig({}).simulator).toMatchObject({
      timeScale: 1,
      baseline: { warmupSeconds: 30, warmupOffset: -6, daySeconds: 86_400, dailyAmplitude: 3 },
      load: { sensors: 'auto', correlation: 0.95, seconds: 30 },
      faults: { kinds: 'all', gapSeconds: 60 },
    });
  });

  it('when variables are set, then they are parsed to their types and lists', () => {
    const simulator = loadConfig({
      SIMULATOR_TIME_SCALE: '60',
      SIMULATOR_DAY_SECONDS: '600',
      SIMULATOR_DAILY_AMPLITUDE: '0',
      SIMULATOR_WARMUP_SECONDS: '0',
      SIMULATOR_WARMUP_OFFSET: '4',
      SIMULATOR_LOAD_SENSORS: 'temperature, humidity',
      SIMULATOR_LOAD_CORRELATION: '0.8',
      SIMULATOR_LOAD_SECONDS: '10',
      SIMULATOR_FAULT_KINDS: 'flatline,dropout',
      SIMULATOR_FAULT_GAP_SECONDS: '15',
    }).simulator;
    expect(simulator).toMatchObject({
      timeScale: 60,
      baseline: { warmupSeconds: 0, warmupOffset: 4, daySeconds: 600, dailyAmplitude: 0 },
      load: { sensors: ['temperature', 'humidity'], correlation: 0.8, seconds: 10 },
      faults: { kinds: ['flatline', 'dropout'], gapSeconds: 15 },
    });
  });

  it('when SIMULATOR_LOAD_SENSORS is none, then no sensor follows the load and a correlation break cannot be asked for', () => {
    expect(loadConfig({ SIMULATOR_LOAD_SENSORS: 'none' }).simulator.load.sensors).toEqual([]);
    expect(configProblems({ SIMULATOR_LOAD_SENSORS: 'none', SIMULATOR_FAULT_KINDS: 'correlation_break' })).toEqual([
      expect.stringMatching(/^SIMULATOR_FAULT_KINDS asks for correlation_break, which needs two sensors .*SIMULATOR_LOAD_SENSORS/),
    ]);
  });

  it('when values are bad, then each is reported with its variable name', () => {
    const found = configProblems({
      SIMULATOR_TIME_SCALE: '0',
      SIMULATOR_DAY_SECONDS: '-1',
      SIMULATOR_LOAD_CORRELATION: '1.5',
      SIMULATOR_FAULT_KINDS: 'spike,melt',
      SIMULATOR_LOAD_SENSORS: ',',
    });
    for (const variable of ['SIMULATOR_TIME_SCALE', 'SIMULATOR_DAY_SECONDS', 'SIMULATOR_LOAD_CORRELATION', 'SIMULATOR_FAULT_KINDS', 'SIMULATOR_LOAD_SENSORS']) {
      expect(found.some((p) => p.startsWith(`${variable}:`))).toBe(true);
    }
  });

  it('when a load sensor is not in the sensor schema, then the configuration is refused naming it', () => {
    expect(configProblems({ SIMULATOR_LOAD_SENSORS: 'temperature,vibration' })).toEqual([
      expect.stringMatching(/^SIMULATOR_LOAD_SENSORS names vibration, not in the sensor schema \(temperature, humidity, sound\)/),
    ]);
  });

  it('when the sensor schema has other fields with baselines, then the load follows its fields under auto and a correlation break is possible', () => {
    const dir = mkdtempSync(join(tmpdir(), 'schema-'));
    try {
      const file = join(dir, 'schema.json');
      const field = (name: string) => ({ name, simulate: { base: 10, variation: 1 } });
      writeFileSync(file, JSON.stringify({ sensors: [field('vib_x'), field('vib_y'), field('current'), field('pressure')] }));
      const config = loadConfig({ SENSOR_SCHEMA: file, SIMULATOR_FAULT_KINDS: 'correlation_break' });
      expect(config.simulator.sensors?.map((s) => s.name)).toEqual(['vib_x', 'vib_y', 'current', 'pressure']);
      expect(config.simulator.faults.kinds).toEqual(['correlation_break']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
