/** The contract between the detector and everything that uses it (worker, /predict, tools). */
import type { CompiledForest } from './compiled-forest.js';

export type EngineName = 'native' | 'ml-isolation-forest';

/** Identity and provenance of a trained model; echoed in every result. */
export interface ModelInfo {
  readonly id: string;
  /** Bumped each time the same model is retrained (drift adaptation, reload). */
  readonly version: number;
  readonly engine: EngineName;
  readonly trees: number;
  readonly sampleSize: number;
  readonly seed: number;
  readonly features: readonly string[];
  readonly trainingSize: number;
  readonly trainedAt: string;
}

/** Per-feature training statistics, used for z-scores and explanations. */
export interface FeatureStats {
  readonly mean: number;
  readonly sd: number;
  readonly min: number;
  readonly max: number;
  readonly median: number;
}

export interface Explanation {
  /** Share of the anomaly attributed to each feature; the shares sum to 1. */
  readonly contributions: Readonly<Record<string, number>>;
  /** (value - training mean) / training sd, per feature. */
  readonly zScores: Readonly<Record<string, number>>;
}

export interface AnomalyModel {
  readonly info: ModelInfo;
  /** Scores at or above this are anomalies. */
  readonly threshold: number;
  readonly stats: readonly FeatureStats[];
  /** Anomaly score in [0, 1], higher is more anomalous; `row` is in `info.features` order. */
  score(row: ArrayLike<number>): number;
  /** Which features drove the score of `row`. */
  explain(row: ArrayLike<number>): Explanation;
  /** Present when trained with time context (or with a sensor profile); see ModelContext. */
  readonly context?: ModelContext | undefined;
}

/**
 * What a model knows of its sensors beyond the forest (time context): per
 * sensor its training mean and scale, whether it drifts, how long it may sit
 * still; and the training scores' averaged mean and sd that seed each device's
 * anomaly likelihood. Plain data, saved in the model file.
 */
export interface ModelContext {
  /** The sensor fields, in schema order (the forest's features are derived from them). */
  readonly sensors: readonly string[];
  readonly profile: ReadonlyArray<{
    readonly mean: number;
    readonly scale: number;
    readonly drifting: boolean;
    readonly flatMs: number;
    /** Normal recent spread (the noise check's scale); absent in files from before it: the scale stands in. */
    readonly noise?: number | undefined;
    /** sd of its smoothed level around the training mean; absent in files from before it. */
    readonly wander?: number | undefined;
    /** A seasonal sensor's period and slot width (ms); absent when it is not seasonal. */
    readonly season?: { readonly periodMs: number; readonly widthMs: number } | undefined;
  }>;
  readonly seed?: { readonly mean: number; readonly sd: number } | undefined;
  /** Sensors that move together, and the line relating them (core/context/pairs.ts). */
  readonly pairs?: ReadonlyArray<{ readonly a: number; readonly b: number; readonly slope: number; readonly intercept: number; readonly scale: number; readonly correlation: number }> | undefined;
}

/**
 * What both engines return: an AnomalyModel plus the compiled forest (for
 * persistence) and batch scoring. Extends AnomalyModel without changing it.
 */
export interface ForestModel extends AnomalyModel {
  readonly compiled: CompiledForest;
  /** The contamination the threshold was calibrated with; undefined when a fixed threshold was given. */
  readonly contamination: number | undefined;
  /** Scores n rows stored flat (row r at rows[r * dims ..]) into out[0..n); returns out. */
  scoreBatch(rows: Float64Array, n: number, out: Float64Array): Float64Array;
}
