import type { AnomalyModel, ForestModel } from '../core/model/index.js';
import { scoreReading, warmingUp } from '../core/stages/score.js';
import { createAdaptation, recordReading, startPeriod, type Adaptation } from './adaptation.js';
import { createDeviceModels, type ReadyEntry } from './device-models.js';
import { calibratedContamination, retrainDecision, retrainEnabled } from './retrain-policy.js';
import type { Detector, DetectorOptions, DetectorStats, ModelChoice, Processed } from './types.js';
import type { Warmup } from './warmup.js';

type Fields = Record<string, unknown>;

/**
 * Which model scores a device's reading, and what the models learn from it.
 * Global scope: the global model scores everything. Device scope: a device's
 * first MODEL_WARMUP readings are scored by the global model (status
 * `warming_up`) and collected; the device's own model is trained on them
 * after the last one was scored, so no reading is judged by a model that
 * learnt it. Drift adaptation retrains any model from its window of recent
 * readings it did not flag. Everything runs synchronously on the worker's
 * event loop (training 100 trees costs about 13 ms) and every swap is one
 * reference assignment.
 */
export function createDetector(options: DetectorOptions): Detector {
  const log = options.logger.child({ component: 'detector' });
  const dims = options.schema.fields.length;
  const scratch = new Float64Array(dims);
  const now = options.now ?? Date.now;
  const adapting = retrainEnabled(options.retrain);
  const counters = { deviceModelsTrained: 0, warmupRestarts: 0, retrains: 0, refusedRetrains: 0, trainingErrors: 0 };
  const adaptation = (seed?: readonly ArrayLike<number>[]): Adaptation | undefined =>
    adapting ? createAdaptation(options.window, dims, now(), seed) : undefined;
  const readyEntry = (model: ForestModel, seed?: readonly ArrayLike<number>[]): ReadyEntry => ({
    kind: 'ready',
    model,
    adaptation: adaptation(seed),
  });
  const devices =
    options.scope === 'device'
      ? createDeviceModels({ maxDevices: options.maxDevices, warmup: options.warmup, dims, store: options.store, readyEntry })
      : undefined;
  // The global model learns from the readings it scored: all of them in global scope, warm-ups in device scope.
  let globalAdaptation = adaptation();
  /** The global model the adaptation's window and period belong to. */
  let adaptedGlobal: AnomalyModel | undefined;
  let closing: Promise<void> | undefined;

  const train = (rows: readonly ArrayLike<number>[], version: number, contamination: number, fields: Fields) => {
    try {
      return options.train(rows, { version, contamination });
    } catch (err) {
      counters.trainingErrors += 1;
      log.error({ ...fields, rows: rows.length, err: (err as Error).message }, 'training failed; the current model carries on');
      return undefined;
    }
  };

  /** Records the reading and retrains when due; `swap` installs the new model with one assignment. */
  const adapt = (
    a: Adaptation,
    current: AnomalyModel,
    row: ArrayLike<number>,
    isAnomaly: boolean,
    swap: (model: ForestModel) => void,
    fields: Fields,
  ): void => {
    recordReading(a, row, isAnomaly);
    const at = now();
    const decision = retrainDecision(options.retrain, a.period, a.window.size, at);
    if (decision.kind === 'wait') return;
    const { seen, flagged } = a.period;
    startPeriod(a, at);
    const share = round(decision.anomalyShare);
    if (decision.kind === 'refuse') {
      counters.refusedRetrains += 1;
      const bound = options.retrain.maxAnomalyShare;
      log.warn({ ...fields, seen, flagged, anomalyShare: share, maxAnomalyShare: bound }, 'retrain refused: too many anomalies');
      return;
    }
    const began = performance.now();
    const contamination = calibratedContamination(options.contamination, decision.anomalyShare);
    const model = train(a.window.rows(), current.info.version + 1, contamination, fields);
    if (model === undefined) return;
    swap(model);
    counters.retrains += 1;
    log.info(
      { ...fields, id: model.info.id, version: model.info.version, rows: a.window.size, seen, anomalyShare: share, threshold: model.threshold, ms: elapsed(began) },
      'model retrained',
    );
  };

  const observeGlobal = (row: ArrayLike<number>, isAnomaly: boolean): void => {
    const current = options.global.get();
    if (globalAdaptation === undefined || current === undefined) return;
    if (current !== adaptedGlobal) {
      // Swapped in from outside (POST /model/reload): the window holds readings the old model judged and the
      // period counts them, so the next retrain would soon replace the reloaded model with the old normal.
      if (adaptedGlobal !== undefined) globalAdaptation = adaptation()!;
      adaptedGlobal = current;
    }
    adapt(globalAdaptation, current, row, isAnomaly, (model) => options.global.set((adaptedGlobal = model)), { model: 'global' });
  };

  const finishWarmup = (device: string, warmup: Warmup): void => {
    const { rows, dropped } = warmup.sample();
    if (rows.length < warmup.target / 2) {
      counters.warmupRestarts += 1;
      warmup.reset();
      log.warn({ device, kept: rows.length, dropped }, 'warm-up restarted: most readings were outliers of the device itself');
      return;
    }
    const began = performance.now();
    const model = train(rows, 1, options.contamination, { device });
    if (model === undefined) return warmup.reset();
    devices!.set(device, readyEntry(model, rows));
    counters.deviceModelsTrained += 1;
    log.info({ device, id: model.info.id, rows: rows.length, dropped, threshold: model.threshold, ms: elapsed(began) }, 'device model trained');
  };

  const observeDevice = (device: string, row: ArrayLike<number>, isAnomaly: boolean): void => {
    const entry = devices!.peek(device);
    if (entry === undefined) return; // never chosen by modelFor: nothing scored, nothing to learn
    if (entry.kind === 'ready') {
      if (entry.adaptation === undefined) return;
      adapt(entry.adaptation, entry.model, row, isAnomaly, (model) => void (entry.model = model), { device });
      return;
    }
    observeGlobal(row, isAnomaly);
    // Every warm-up reading is kept, flagged or not: the global model's verdict says nothing about a device
    // with its own baseline. The sample is cleaned against itself when complete (robust-sample.ts).
    if (entry.warmup.add(row)) finishWarmup(device, entry.warmup);
  };

  const modelFor = (device: string): ModelChoice => {
    if (devices === undefined) return { model: options.global.get(), status: 'ready' };
    const entry = devices.use(device);
    return entry.kind === 'ready' ? { model: entry.model, status: 'ready' } : { model: options.global.get(), status: 'warming_up' };
  };
  const observe = (device: string, row: ArrayLike<number>, isAnomaly: boolean): void => {
    if (devices === undefined) observeGlobal(row, isAnomaly);
    else observeDevice(device, row, isAnomaly);
  };

  return {
    process(device, reading): Processed {
      const choice = modelFor(device);
      if (choice.model === undefined) {
        if (choice.status !== 'warming_up') return { kind: 'rejected', code: 'model_not_ready', reason: 'no model is loaded yet' };
        // No global model to stand in: the reading feeds the warm-up and is judged by its physical ranges only.
        const result = warmingUp(reading, options.schema);
        if (!reading.values.some(Number.isNaN)) observe(device, reading.values, result.prediction.is_anomaly);
        return { kind: 'scored', result };
      }
      const result = scoreReading(choice.model, reading, { schema: options.schema, zLimit: options.zLimit, scratch });
      result.prediction.status = choice.status;
      // After scoring: a model trained or retrained here scores only later readings. The row learnt is the
      // one scored (missing optional values filled in).
      observe(device, scratch, result.prediction.is_anomaly);
      return { kind: 'scored', result };
    },
    modelFor,
    observe,
    deviceModel(device) {
      const entry = devices?.peek(device);
      return entry?.kind === 'ready' ? entry.model : undefined;
    },
    stats(): DetectorStats {
      const held = devices?.counts() ?? { modelsHeld: 0, warmingUp: 0, evictions: 0, restored: 0 };
      return { scope: options.scope, ...held, ...counters, ...(options.store ? { store: options.store.stats() } : {}) };
    },
    close() {
      closing ??= (async () => {
        const store = options.store;
        if (devices === undefined || store === undefined) return;
        for (const [device, entry] of devices.entries()) if (entry.kind === 'ready') store.save(device, entry.model);
        await store.idle();
        log.info({ ...store.stats() }, 'device models saved');
      })();
      return closing;
    },
  };
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

function elapsed(began: number): number {
  return Math.round((performance.now() - began) * 10) / 10;
}
