import { contextModelOf } from '../../../../src/core/context/model.js';
import type { AnomalyModel } from '../../../../src/core/model/types.js';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createModelStore, modelFileName } from '../../../../src/adapters/files/model-store.js';
import { DEFAULT_SENSORS } from '../../../../src/core/sensors.js';
import { silentLogger } from '../../../../src/support/logger.js';
import { PROFILES, readings, testTrainer } from '../../detector/harness.js';

/** What the app checks (detector-from-config): can the configured sensors compute the model's features? */
const misfit = (model: AnomalyModel, sensors: readonly string[]) => {
  const context = contextModelOf(model, sensors);
  return typeof context === 'string' ? context : undefined;
};

describe('model store (MODEL_DIR)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'model-store-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));
  const store = () => createModelStore({ dir, misfit: (m) => misfit(m, DEFAULT_SENSORS.names), logger: silentLogger() });
  const model = (version = 1, seed = 1) => testTrainer(readings(64, seed, PROFILES.oven), { version, contamination: 0.01 });

  it('when a model is saved, then another store loads one that scores the same', async () => {
    const saved = model();
    const s = store();
    s.save('line1/oven-1', saved);
    await s.idle();
    const loaded = store().load('line1/oven-1');
    expect(loaded?.info).toEqual(saved.info);
    expect(loaded?.score([181, 20, 75])).toBe(saved.score([181, 20, 75]));
    expect(s.stats()).toEqual({ saved: 1, saveErrors: 0, loadErrors: 0 });
  });

  it('when a save has not finished, then load answers from memory with the same model', () => {
    const s = store();
    const saved = model();
    s.save('line1/oven-1', saved);
    expect(s.load('line1/oven-1')).toBe(saved);
    return s.idle();
  });

  it('when a device is saved twice in a row, then the last save wins on disk', async () => {
    const s = store();
    s.save('d', model(1, 1));
    s.save('d', model(2, 2));
    await s.idle();
    expect(store().load('d')?.info.version).toBe(2);
    expect(await readdir(dir)).toEqual([modelFileName('d')]);
  });

  it('when no model was saved for a device, then load gives undefined without counting an error', () => {
    const s = store();
    expect(s.load('never-seen')).toBeUndefined();
    expect(s.stats().loadErrors).toBe(0);
  });

  it.each([
    ['corrupt JSON', '{"schemaVersion": 1,'],
    ['another schema', JSON.stringify({ schemaVersion: 99 })],
  ])('when the saved file is %s, then load gives undefined and counts it', async (_name, text) => {
    await writeFile(join(dir, modelFileName('d')), text);
    const s = store();
    expect(s.load('d')).toBeUndefined();
    expect(s.stats().loadErrors).toBe(1);
  });

  it('when the saved model has other features, then it is not used', async () => {
    const s = store();
    s.save('d', model());
    await s.idle();
    const other = createModelStore({ dir, misfit: (m) => misfit(m, ['temperature', 'humidity', 'vibration']), logger: silentLogger() });
    expect(other.load('d')).toBeUndefined();
    expect(other.stats().loadErrors).toBe(1);
  });

  it('when the directory cannot be written, then the failed save is counted and nothing throws', async () => {
    const blocker = join(dir, 'not-a-dir');
    await writeFile(blocker, 'x');
    const s = createModelStore({ dir: blocker, misfit: (m) => misfit(m, DEFAULT_SENSORS.names), logger: silentLogger() });
    s.save('d', model());
    await s.idle();
    expect(s.stats()).toMatchObject({ saved: 0, saveErrors: 1 });
    expect(s.load('d')).toBeUndefined();
  });

  it.each([
    ['a line/device id', 'line1/oven-1', /^line1_oven-1-[0-9a-f]{16}\.model\.json$/],
    ['a path traversal', '../../etc/passwd', /^_etc_passwd-[0-9a-f]{16}\.model\.json$/],
    ['5000 characters long', 'x'.repeat(5000), /^x{64}-[0-9a-f]{16}\.model\.json$/],
  ])('when the device id is %s, then the file name is safe and bounded', (_name, device, pattern) => {
    expect(modelFileName(device)).toMatch(pattern);
  });

  it('when two ids differ only in case or in a sanitised character, then their files differ', () => {
    const names = new Set(['Line1/Oven', 'line1/oven', 'line1_oven', 'line1 oven'].map(modelFileName));
    expect(names.size).toBe(4);
  });
});
