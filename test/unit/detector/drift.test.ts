import { createModelHolder } from '../../../src/detector/model-holder.js';
import type { ForestModel } from '../../../src/core/model/index.js';
import { FLAT_SIMULATOR, trainedModel } from '../../helpers/trained-model.js';
import { detectorWith, feed, feedAll, flaggedShare, manualClock, PROFILES, readings, testTrainer, type Row } from './harness.js';

const every = (n: number, maxAnomalyShare = 0.1) => ({ everyReadings: n, everyMs: 0, maxAnomalyShare, minRows: 256 });
const ANOMALY: Row = [90, 50, 60];

/** Temperature moving linearly from `from` to `to` over n readings, each step far below one sd. */
function drifting(n: number, from: number, to: number, seed: number, profile: readonly (readonly [number, number])[]): Row[] {
  return readings(n, seed, profile).map(([t, h, s], i) => [t - profile[0]![0] + from + ((to - from) * i) / n, h, s]);
}

describe('drift adaptation', () => {
  let global: ForestModel;
  beforeAll(async () => {
    global = await trainedModel({ TIME_CONTEXT: 'false', ...FLAT_SIMULATOR });
  });

  it('when MODEL_RETRAIN_EVERY readings were scored, then the model is retrained, its version bumped, and only later readings see it', () => {
    const detector = detectorWith(global, { retrain: every(300) });
    const results = feedAll(detector, 'line1/press-1', readings(900, 1, PROFILES.simulated));
    expect(results.map((r) => r.model!.version).filter((v, i, all) => v !== all[i - 1])).toEqual([1, 2, 3]);
    expect([results[299]!.model!.version, results[300]!.model!.version]).toEqual([1, 2]);
    expect(results[300]!.model!.id).not.toBe(global.info.id);
    expect(feed(detector, 'any', readings(1, 99, PROFILES.simulated)[0]!).model!.version).toBe(4);
    expect(detector.stats()).toMatchObject({ retrains: 3, refusedRetrains: 0 });
  });

  it('when a flood of anomalies arrives, then the retrain is refused and the anomaly scores exactly as before', () => {
    const detector = detectorWith(global, { retrain: every(500) });
    const before = feed(detector, 'line1/press-1', ANOMALY);
    feedAll(detector, 'line1/press-1', readings(299, 2, PROFILES.simulated));
    feedAll(detector, 'line1/press-1', Array.from({ length: 200 }, () => ANOMALY));
    expect(detector.stats()).toMatchObject({ retrains: 0, refusedRetrains: 1 });
    const after = feed(detector, 'line1/press-1', ANOMALY);
    expect(after.model!.version).toBe(1);
    // The same score in every respect; only the incident it belongs to is a later one.
    const { incident_id: later, ...scored } = after.prediction;
    const { incident_id: first, ...scoredBefore } = before.prediction;
    expect(scored).toEqual(scoredBefore);
    expect([first, later]).toEqual(['line1/press-1#1', 'line1/press-1#2']);
  });

  it('when the share guard is off, then the flood still never enters the window: the retrained model scores the anomaly as one trained without the flood', () => {
    const normal = readings(600, 3, PROFILES.simulated);
    const run = (rows: readonly Row[], flood: boolean) => {
      const clock = manualClock();
      const policy = { everyReadings: 0, everyMs: 60_000, maxAnomalyShare: 1, minRows: 256 };
      const detector = detectorWith(global, { retrain: policy, now: clock.now });
      const learnt: Row[] = [];
      rows.forEach((row, i) => {
        if (!feed(detector, 'line1/press-1', row).prediction.is_anomaly) learnt.push(row);
        if (flood && i % 2 === 0) for (let k = 0; k < 3; k++) feed(detector, 'line1/press-1', ANOMALY);
      });
      clock.advance(60_000);
      feed(detector, 'line1/press-1', normal[0]!);
      expect(detector.stats().retrains).toBe(1);
      return { scored: feed(detector, 'line1/press-1', ANOMALY), learnt };
    };
    const { scored: flooded, learnt } = run(normal, true);
    // The way back from each flood is flagged too (a jump from 90 °C): only the normal readings the detector
    // passed may be learnt, so the flood-free run feeds exactly those.
    expect(learnt.length).toBeGreaterThanOrEqual(256);
    const { scored: clean } = run(learnt, false);
    expect(flooded.model!.version).toBe(2);
    expect(flooded.prediction.is_anomaly).toBe(true);
    expect(flooded.prediction.isolation_score).toBe(clean.prediction.isolation_score);
    expect(flooded.prediction.anomaly_score).toBeGreaterThanOrEqual(clean.prediction.anomaly_score);

    // What the guard prevents: a model that learnt the flood thinks much less of the anomaly.
    const poisoned = testTrainer([...normal, ...Array.from({ length: 900 }, () => ANOMALY)], { version: 2, contamination: 0.005 });
    expect(poisoned.score(ANOMALY)).toBeLessThan(flooded.prediction.isolation_score - 0.1);
  });

  it('when the baseline drifts slowly from 25 to 30 °C, then readings at 30 are no longer flagged; without adaptation they are', () => {
    const drift = drifting(8000, 25, 30, 4, PROFILES.simulated);
    const at30 = readings(500, 5, [[30, 1], PROFILES.simulated[1], PROFILES.simulated[2]]);
    const adapting = detectorWith(global, { retrain: every(256) });
    const fixed = detectorWith(global);
    feedAll(adapting, 'line1/press-1', drift);
    feedAll(fixed, 'line1/press-1', drift);
    const adapted = feedAll(adapting, 'line1/press-1', at30);
    const stale = feedAll(fixed, 'line1/press-1', at30);
    expect(flaggedShare(adapted)).toBeLessThan(0.02);
    expect(flaggedShare(stale)).toBeGreaterThan(0.4);
    expect(adapting.stats()).toMatchObject({ refusedRetrains: 0 });
    expect(adapting.stats().retrains).toBeGreaterThan(25);
    // Adapting to drift did not make it blind: the anomaly is still one.
    expect(feed(adapting, 'line1/press-1', ANOMALY).prediction.is_anomaly).toBe(true);
  });

  it('when device models adapt, then each follows its own device: the oven drifts 180 → 190 °C, the packing line stays put', () => {
    const detector = detectorWith(global, { scope: 'device', warmup: 256, retrain: every(256) });
    feedAll(detector, 'hot/oven', readings(256, 6, PROFILES.oven));
    feedAll(detector, 'cool/packer', readings(256, 7, PROFILES.packing));
    const ovenDrift = drifting(6000, 180, 190, 8, PROFILES.oven);
    const packing = readings(6000, 9, PROFILES.packing);
    for (let i = 0; i < 6000; i++) {
      feed(detector, 'hot/oven', ovenDrift[i]!);
      feed(detector, 'cool/packer', packing[i]!);
    }
    const oven190 = feedAll(detector, 'hot/oven', readings(300, 10, [[190, 2], PROFILES.oven[1], PROFILES.oven[2]]));
    expect(flaggedShare(oven190)).toBeLessThan(0.03);
    expect(oven190[0]!.model!.version).toBeGreaterThan(10);
    const packer = feed(detector, 'cool/packer', [190, 55, 58]);
    expect(packer.prediction).toMatchObject({ status: 'ready', is_anomaly: true });
    expect(packer.model!.version).toBeGreaterThan(10);
  });

  it('when MODEL_RETRAIN_MINUTES have passed, then the next reading triggers the retrain', () => {
    const clock = manualClock(1_000);
    const detector = detectorWith(global, { retrain: { everyReadings: 0, everyMs: 60_000, maxAnomalyShare: 0.1, minRows: 256 }, now: clock.now });
    feedAll(detector, 'line1/press-1', readings(400, 11, PROFILES.simulated));
    clock.advance(59_999);
    feed(detector, 'line1/press-1', readings(1, 12, PROFILES.simulated)[0]!);
    expect(detector.stats().retrains).toBe(0);
    clock.advance(1);
    feed(detector, 'line1/press-1', readings(1, 13, PROFILES.simulated)[0]!);
    expect(detector.stats().retrains).toBe(1);
    expect(feed(detector, 'x', readings(1, 98, PROFILES.simulated)[0]!).model!.version).toBe(2);
  });

  it('when the global model was hot-reloaded, then the next retrain goes into the same holder and bumps the reloaded version', () => {
    const holder = createModelHolder(global);
    const detector = detectorWith(global, { global: holder, retrain: every(300) });
    holder.set({ ...global, info: { ...global.info, version: 7 } });
    feedAll(detector, 'line1/press-1', readings(300, 14, PROFILES.simulated));
    expect(holder.get()!.info.version).toBe(8);
  });

  it('when the global model is hot-reloaded mid-period, then no retrain replaces it before a full period of readings scored by it, and only those are learnt', () => {
    const holder = createModelHolder(global);
    const detector = detectorWith(global, { global: holder, retrain: every(300) });
    feedAll(detector, 'line1/press-1', readings(299, 15, PROFILES.simulated));
    const reloaded = { ...global, info: { ...global.info, id: 'reloaded', version: 7 } };
    holder.set(reloaded);
    feedAll(detector, 'line1/press-1', readings(299, 16, PROFILES.simulated));
    expect(holder.get()!.info).toMatchObject({ id: 'reloaded', version: 7 });
    feed(detector, 'line1/press-1', readings(1, 17, PROFILES.simulated)[0]!);
    expect(holder.get()!.info.version).toBe(8);
    // The window the retrain learnt from holds only readings scored after the reload, not the 299 before it.
    expect(holder.get()!.info.trainingSize).toBeLessThanOrEqual(300);
    expect(holder.get()!.info.trainingSize).toBeGreaterThan(256);
  });
});
