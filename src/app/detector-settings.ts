import { parseDuration, type Duration } from '../core/context/duration.js';
import { NUMENTA_LIKELIHOOD } from '../core/context/likelihood.js';
import type { DetectorSettings } from '../core/context/settings.js';
import type { Env } from './config.js';

/** The detector's settings from the TIME_CONTEXT / *_LIMIT / INCIDENT_* variables (already validated by the schema). */
export function detectorSettings(e: Env): DetectorSettings {
  const [openK, openN] = e.INCIDENT_OPEN.split('/').map(Number) as [number, number];
  const incident = { openK, openN, extreme: e.INCIDENT_EXTREME, quiet: duration(e.INCIDENT_QUIET), cooldown: duration(e.INCIDENT_COOLDOWN) };
  const likelihood = { ...NUMENTA_LIKELIHOOD, average: e.LIKELIHOOD_AVERAGE };
  const season =
    e.SEASON_PERIODS.trim() === 'off'
      ? undefined
      : { periods: e.SEASON_PERIODS.split(',').map((d) => duration(d).ms ?? 0), maxSlots: 1008, refs: e.SEASON_REFERENCES, gain: 4, minCover: 0.5 };
  if (!e.TIME_CONTEXT) {
    // Each reading alone, as before time context: a fixed baseline at the training mean (z-limit guard) and
    // the forest on raw values against its training threshold.
    return {
      timeContext: false,
      threshold: e.ANOMALY_THRESHOLD,
      level: { readings: 1 },
      baseline: { ms: Infinity },
      normalizer: duration(e.NORMALIZER_HALF_LIFE),
      instantLimit: e.MODEL_Z_LIMIT,
      bandLimit: 0,
      spreadLimit: 0,
      drift: { block: driftBlock(e.DRIFT_BLOCK), share: Infinity },
      flatline: undefined,
      range: undefined,
      forest: { shingle: 1, raw: true, calibrate: 'threshold' },
      likelihood,
      correlation: undefined,
      season: undefined,
      incident,
    };
  }
  return {
    timeContext: true,
    threshold: e.ANOMALY_THRESHOLD,
    level: duration(e.LEVEL_HALF_LIFE),
    baseline: duration(e.BASELINE_HALF_LIFE),
    normalizer: duration(e.NORMALIZER_HALF_LIFE),
    instantLimit: e.MODEL_Z_LIMIT,
    bandLimit: e.BAND_LIMIT,
    spreadLimit: e.SPREAD_LIMIT,
    drift: { block: driftBlock(e.DRIFT_BLOCK), share: e.DRIFT_SHARE },
    flatline: e.FLATLINE_FACTOR > 0 ? { factor: e.FLATLINE_FACTOR, min: duration(e.FLATLINE_MIN) } : undefined,
    range: e.RANGE_NOVELTY ? { tol: e.RANGE_TOLERANCE, lag: e.RANGE_LAG, window: e.RANGE_WINDOW } : undefined,
    forest: e.FOREST_CHECK ? { shingle: e.FOREST_SHINGLE, raw: false, calibrate: e.FOREST_CALIBRATION } : undefined,
    likelihood,
    correlation: e.CORRELATION_MIN > 0 && e.CORRELATION_LIMIT > 0 ? { min: e.CORRELATION_MIN, limit: e.CORRELATION_LIMIT } : undefined,
    season,
    incident,
  };
}

function driftBlock(text: string): Duration | 'auto' {
  return text.trim() === 'auto' ? 'auto' : duration(text);
}

function duration(text: string): Duration {
  if (text.trim() === '0s') return { ms: 0 };
  const parsed = parseDuration(text);
  if (typeof parsed === 'string') throw new Error(`unvalidated duration ${text}`);
  return parsed;
}
