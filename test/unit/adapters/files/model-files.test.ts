import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModel, parseModel, saveModel } from '../../../../src/adapters/files/model-files.js';
import { trainModel } from '../../../../src/core/model/train.js';
import { baseOptions, ENGINE_NAMES, normalRows } from '../../core/model/data.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'model-persistence-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const rows = [...normalRows(800), [35, 70, 90]];
const probes = [...normalRows(100, 3), [35, 70, 90], [0, 0, 0]];

describe('saveModel then loadModel', () => {
  it.each([
    ...ENGINE_NAMES.map((engine) => [engine, rows, { engine }, 'complete'] as const),
    ['native deep (ψ = 5000, linked)', normalRows(5000), { sampleSize: 5000, trees: 10 }, 'linked'] as const,
    ['native fixed-threshold', rows, { threshold: 0.7 }, 'complete'] as const,
  ])('when a %s model is saved and loaded, then it scores, explains and describes itself identically', async (_name, data, change, layout) => {
    const model = trainModel(data, { ...baseOptions, ...change, version: 3 });
    expect(model.compiled.layout).toBe(layout);
    const path = join(dir, 'nested', 'model.json');
    await saveModel(model, path);
    const loaded = await loadModel(path);
    expect(probes.map((p) => loaded.score(p))).toEqual(probes.map((p) => model.score(p)));
    expect(loaded.explain([35, 70, 90])).toEqual(model.explain([35, 70, 90]));
    expect(loaded.info).toEqual(model.info);
    expect(loaded.stats).toEqual(model.stats);
    expect(loaded.threshold).toBe(model.threshold);
    expect(loaded.contamination).toBe(model.contamination);
    expect(loaded.compiled.layout).toBe(model.compiled.layout);
  });

  it('when saved, then the file carries the documented fields and no temp file is left behind', async () => {
    const model = trainModel(rows, baseOptions);
    const path = join(dir, 'model.json');
    await saveModel(model, path, new Date('2024-05-01T12:00:00Z'));
    const file = JSON.parse(await readFile(path, 'utf8'));
    expect(file).toMatchObject({
      schemaVersion: 1,
      id: model.info.id,
      version: 1,
      engine: 'native',
      params: { trees: 100, sampleSize: 256, seed: 7 },
      features: ['temperature', 'humidity', 'sound'],
      trainingSize: rows.length,
      trainedAt: model.info.trainedAt,
      createdAt: '2024-05-01T12:00:00.000Z',
      threshold: model.threshold,
      contamination: 0.01,
      forest: { layout: 'complete', trees: 100, dims: 3, depth: 8 },
    });
    expect(file.stats).toHaveLength(3);
    expect(file.forest.split).toContain(null);
    expect(await readdir(dir)).toEqual(['model.json']);
  });

  it('when the target cannot be written, then the error names it and nothing is left behind', async () => {
    const blocker = join(dir, 'not-a-dir');
    await writeFile(blocker, 'x');
    const path = join(blocker, 'model.json');
    await expect(saveModel(trainModel(normalRows(50), baseOptions), path)).rejects.toThrow(`${path}: cannot save model`);
    expect(await readdir(dir)).toEqual(['not-a-dir']);
  });

  it('when saved over an existing file, then the new model replaces it', async () => {
    const path = join(dir, 'model.json');
    await saveModel(trainModel(rows, baseOptions), path);
    const second = trainModel(rows, { ...baseOptions, seed: 99 });
    await saveModel(second, path);
    expect((await loadModel(path)).info.id).toBe(second.info.id);
  });
});

