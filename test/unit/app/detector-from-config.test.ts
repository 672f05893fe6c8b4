import { workerHealth } from '../../../src/app/worker-health.js';
import { createModelHolder } from '../../../src/detector/model-holder.js';
import { ConfigError, loadConfig } from '../../../src/app/config.js';
import { detectorFromConfig } from '../../../src/app/detector-from-config.js';
import { silentLogger } from '../../../src/support/logger.js';
import type { Worker } from '../../../src/worker/worker.js';
import { createWorkerStats } from '../../../src/worker/worker-stats.js';
import { createTestModel } from '../../helpers/test-model.js';

describe('detector settings', () => {
  it('when nothing is set, then one global model and no drift adaptation', () => {
    expect(loadConfig({}).model).toMatchObject({
      scope: 'global',
      warmup: 256,
      maxDevices: 200,
      dir: undefined,
      retrain: { everyReadings: 0, everyMinutes: 0, window: 1024, maxAnomalyShare: 0.1 },
    });
  });

  it('when the variables are set, then they are parsed to their types', () => {
    const model = loadConfig({
      MODEL_SCOPE: 'device',
      MODEL_WARMUP: '64',
      MODEL_MAX_DEVICES: '10',
      MODEL_DIR: '/var/lib/models',
      MODEL_RETRAIN_EVERY: '500',
      MODEL_RETRAIN_MINUTES: '1.5',
      MODEL_WINDOW: '2048',
      MODEL_RETRAIN_MAX_ANOMALY_SHARE: '0.2',
    }).model;
    expect(model).toMatchObject({
      scope: 'device',
      warmup: 64,
      maxDevices: 10,
      dir: '/var/lib/models',
      retrain: { everyReadings: 500, everyMinutes: 1.5, window: 2048, maxAnomalyShare: 0.2 },
    });
  });

  it('when values are out of range, then every problem is listed with its variable', () => {
    const bad = {
      MODEL_SCOPE: 'line',
      MODEL_WARMUP: '4',
      MODEL_MAX_DEVICES: '0',
      MODEL_RETRAIN_EVERY: '-1',
      MODEL_WINDOW: '8',
      MODEL_RETRAIN_MAX_ANOMALY_SHARE: '2',
    };
    expect(() => loadConfig(bad)).toThrow(ConfigError);
    try {
      loadConfig(bad);
    } catch (err) {
      const named = (err as ConfigError).problems.map((p) => p.split(':')[0]);
      expect(named.sort()).toEqual(Object.keys(bad).sort());
    }
  });

  it.each([
    ['global', {}, 'global', false],
    ['device without MODEL_DIR', { MODEL_SCOPE: 'device' }, 'device', false],
    ['device with MODEL_DIR', { MODEL_SCOPE: 'device', MODEL_DIR: '/tmp/unused-model-dir' }, 'device', true],
  ])('when the scope is %s, then the detector is built to match', (_name, env, scope, hasStore) => {
    const detector = detectorFromConfig(loadConfig(env), createModelHolder(createTestModel()), silentLogger());
    expect(detector.stats().scope).toBe(scope);
    expect(detector.stats().store !== undefined).toBe(hasStore);
  });

  it('when /health is built, then it carries the detector counters', () => {
    const worker = {
      health: () => ({ connected: true, subscribed: true, stopping: false }),
      stats: () => createWorkerStats(),
    } as unknown as Worker;
    const detector = detectorFromConfig(loadConfig({ MODEL_SCOPE: 'device' }), createModelHolder(createTestModel()), silentLogger());
    const report = workerHealth(worker, createModelHolder(createTestModel()), 'mqtt://u:p@host:1883', 0.5, detector);
    expect(report.checks.detector).toEqual({
      scope: 'device',
      devices: 0,
      modelsHeld: 0,
      warmingUp: 0,
      deviceModelsTrained: 0,
      warmupRestarts: 0,
      evictions: 0,
      restored: 0,
      contextsRestored: 0,
      retrains: 0,
      refusedRetrains: 0,
      trainingErrors: 0,
      incidentsOpened: 0,
      incidentsClosed: 0,
      openIncidents: 0,
      silentDevices: 0,
      outOfOrder: 0,
      stateBytesPerDevice: 0,
    });
  });
});
