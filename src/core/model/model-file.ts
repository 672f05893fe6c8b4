import { z } from 'zod';
import type { CompiledForest } from './compiled-forest.js';
import { createForestModel } from './model.js';
import type { ForestModel, ModelContext } from './types.js';

/**
 * The model file: JSON with everything needed to score again bit for bit
 * (the compiled arrays as plain numbers; +Infinity pass-through splits as
 * null, since JSON has no Infinity). Bump SCHEMA_VERSION on any change a
 * reader of the old version would misread.
 */
export const SCHEMA_VERSION = 1;

const finite = z.number();
const count = z.number().int().nonnegative();
const index = (max: number) => z.number().int().min(0).max(max);

const shape = { trees: z.number().int().positive(), dims: z.number().int().positive().max(0xffff), normalizer: finite.nonnegative() };

const forestSchema = z.discriminatedUnion('layout', [
  z.object({
    layout: z.literal('complete'),
    ...shape,
    depth: z.number().int().min(0).max(20),
    feature: z.array(index(0xffff)),
    split: z.array(finite.nullable()),
    leaf: z.array(finite),
  }),
  z.object({
    layout: z.literal('linked'),
    ...shape,
    roots: z.array(count),
    feature: z.array(index(0xffff)),
    split: z.array(finite),
    left: z.array(count),
    value: z.array(finite),
  }),
]);

const statsSchema = z.object({ mean: finite, sd: finite.nonnegative(), min: finite, max: finite, median: finite });

export const modelFileSchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  id: z.string().min(1),
  version: z.number().int().positive(),
  engine: z.enum(['native', 'ml-isolation-forest']),
  params: z.object({ trees: z.number().int().positive(), sampleSize: z.number().int().positive(), seed: z.number().int() }),
  features: z.array(z.string().min(1)).min(1),
  trainingSize: z.number().int().positive(),
  trainedAt: z.iso.datetime(),
  createdAt: z.iso.datetime(),
  threshold: finite.gt(0).lte(1),
  contamination: finite.gt(0).lte(0.5).nullable(),
  stats: z.array(statsSchema),
  forest: forestSchema,
  // Added with time context; files without it are read as models of raw values (see core/context/profile.ts).
  context: z
    .object({
      sensors: z.array(z.string().min(1)).min(1),
      profile: z.array(
        z.object({
          mean: finite,
          scale: finite.positive(),
          drifting: z.boolean(),
          flatMs: finite.nonnegative().nullable(),
          noise: finite.positive().optional(),
          wander: finite.positive().optional(),
          season: z.object({ periodMs: finite.positive(), widthMs: finite.positive() }).optional(),
        }),
      ),
      seed: z.object({ mean: finite, sd: finite.nonnegative() }).nullable(),
      pairs: z
        .array(z.object({ a: z.number().int().nonnegative(), b: z.number().int().nonnegative(), slope: finite, intercept: finite, scale: finite.positive(), correlation: finite }))
        .optional(),
    })
    .optional(),
});

export type ModelFile = z.infer<typeof modelFileSchema>;

export function toModelFile(model: ForestModel, createdAt: Date): ModelFile {
  const { info } = model;
  return {
    schemaVersion: SCHEMA_VERSION,
    id: info.id,
    version: info.version,
    engine: info.engine,
    params: { trees: info.trees, sampleSize: info.sampleSize, seed: info.seed },
    features: [...info.features],
    trainingSize: info.trainingSize,
    trainedAt: info.trainedAt,
    createdAt: createdAt.toISOString(),
    threshold: model.threshold,
    contamination: model.contamination ?? null,
    stats: model.stats.map((s) => ({ ...s })),
    forest: forestToJson(model.compiled),
    ...(model.context === undefined
      ? {}
      : {
          context: {
            sensors: [...model.context.sensors],
            // JSON has no Infinity: a sensor that may never count as stuck is saved as null.
            profile: model.context.profile.map((p) => ({ ...p, flatMs: Number.isFinite(p.flatMs) ? p.flatMs : null })),
            seed: model.context.seed === undefined ? null : { ...model.context.seed },
            ...(model.context.pairs !== undefined ? { pairs: model.context.pairs.map((p) => ({ ...p })) } : {}),
          },
        }),
  };
}

function forestToJson(f: CompiledForest): ModelFile['forest'] {
  const common = { trees: f.trees, dims: f.dims, normalizer: f.normalizer, feature: Array.from(f.feature) };
  if (f.layout === 'complete') {
    const split = Array.from(f.split, (s) => (s === Infinity ? null : s));
    return { layout: 'complete', ...common, depth: f.depth, split, leaf: Array.from(f.leaf) };
  }
  return { layout: 'linked', ...common, roots: Array.from(f.roots), split: Array.from(f.split), left: Array.from(f.left), value: Array.from(f.value) };
}

