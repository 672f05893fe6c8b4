import type { Duration } from './duration.js';
import { NUMENTA_LIKELIHOOD, type LikelihoodParams } from './likelihood.js';
import type { SeasonParams } from './season.js';

/**
 * How the detector judges a reading in the context of its device's recent
 * history. One set per deployment (src/app maps the DETECTOR_* variables onto
 * it); every check can be switched off. The reasons for the defaults are in
 * docs/detection.md.
 */
export interface DetectorSettings {
  /** Off: each reading alone against the model's fixed training envelope (the behaviour before time context). */
  readonly timeContext: boolean;
  /** Calibrated score at or above which a reading is anomalous; every check maps its own limit to this value. */
  readonly threshold: number;
  /** Half-life of each sensor's smoothed level (what the level-shift check judges). */
  readonly level: Duration;
  /** Half-life with which a steady sensor's baseline follows its level while the device is quiet. */
  readonly baseline: Duration;
  /** Half-life of the running mean and variance the forest's features are normalised by. */
  readonly normalizer: Duration;
  /** A reading with a sensor this many sd from its baseline (0 = off): spikes, rails. */
  readonly instantLimit: number;
  /** A smoothed level this many sd from its baseline (0 = off): shifts that last (a closed valve). */
  readonly bandLimit: number;
  /** Recent spread this many times the normal sd (0 = off): noise that grows with the mean unchanged. */
  readonly spreadLimit: number;
  /**
   * A sensor drifts (judged against its running mean, not the slow baseline) when more than `share` of its training
   * variance lies between block means; 'auto' blocks are an eighth of the training.
   */
  readonly drift: { readonly block: Duration | 'auto'; readonly share: number };
  /** A sensor is stuck when unchanged for `factor` × its longest training run, and at least `min` (undefined = off). */
  readonly flatline: { readonly factor: number; readonly min: Duration } | undefined;
  /** Range novelty (after Numenta): value, rolling mean and sd beyond their own lagged history (undefined = off). */
  readonly range: { readonly tol: number; readonly lag: number; readonly window: number } | undefined;
  /**
   * The Isolation Forest (undefined = off): on the last `shingle` normalised values of each sensor, or on the
   * raw values; its score calibrated by the device's anomaly likelihood, or by the forest's own threshold.
   */
  readonly forest: { readonly shingle: number; readonly raw: boolean; readonly calibrate: 'likelihood' | 'threshold' } | undefined;
  readonly likelihood: LikelihoodParams;
  /** Sensors that move together (|ρ| ≥ min in training) are watched for decoupling: their scatter around their line beyond `limit` × normal (undefined = off). */
  readonly correlation: { readonly min: number; readonly limit: number } | undefined;
  /** Seasonality (a sensor judged against the same time of day or week), decided per sensor at training (undefined = off). */
  readonly season: SeasonParams | undefined;
  /**
   * An incident opens when `openK` of the last `openN` readings are anomalous, or one reading scores `extreme` or
   * more; it closes after `quiet` without an anomalous reading; none opens within `cooldown` of the last close.
   */
  readonly incident: {
    readonly openK: number;
    readonly openN: number;
    readonly extreme: number;
    readonly quiet: Duration;
    readonly cooldown: Duration;
  };
}

/**
 * The settings the configuration gives when nothing is set (a test keeps the two equal), for callers
 * that have no configuration of their own (POST /predict built without one, tools).
 */
export const DEFAULT_DETECTOR_SETTINGS: DetectorSettings = Object.freeze<DetectorSettings>({
  timeContext: true,
  threshold: 0.5,
  level: { readings: 10 },
  baseline: { ms: 3_600_000 },
  normalizer: { readings: 100 },
  instantLimit: 4.5,
  bandLimit: 2,
  spreadLimit: 2.5,
  drift: { block: 'auto', share: 0.25 },
  flatline: { factor: 2, min: { ms: 60_000 } },
  range: undefined,
  forest: { shingle: 1, raw: false, calibrate: 'likelihood' },
  likelihood: NUMENTA_LIKELIHOOD,
  correlation: { min: 0.8, limit: 3 },
  season: { periods: [86_400_000, 604_800_000], maxSlots: 1008, refs: 3, gain: 4, minCover: 0.5 },
  incident: { openK: 3, openN: 5, extreme: 0.8, quiet: { readings: 30 }, cooldown: { ms: 0 } },
});
