import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createModelStore } from '../../../src/adapters/files/model-store.js';
import { DEFAULT_SENSORS } from '../../../src/core/sensors.js';
import { silentLogger } from '../../../src/support/logger.js';
import type { ForestModel } from '../../../src/core/model/index.js';
import { trainedModel } from '../../helpers/trained-model.js';
import { detectorWith, feed, feedAll, flaggedShare, PROFILES, readings, testTrainer, type Row } from './harness.js';

describe('detector, device scope', () => {
  let global: ForestModel;
  beforeAll(async () => {
    global = await trainedModel({ TIME_CONTEXT: 'false' });
  });
  const deviceScope = (options: Parameters<typeof detectorWith>[1] = {}) => detectorWith(global, { scope: 'device', ...options });

  it('when a device is warming up, then the global model scores it; the reading after the last warm-up one gets its own model', () => {
    const detector = deviceScope({ warmup: 256 });
    const warm = feedAll(detector, 'ovens/oven-1', readings(256, 1, PROFILES.oven));
    expect(warm.every((r) => r.prediction.status === 'warming_up' && r.model!.id === global.info.id)).toBe(true);
    // The global model knows 25 °C: every reading of a 180 °C oven is an anomaly to it.
    expect(flaggedShare(warm)).toBe(1);
    expect(detector.stats()).toMatchObject({ modelsHeld: 1, warmingUp: 0, deviceModelsTrained: 1 });

    const next = feed(detector, 'ovens/oven-1', readings(1, 2, PROFILES.oven)[0]!);
    expect(next.prediction.status).toBe('ready');
    expect(next.model!.id).not.toBe(global.info.id);
    expect(next.model!.trainingSize).toBe(256);
    expect(next.prediction.is_anomaly).toBe(false);
  });

  it('when a hot oven and a cool packing line warm up side by side, then neither flags its own normal readings and each flags the other baseline', () => {
    const detector = deviceScope({ warmup: 256 });
    const ovenWarm = readings(256, 10, PROFILES.oven);
    const packingWarm = readings(256, 11, PROFILES.packing);
    for (let i = 0; i < 256; i++) {
      feed(detector, 'line-hot/oven-1', ovenWarm[i]!);
      feed(detector, 'line-cool/packer-1', packingWarm[i]!);
    }
    const oven = feedAll(detector, 'line-hot/oven-1', readings(1000, 12, PROFILES.oven));
    const packing = feedAll(detector, 'line-cool/packer-1', readings(1000, 13, PROFILES.packing));
    expect(oven.every((r) => r.prediction.status === 'ready')).toBe(true);
    expect(flaggedShare(oven)).toBeLessThan(0.02);
    expect(flaggedShare(packing)).toBeLessThan(0.02);

    const crossed = [
      feed(detector, 'line-cool/packer-1', readings(1, 14, PROFILES.oven)[0]!),
      feed(detector, 'line-hot/oven-1', readings(1, 15, PROFILES.packing)[0]!),
    ];
    expect(crossed.map((r) => r.prediction.is_anomaly)).toEqual([true, true]);
    const shares = Object.entries(crossed[0]!.prediction.explanation ?? {}).sort((x, y) => y[1] - x[1]);
    expect(shares[0]?.[0]).toBe('temperature');
  });

  it('when a fault hits a tenth of the warm-up, then the device model is trained without it and flags the fault afterwards', () => {
    const detector = deviceScope({ warmup: 256 });
    const faulty: Row = [250, 20, 75];
    const warm = readings(256, 20, PROFILES.oven).map((row, i) => (i % 10 === 5 ? faulty : row));
    feedAll(detector, 'ovens/oven-2', warm);
    const after = feed(detector, 'ovens/oven-2', faulty);
    expect(after.prediction).toMatchObject({ status: 'ready', is_anomaly: true });
    expect(after.model!.trainingSize).toBe(256 - 26);
  });

  it('when more devices than MODEL_MAX_DEVICES send, then the least recently used is evicted and warms up again on return', () => {
    const detector = deviceScope({ warmup: 32, maxDevices: 2 });
    feedAll(detector, 'a', readings(32, 30, PROFILES.oven));
    feedAll(detector, 'b', readings(32, 31, PROFILES.packing));
    feed(detector, 'a', readings(1, 32, PROFILES.oven)[0]!); // a is now more recent than b
    feed(detector, 'c', readings(1, 33, PROFILES.simulated)[0]!);
    expect(detector.stats()).toMatchObject({ modelsHeld: 1, warmingUp: 1, evictions: 1 });
    expect(feed(detector, 'a', readings(1, 34, PROFILES.oven)[0]!).prediction.status).toBe('ready');
    expect(feed(detector, 'b', readings(1, 35, PROFILES.packing)[0]!).prediction.status).toBe('warming_up');
  });

  it('when training fails, then it is counted and the device keeps being scored by the global model', () => {
    const detector = deviceScope({
      warmup: 16,
      train: () => {
        throw new Error('disk on fire');
      },
    });
    feedAll(detector, 'a', readings(16, 40, PROFILES.simulated));
    expect(feed(detector, 'a', readings(1, 41, PROFILES.simulated)[0]!).prediction.status).toBe('warming_up');
    expect(detector.stats()).toMatchObject({ trainingErrors: 1, modelsHeld: 0, warmingUp: 1 });
  });

  it('when the scope is global, then every device gets the global model as ready and no device state is kept', () => {
    const detector = detectorWith(global);
    const results = feedAll(detector, 'ovens/oven-1', readings(300, 50, PROFILES.oven));
    expect(results.every((r) => r.prediction.status === 'ready' && r.model!.id === global.info.id)).toBe(true);
    expect(detector.stats()).toMatchObject({ scope: 'global', modelsHeld: 0, warmingUp: 0, deviceModelsTrained: 0 });
  });

  describe('with MODEL_DIR', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'detector-'));
    });
    afterEach(() => rm(dir, { recursive: true, force: true }));
    const store = () => createModelStore({ dir, misfit: (m) => (m.info.features.join(',') === DEFAULT_SENSORS.names.join(',') ? undefined : 'other sensors'), logger: silentLogger() });

    it('when an evicted device comes back, then its saved model scores it at once', async () => {
      const s = store();
      const detector = deviceScope({ warmup: 32, maxDevices: 1, store: s, train: testTrainer });
      feedAll(detector, 'ovens/oven-1', readings(32, 60, PROFILES.oven));
      const before = feed(detector, 'ovens/oven-1', readings(1, 61, PROFILES.oven)[0]!);
      feed(detector, 'packing/packer-1', readings(1, 62, PROFILES.packing)[0]!); // evicts the oven
      await s.idle();
      expect(s.stats()).toMatchObject({ saved: 1, saveErrors: 0 });

      const back = feed(detector, 'ovens/oven-1', readings(1, 63, PROFILES.oven)[0]!);
      expect(back.prediction).toMatchObject({ status: 'ready', is_anomaly: false });
      expect(back.model).toEqual(before.model);
      expect(detector.stats()).toMatchObject({ restored: 1, evictions: 2 });
    });

    it('when the detector closes, then every held model is saved and a new detector starts with them', async () => {
      const first = deviceScope({ warmup: 32, store: store() });
      feedAll(first, 'ovens/oven-1', readings(32, 70, PROFILES.oven));
      feedAll(first, 'packing/packer-1', readings(10, 71, PROFILES.packing)); // still warming: nothing to save
      await first.close();
      await first.close();
      expect(first.stats().store).toMatchObject({ saved: 1 });

      const second = deviceScope({ warmup: 32, store: store() });
      expect(feed(second, 'ovens/oven-1', readings(1, 72, PROFILES.oven)[0]!).prediction.status).toBe('ready');
      expect(feed(second, 'packing/packer-1', readings(1, 73, PROFILES.packing)[0]!).prediction.status).toBe('warming_up');
    });
  });
});
