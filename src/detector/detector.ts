import { closeIncident, stepIncident, type IncidentEvent } from '../core/context/incidents.js';
import { contextModelOf, fitWithRows, replayContext } from '../core/context/model.js';
import { adoptModel, createContextState, fromSnapshot, stateBytes, toSnapshot } from '../core/context/state.js';
import { createStepResult, stepContext, type ContextModel, type StepResult } from '../core/context/step.js';
import type { AnomalyModel, ForestModel } from '../core/model/index.js';
import type { Reading } from '../core/reading.js';
import { kindsOf } from '../core/sensors.js';
import { contextPrediction, warmingUp } from '../core/stages/score.js';
import { createAdaptation, recordReading, startPeriod, type Adaptation } from './adaptation.js';
import { createEntry, type DeviceEntry } from './device-entry.js';
import type { MovedDevice } from './device-state.js';
import { limitsOf } from './limits.js';
import { createLru } from './lru.js';
import { calibratedContamination, retrainDecision, retrainEnabled } from './retrain-policy.js';
import { createSilence } from './silent-devices.js';
import type { Detector, DetectorOptions, DetectorStats, Processed } from './types.js';
import { createWarmup } from './warmup.js';

type Fields = Record<string, unknown>;

/**
 * The one place that owns per-device memory: which model judges a device's
 * reading, its time context and incident, its warm-up, drift retraining,
 * eviction and persistence. The pure stages (core/context) do the computing.
 * Global scope: one model for all devices, each with its own context. Device
 * scope: a device's first MODEL_WARMUP readings are judged by the global model
 * when there is one (status `warming_up`), then its own model is learnt from
 * them and judges only later readings. Everything is synchronous.
 */