/** Rebuilds the model from a parsed file; `source` (the path) prefixes every error. */
export function fromModelFile(value: unknown, source: string): ForestModel {
  const version = typeof value === 'object' && value !== null ? (value as { schemaVersion?: unknown }).schemaVersion : undefined;
  if (version === undefined) throw new Error(`${source}: not a model file (no schemaVersion)`);
  if (version !== SCHEMA_VERSION) {
    throw new Error(`${source}: unsupported schemaVersion ${JSON.stringify(version)} (expected ${SCHEMA_VERSION})`);
  }
  const parsed = modelFileSchema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    const more = parsed.error.issues.length > 5 ? ` (and ${parsed.error.issues.length - 5} more)` : '';
    throw new Error(`${source}: invalid model file: ${problems.join('; ')}${more}`);
  }
  const file = parsed.data;
  const fail = (problem: string): never => {
    throw new Error(`${source}: invalid model file: ${problem}`);
  };
  const dims = file.forest.dims;
  if (file.features.length !== dims) fail(`${file.features.length} features but the forest has ${dims} dimensions`);
  if (file.stats.length !== dims) fail(`${file.stats.length} stats entries for ${dims} features`);
  if (file.forest.trees !== file.params.trees) fail(`forest has ${file.forest.trees} trees, params say ${file.params.trees}`);
  if (file.forest.feature.some((f) => f >= dims)) fail(`forest.feature refers to a feature >= ${dims}`);
  return createForestModel({
    info: {
      id: file.id,
      version: file.version,
      engine: file.engine,
      trees: file.params.trees,
      sampleSize: file.params.sampleSize,
      seed: file.params.seed,
      features: file.features,
      trainingSize: file.trainingSize,
      trainedAt: file.trainedAt,
    },
    compiled: forestFromJson(file.forest, fail),
    stats: file.stats,
    threshold: file.threshold,
    contamination: file.contamination ?? undefined,
    ...(file.context === undefined ? {} : { context: contextFromFile(file.context, fail) }),
  });
}

function forestFromJson(f: ModelFile['forest'], fail: (problem: string) => never): CompiledForest {
  const { trees, dims, normalizer } = f;
  if (f.layout === 'complete') {
    const inner = 2 ** f.depth - 1;
    if (f.feature.length !== trees * inner || f.split.length !== trees * inner) {
      fail(`forest.feature and forest.split need ${trees * inner} entries (${trees} trees of depth ${f.depth})`);
    }
    if (f.leaf.length !== trees * (inner + 1)) fail(`forest.leaf needs ${trees * (inner + 1)} entries`);
    const split = Float64Array.from(f.split, (s) => (s === null ? Infinity : s));
    return { layout: 'complete', trees, dims, normalizer, depth: f.depth, feature: Uint16Array.from(f.feature), split, leaf: Float64Array.from(f.leaf) };
  }
  const nodes = f.feature.length;
  if (f.split.length !== nodes || f.left.length !== nodes || f.value.length !== nodes) fail('forest arrays differ in length');
  if (f.roots.length !== trees || f.roots.some((r) => r >= nodes)) fail('forest.roots do not match the nodes');
  // Children always come after their parent: this rules out cycles, so scoring terminates.
  if (f.left.some((l, i) => l !== 0 && (l <= i || l + 1 >= nodes))) fail('forest.left has a child index out of order or range');
  return {
    layout: 'linked',
    trees,
    dims,
    normalizer,
    roots: Uint32Array.from(f.roots),
    feature: Uint16Array.from(f.feature),
    split: Float64Array.from(f.split),
    left: Uint32Array.from(f.left),
    value: Float64Array.from(f.value),
  };
}

function contextFromFile(context: NonNullable<ModelFile['context']>, fail: (problem: string) => never): ModelContext {
  if (context.profile.length !== context.sensors.length) fail(`context has ${context.profile.length} sensor profiles for ${context.sensors.length} sensors`);
  if (context.pairs?.some((p) => p.a >= context.sensors.length || p.b >= context.sensors.length)) fail('context.pairs refers to a sensor it does not have');
  return {
    sensors: context.sensors,
    profile: context.profile.map(({ season, noise, wander, ...p }) => ({
      ...p,
      flatMs: p.flatMs ?? Infinity,
      ...(noise !== undefined ? { noise } : {}),
      ...(wander !== undefined ? { wander } : {}),
      ...(season !== undefined ? { season } : {}),
    })),
    seed: context.seed ?? undefined,
    ...(context.pairs !== undefined ? { pairs: context.pairs } : {}),
  };
}
