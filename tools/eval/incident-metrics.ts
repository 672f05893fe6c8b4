/**
 * Live detection quality on incidents: the incidents the worker opened
 * (factory/incidents) against the fault episodes the simulator injected
 * (start and end markers on factory/simulator/injected). Pure; the I/O is in
 * eval-live.ts. All times are simulated (event) time, epoch ms.
 *
 * - An episode is detected when an incident of its device opens inside its
 *   detection window: from its start to its end, or to start + grace when that
 *   is later (a one-reading spike still gets `grace` to be noticed).
 * - An incident is about an episode when it overlaps the episode's span, from
 *   its start to `grace` after its end: evidence built from recent readings
 *   outlasts the fault by a little (a rolling window still holds its readings).
 *   An incident about no episode of its device is a false incident.
 * - An episode the run stopped in the middle of (no end marker) is left out of
 *   recall, and incidents overlapping it are not false.
 */
import { percentile } from './live-metrics.js';
import type { Episode, Incident } from './incident-inputs.js';

export interface RunWindow {
  /** Simulated time the run covers. */
  startMs: number;
  endMs: number;
  devices: number;
  /** How long after an episode's start an incident still counts as detecting it. */
  graceMs: number;
}

export interface IncidentMetrics {
  episodes: number;
  unfinished_episodes: number;
  detected: number;
  missed: number;
  /** Missed episodes that began while an incident of their device, opened earlier, was still open. */
  missed_while_open: number;
  incidents: number;
  false_incidents: number;
  device_hours: number;
  false_incidents_per_device_hour: number;
  /** Device-hours outside every episode's span: the only time a false incident can open in. */
  healthy_device_hours: number;
  false_incidents_per_healthy_device_hour: number;
  precision: number;
  recall: number;
  f1: number;
  recall_by_kind: Record<string, number>;
  episodes_by_kind: Record<string, number>;
  /** Incidents by the kind the detector gave them, and the false ones among them. */
  incidents_by_kind: Record<string, number>;
  false_incidents_by_kind: Record<string, number>;
  /** From an episode's start to the opening of the incident that detected it, simulated seconds. */
  delay_s_p50: number;
  delay_s_p90: number;
  delay_s_max: number;
  delay_s_p50_by_kind: Record<string, number>;
}

export function incidentMetrics(episodes: readonly Episode[], incidents: readonly Incident[], run: RunWindow): IncidentMetrics {
  const window = (e: Episode): [number, number] => [e.startMs, Math.max(e.endMs ?? run.endMs, e.startMs + run.graceMs)];
  const span = (e: Episode): [number, number] => [e.startMs, (e.endMs ?? run.endMs) + run.graceMs];
  const byDevice = groupBy(episodes, (e) => e.device);
  const finished = episodes.filter((e) => e.endMs !== undefined);

  const delays: Array<{ kind: string; seconds: number }> = [];
  const detectedByKind: Record<string, number> = {};
  let missedWhileOpen = 0;
  for (const e of finished) {
    const [from, to] = window(e);
    const ofDevice = incidents.filter((i) => i.device === e.device);
    const openings = ofDevice.filter((i) => i.openedMs >= from && i.openedMs <= to).map((i) => i.openedMs);
    if (openings.length === 0) {
      if (ofDevice.some((i) => i.openedMs < from && (i.closedMs ?? Infinity) >= from)) missedWhileOpen += 1;
      continue;
    }
    detectedByKind[e.kind] = (detectedByKind[e.kind] ?? 0) + 1;
    delays.push({ kind: e.kind, seconds: (Math.min(...openings) - e.startMs) / 1000 });
  }

  const isFalse = (i: Incident) =>
    !(byDevice.get(i.device) ?? []).some((e) => {
      const [from, to] = span(e);
      return i.openedMs <= to && (i.closedMs ?? Infinity) >= from;
    });
  const falses = incidents.filter(isFalse);

  const detected = delays.length;
  const precision = incidents.length === 0 ? 1 : (incidents.length - falses.length) / incidents.length;
  const recall = finished.length === 0 ? 1 : detected / finished.length;
  const deviceHours = (run.devices * Math.max(0, run.endMs - run.startMs)) / 3_600_000;
  const faultyHours = [...byDevice.values()].reduce((sum, es) => sum + coveredMs(es.map(span), run), 0) / 3_600_000;
  const healthyHours = Math.max(0, deviceHours - faultyHours);
  const episodesByKind = countBy(finished, (e) => e.kind);
  const seconds = delays.map((d) => d.seconds);
  return {
    episodes: finished.length,
    unfinished_episodes: episodes.length - finished.length,
    detected,
    missed: finished.length - detected,
    missed_while_open: missedWhileOpen,
    incidents: incidents.length,
    false_incidents: falses.length,
    device_hours: round(deviceHours),
    false_incidents_per_device_hour: round(deviceHours === 0 ? 0 : falses.length / deviceHours),
    healthy_device_hours: round(healthyHours),
    false_incidents_per_healthy_device_hour: round(healthyHours === 0 ? 0 : falses.length / healthyHours),
    precision: round(precision),
    recall: round(recall),
    f1: round(precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall)),
    recall_by_kind: Object.fromEntries(Object.entries(episodesByKind).map(([kind, n]) => [kind, round((detectedByKind[kind] ?? 0) / n)])),
    episodes_by_kind: episodesByKind,
    incidents_by_kind: countBy(incidents, (i) => i.kind),
    false_incidents_by_kind: countBy(falses, (i) => i.kind),
    delay_s_p50: percentile(seconds, 0.5),
    delay_s_p90: percentile(seconds, 0.9),
    delay_s_max: round(seconds.length === 0 ? 0 : Math.max(...seconds)),
    delay_s_p50_by_kind: Object.fromEntries(
      [...groupBy(delays, (d) => d.kind)].map(([kind, ds]) => [kind, percentile(ds.map((d) => d.seconds), 0.5)]),
    ),
  };
}

/** How much of the run the intervals cover together (overlaps counted once). */
function coveredMs(intervals: Array<[number, number]>, run: RunWindow): number {
  let covered = 0;
  let reach = run.startMs;
  for (const [from, to] of [...intervals].sort((a, b) => a[0] - b[0])) {
    const start = Math.max(from, reach);
    const end = Math.min(to, run.endMs);
    if (end > start) covered += end - start;
    reach = Math.max(reach, end);
  }
  return covered;
}

/** Map.groupBy, which Node 20 lacks. */
export function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  return Object.fromEntries([...groupBy(items, key)].map(([k, group]) => [k, group.length]));
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