export function createDetector(options: DetectorOptions): Detector {
  const log = options.logger.child({ component: 'detector' });
  const now = options.now ?? Date.now;
  const { schema, settings } = options;
  const sensors = schema.names;
  const dims = sensors.length;
  const limits = limitsOf(schema);
  const kinds = kindsOf(schema);
  const adapting = retrainEnabled(options.retrain);
  const counters = { deviceModelsTrained: 0, warmupRestarts: 0, retrains: 0, refusedRetrains: 0, trainingErrors: 0, evictions: 0, restored: 0, contextsRestored: 0, incidentsOpened: 0, incidentsClosed: 0 };
  const contexts = new WeakMap<AnomalyModel, ContextModel | string>();
  const refusedModels = new WeakSet<AnomalyModel>();
  /** One result object per feature count, reused for every reading (the forest checks a row's exact length). */
  const steps = new Map<number, StepResult>();
  const stepFor = (features: number): StepResult => {
    let step = steps.get(features);
    if (step === undefined) steps.set(features, (step = createStepResult(dims, features)));
    return step;
  };
  const silence = options.silence === undefined ? undefined : createSilence({ ...options.silence, maxDevices: options.maxDevices * 4 }, sensors);
  /** Drift adaptation's window of feature rows (their width is the model's feature count). */
  const adaptation = (features: number): Adaptation | undefined => (adapting ? createAdaptation(options.window, features, now()) : undefined);
  let globalAdaptation: Adaptation | undefined;
  let adaptedGlobal: AnomalyModel | undefined;
  let closing: Promise<void> | undefined;

  const entries = createLru<DeviceEntry>(options.maxDevices, (device, entry) => {
    counters.evictions += 1;
    // Issue 11: with a shared store the whole state goes, so whichever worker sees the device next carries on.
    if (options.shared !== undefined) return options.shared.put(device, movedOf(entry));
    // A half-done warm-up is not worth a file: the device warms up again if it comes back.
    if (entry.own !== undefined) options.store?.save(device, entry.own as ForestModel);
  });

  const createFor = (device: string): DeviceEntry => {
    const moved = options.shared?.take(device);
    const saved = options.scope !== 'device' ? undefined : options.shared !== undefined ? moved?.model : options.store?.load(device);
    let entry: DeviceEntry;
    if (saved !== undefined) {
      counters.restored += 1;
      entry = createEntry(saved, undefined, adaptation(saved.info.features.length));
    } else entry = createEntry(undefined, options.scope === 'device' ? createWarmup(options.warmup, dims) : undefined, undefined);
    if (moved?.context !== undefined) restoreContext(entry, moved.context);
    return entry;
  };

  /** Issue 11: a time context saved by another worker, if it was primed for the model that judges the device here. */
  const restoreContext = (entry: DeviceEntry, saved: NonNullable<MovedDevice['context']>): void => {
    const model = entry.own ?? options.global.get();
    const context = model === undefined || model.info.id !== saved.model ? undefined : contextOf(model);
    if (model === undefined || context === undefined) return;
    const state = fromSnapshot(saved.state, settings, { profile: context.profile, pairs: context.pairs, depth: context.plan?.depth ?? 1 });
    if (state === undefined) return;
    entry.context = state;
    entry.contextFor = model;
    counters.contextsRestored += 1;
  };

  const movedOf = (entry: DeviceEntry): MovedDevice => ({
    model: entry.own as ForestModel | undefined,
    context: entry.context !== undefined && entry.contextFor !== undefined ? { state: toSnapshot(entry.context), model: entry.contextFor.info.id } : undefined,
  });

  /** The checks' view of a model, or undefined (logged once) when its features do not fit the sensors. */
  const contextOf = (model: AnomalyModel): ContextModel | undefined => {
    let known = contexts.get(model);
    if (known === undefined) contexts.set(model, (known = contextModelOf(model, sensors)));
    if (typeof known !== 'string') return known;
    if (!refusedModels.has(model)) {
      refusedModels.add(model);
      log.error({ id: model.info.id, features: model.info.features, sensors, problem: known }, 'model does not fit the configured sensors; it scores nothing');
    }
    return undefined;
  };

  const train = (rows: readonly ArrayLike<number>[], request: Parameters<DetectorOptions['train']>[1], fields: Fields): ForestModel | undefined => {
    try {
      return options.train(rows, request);
    } catch (err) {
      counters.trainingErrors += 1;
      log.error({ ...fields, rows: rows.length, err: (err as Error).message }, 'training failed; the current model carries on');
      return undefined;
    }
  };

  const finishWarmup = (device: string, entry: DeviceEntry): void => {
    const warmup = entry.warmup!;
    const { rows, times } = warmup.sample();
    const began = performance.now();
    let model: ForestModel | undefined;
    let featureRows: Float64Array[];
    try {
      ({ model, featureRows } = fitWithRows(rows, times, {
        settings,
        sensors,
        kinds,
        limits,
        train: (trainRows, features, context) => options.train(trainRows, { version: 1, contamination: options.contamination, features, context }),
      }));
    } catch (err) {
      counters.trainingErrors += 1;
      log.error({ device, err: (err as Error).message }, 'device model training failed; the warm-up starts again');
      warmup.reset();
      return;
    }
    entry.own = model;
    entry.warmup = undefined;
    // Its context as if its own model had judged it from the start: levels, range history, score history.
    const context = contextOf(model);
    if (context !== undefined) {
      entry.context = replayContext(settings, context, limits, rows, times);
      entry.contextFor = model;
    }
    entry.adaptation = adaptation(model.info.features.length);
    // Drift adaptation starts from what the model learnt, so its first retrain does not forget the warm-up.
    for (const row of featureRows) entry.adaptation?.window.push(row);
    counters.deviceModelsTrained += 1;
    const drifting = model.context?.profile.flatMap((p, j) => (p.drifting ? [sensors[j]] : [])) ?? [];
    log.info({ device, id: model.info.id, rows: rows.length, drifting, threshold: model.threshold, ms: elapsed(began) }, 'device model trained');
  };

  /** Records a row the model did not flag, and retrains when due; `swap` installs the new model. */
  const adapt = (a: Adaptation, current: AnomalyModel, row: Float64Array, isAnomaly: boolean, swap: (m: ForestModel) => void, fields: Fields): void => {
    recordReading(a, row, isAnomaly);
    const at = now();
    const decision = retrainDecision(options.retrain, a.period, a.window.size, at);
    if (decision.kind === 'wait') return;
    const { seen, flagged } = a.period;
    startPeriod(a, at);
    const share = round(decision.anomalyShare);
    if (decision.kind === 'refuse') {
      counters.refusedRetrains += 1;
      log.warn({ ...fields, seen, flagged, anomalyShare: share, maxAnomalyShare: options.retrain.maxAnomalyShare }, 'retrain refused: too many anomalies');
      return;
    }
    const began = performance.now();
    const contamination = calibratedContamination(options.contamination, decision.anomalyShare);
    // A model of raw values carries its envelope in its own statistics, which the retrain renews; a model of
    // time-context features keeps its sensor profile (the adaptive baseline follows the level by itself).
    const raw = current.info.features.join(',') === sensors.join(',');
    const request = { version: current.info.version + 1, contamination, features: current.info.features, ...(current.context && !raw ? { context: current.context } : {}) };
    const model = train(a.window.rows(), request, fields);
    if (model === undefined) return;
    swap(model);
    counters.retrains += 1;
    log.info({ ...fields, id: model.info.id, version: model.info.version, rows: a.window.size, seen, anomalyShare: share, threshold: model.threshold, ms: elapsed(began) }, 'model retrained');
  };

  const learn = (device: string, entry: DeviceEntry, model: AnomalyModel, row: Float64Array, isAnomaly: boolean): void => {
    if (entry.own !== undefined) {
      if (entry.adaptation !== undefined) adapt(entry.adaptation, entry.own, row, isAnomaly, (m) => void (entry.own = m), { device });
      return;
    }
    const global = options.global.get();
    if (!adapting || global === undefined || model !== global) return;
    if (global !== adaptedGlobal || globalAdaptation === undefined) {
      // New, or swapped in from outside (POST /model/reload): the window would hold rows the old model judged.
      globalAdaptation = adaptation(row.length)!;
      adaptedGlobal = global;
    }
    adapt(globalAdaptation, global, row, isAnomaly, (m) => options.global.set((adaptedGlobal = m)), { model: 'global' });
  };

  const process = (device: string, reading: Reading, receivedMs: number): Processed => {
    const t = reading.timestampMs ?? receivedMs;
    const resumed = silence?.heard(device, receivedMs);
    const entry = entries.get(device) ?? entries.set(device, createFor(device));
    const warming = entry.warmup !== undefined;
    const model = entry.own ?? options.global.get();
    if (warming && entry.warmup!.add(reading.values, t)) finishWarmup(device, entry);
    const context = model === undefined ? undefined : contextOf(model);
    if (model === undefined || context === undefined) {
      if (!warming) return { kind: 'rejected', code: 'model_not_ready', reason: 'no model is loaded yet' };
      // No model at all yet: the reading feeds the warm-up and is judged by its physical ranges only.
      return { kind: 'scored', result: warmingUp(reading, schema), resumed };
    }
    if (entry.context === undefined) entry.context = createContextState(settings, dims, context.plan?.depth ?? 1);
    if (entry.contextFor !== model) {
      if (entry.contextFor !== undefined) adoptModel(entry.context, settings, context.profile, model.context?.seed);
      else adoptModel(entry.context, settings, context.profile, model.context?.seed);
      entry.contextFor = model;
    }
    const open = entry.incidents.open !== undefined;
    const step = stepFor(context.plan?.names.length ?? 1);
    stepContext(settings, context, limits, entry.context, reading.values, t, open, step);
    const event = stepIncident(settings, entry.incidents, entry.context, step, t, device, sensors);
    if (event?.state === 'opened') counters.incidentsOpened += 1;
    if (event?.state === 'closed') counters.incidentsClosed += 1;
    const result = contextPrediction(reading, {
      step,
      model: context,
      info: model.info,
      schema,
      threshold: settings.threshold,
      status: warming ? 'warming_up' : 'ready',
      incidentId: entry.incidents.open?.id,
    });
    if (context.plan !== undefined) learn(device, entry, model, step.row, step.decision);
    return { kind: 'scored', result, incident: event, resumed };
  };

  return {
    process,
    tick(nowMs) {
      return silence?.due(nowMs) ?? [];
    },
    deviceModel: (device) => entries.peek(device)?.own,
    holds: (device) => entries.peek(device) !== undefined,
    stats(): DetectorStats {
      let modelsHeld = 0;
      let warmingUp = 0;
      let openIncidents = 0;
      let outOfOrder = 0;
      let bytes = 0;
      for (const [, entry] of entries.entries()) {
        if (entry.own !== undefined) modelsHeld += 1;
        if (entry.warmup !== undefined) warmingUp += 1;
        if (entry.incidents.open !== undefined) openIncidents += 1;
        if (entry.context !== undefined) {
          outOfOrder += entry.context.outOfOrder;
          bytes = stateBytes(entry.context);
        }
      }
      return {
        scope: options.scope,
        devices: entries.size,
        modelsHeld,
        warmingUp,
        ...counters,
        openIncidents,
        silentDevices: silence?.silent() ?? 0,
        outOfOrder,
        stateBytesPerDevice: bytes,
        ...(options.shared !== undefined ? { store: options.shared.stats() } : options.store ? { store: options.store.stats() } : {}),
      };
    },
    close() {
      closing ??= (async () => {
        const shared = options.shared;
        if (shared !== undefined) {
          for (const [device, entry] of entries.entries()) shared.put(device, movedOf(entry));
          await shared.idle();
          log.info({ ...shared.stats(), devices: entries.size }, 'device state saved');
          return;
        }
        const store = options.store;
        if (store === undefined) return;
        for (const [device, entry] of entries.entries()) if (entry.own !== undefined) store.save(device, entry.own as ForestModel);
        await store.idle();
        log.info({ ...store.stats() }, 'device models saved');
      })();
      return closing;
    },
  };
}

/** Closes a device's open incident from outside (shutdown); exported for the worker's final events. */
export { closeIncident, type IncidentEvent };

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

function elapsed(began: number): number {
  return Math.round((performance.now() - began) * 10) / 10;
}