describe('loadModel errors', () => {
  const model = trainModel(normalRows(300), baseOptions);
  const fileText = async () => {
    const path = join(dir, 'good.json');
    await saveModel(model, path);
    return JSON.parse(await readFile(path, 'utf8'));
  };
  const write = async (name: string, content: string) => {
    const path = join(dir, name);
    await writeFile(path, content);
    return path;
  };

  it('when the file is missing, then the error names it', async () => {
    const path = join(dir, 'missing.json');
    await expect(loadModel(path)).rejects.toThrow(`${path}: model file not found`);
  });

  it('when the JSON is corrupt, then the error names the file and the position', async () => {
    const path = await write('corrupt.json', '{"schemaVersion": 1, oops}');
    await expect(loadModel(path)).rejects.toThrow(new RegExp(`^${path}: invalid JSON at position 21`));
  });

  it('when the schemaVersion is unsupported, then the error says which and what is expected', async () => {
    const path = await write('future.json', JSON.stringify({ ...(await fileText()), schemaVersion: 9 }));
    await expect(loadModel(path)).rejects.toThrow(`${path}: unsupported schemaVersion 9 (expected 1)`);
  });

  it('when there is no schemaVersion, then it is not a model file', async () => {
    const path = await write('other.json', '{"hello": "world"}');
    await expect(loadModel(path)).rejects.toThrow(`${path}: not a model file (no schemaVersion)`);
  });

  it.each([
    ['a wrong field type', (f: Record<string, unknown>) => ({ ...f, threshold: 'high' }), /threshold: .*expected number/],
    ['an unknown engine', (f: Record<string, unknown>) => ({ ...f, engine: 'sklearn' }), /engine: /],
    ['a missing forest', (f: Record<string, unknown>) => ({ ...f, forest: undefined }), /forest: /],
    ['a bad date', (f: Record<string, unknown>) => ({ ...f, trainedAt: 'yesterday' }), /trainedAt: /],
    ['too few stats', (f: Record<string, unknown>) => ({ ...f, stats: [] }), /0 stats entries for 3 features/],
    ['too few features', (f: Record<string, unknown>) => ({ ...f, features: ['a'] }), /1 features but the forest has 3 dimensions/],
    ['a truncated split array', (f: { forest: { split: unknown[] } }) => ({ ...f, forest: { ...f.forest, split: f.forest.split.slice(1) } }), /forest.split need/],
    ['a feature out of range', (f: { forest: { feature: number[] } }) => ({ ...f, forest: { ...f.forest, feature: f.forest.feature.map(() => 7) } }), /refers to a feature >= 3/],
  ])('when the file has %s, then the error names the file and the field', async (_name, change, message) => {
    const path = await write('bad.json', JSON.stringify((change as (f: unknown) => unknown)(await fileText())));
    const error = await loadModel(path).then(
      () => undefined,
      (err: Error) => err,
    );
    expect(error?.message).toMatch(new RegExp(`^${path}: invalid model file: `));
    expect(error?.message).toMatch(message);
  });

  it('when a linked forest has a cycle, then loading refuses it (scoring would never end)', () => {
    const when = new Date().toISOString();
    const text = JSON.stringify({
      schemaVersion: 1,
      id: 'x',
      version: 1,
      engine: 'native',
      params: { trees: 1, sampleSize: 4, seed: 1 },
      features: ['a'],
      trainingSize: 4,
      trainedAt: when,
      createdAt: when,
      threshold: 0.6,
      contamination: 0.1,
      stats: [{ mean: 0, sd: 1, min: -1, max: 1, median: 0 }],
      forest: { layout: 'linked', trees: 1, dims: 1, normalizer: 1, roots: [0], feature: [0, 0, 0], split: [0, 0, 0], left: [1, 0, 0], value: [0, 1, 1] },
    });
    expect(() => parseModel(text, 'ok.json')).not.toThrow();
    // Node 1 pointing back at itself (its children would be 1 and 2).
    const cyclic = text.replace('"left":[1,0,0]', '"left":[1,1,0]');
    expect(() => parseModel(cyclic, 'cyclic.json')).toThrow(/cyclic.json: invalid model file: forest.left has a child index out of order/);
  });
});
