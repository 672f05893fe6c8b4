import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/app/config.js';
import { trainOnSimulatedReadings } from '../../../src/app/model-setup.js';
import { contextModelOf } from '../../../src/core/context/model.js';

function profileOf(env: Record<string, string>) {
  const config = loadConfig({ MODEL_TRAINING_SIZE: '3000', ...env });
  const model = contextModelOf(trainOnSimulatedReadings(config, config.simulator.sensors!), config.sensors.names);
  if (typeof model === 'string') throw new Error(model);
  return model.profile;
}

describe('the start-up model trained on simulated readings', () => {
  it('when the simulation has a daily cycle, then the model learns it as normal spread (a flat simulation gives a narrower one)', () => {
    const cycling = profileOf({ SIMULATOR_DAY_SECONDS: '3600' });
    const flat = profileOf({ SIMULATOR_DAY_SECONDS: '3600', SIMULATOR_DAILY_AMPLITUDE: '0' });
    cycling.forEach((p, j) => expect(p.scale).toBeGreaterThan(1.5 * flat[j]!.scale));
  });

  it('when the sensor schema declares a sensor\'s kind, then the model keeps the declaration', () => {
    const dir = mkdtempSync(join(tmpdir(), 'schema-'));
    try {
      const file = join(dir, 'sensors.json');
      const sensors = [
        { name: 'temperature', kind: 'steady', simulate: { base: 25, variation: 1 } },
        { name: 'humidity', kind: 'drifting', simulate: { base: 50, variation: 2 } },
      ];
      writeFileSync(file, JSON.stringify({ sensors }));
      const profile = profileOf({ SENSOR_SCHEMA: file, SIMULATOR_DAY_SECONDS: '3600', SIMULATOR_LOAD_SENSORS: 'none' });
      expect(profile.map((p) => p.drifting)).toEqual([false, true]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
