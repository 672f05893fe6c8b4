/** What eval:live prints: a table for people, then one JSON line for programs. */
import type { IncidentMetrics } from './incident-metrics.js';
import type { LiveMetrics } from './live-metrics.js';

/** Issue 9's targets for the detector on this evaluation. */
export const TARGETS = { f1: 0.95, recall_per_kind: 0.9, false_incidents_per_device_hour: 1 } as const;

export interface RunFacts {
  seconds: number;
  devices: number;
  rate: number;
  time_scale: number;
  grace_s: number;
  sent: number;
  simulated_hours: number;
  /** Detector settings eval:live changed to fit simulated time (variable -> value). */
  scaled_settings: Record<string, string>;
}

export function targetsMet(m: IncidentMetrics): boolean {
  return (
    m.f1 >= TARGETS.f1 &&
    Object.values(m.recall_by_kind).every((r) => r >= TARGETS.recall_per_kind) &&
    m.false_incidents_per_device_hour <= TARGETS.false_incidents_per_device_hour
  );
}

/** The JSON line: the per-reading figures at the top level (as before issue 9), the incident figures under `incidents`. */
export function reportJson(run: RunFacts, perReading: LiveMetrics, incidents: IncidentMetrics): string {
  return JSON.stringify({ ...run, ...perReading, incidents, targets: TARGETS, targets_met: targetsMet(incidents) });
}

export function reportTable(run: RunFacts, r: LiveMetrics, m: IncidentMetrics): string {
  const perKind = (values: Record<string, number>) =>
    Object.entries(values)
      .map(([kind, v]) => `${kind} ${v}`)
      .join(', ');
  const rows: Array<[string, string | number]> = [
    ['wall-clock seconds / time scale', `${run.seconds} / ${run.time_scale}x`],
    ['simulated hours x devices', `${run.simulated_hours} x ${run.devices} = ${m.device_hours} device-hours`],
    ['readings sent / scored', `${run.sent} / ${r.scored}`],
    ['-- incidents', ''],
    ['fault episodes (unfinished)', `${m.episodes} (${m.unfinished_episodes})`],
    ['detected / missed', `${m.detected} / ${m.missed}  (${m.missed_while_open} of them began while an earlier incident was open)`],
    ['incidents / false', `${m.incidents} / ${m.false_incidents}`],
    ['false incidents / device-hour', `${m.false_incidents_per_device_hour}  (target <= ${TARGETS.false_incidents_per_device_hour})`],
    ['  per healthy device-hour', `${m.false_incidents_per_healthy_device_hour}  (${m.healthy_device_hours} device-hours outside every episode and its grace)`],
    ['precision / recall / F1', `${m.precision} / ${m.recall} / ${m.f1}  (target F1 >= ${TARGETS.f1})`],
    ['recall by kind', `${perKind(m.recall_by_kind)}  (target >= ${TARGETS.recall_per_kind} each)`],
    ['episodes by kind', perKind(m.episodes_by_kind)],
    ['false incidents by kind', perKind(m.false_incidents_by_kind) || 'none'],
    [`delay p50 / p90 / max (sim s)`, `${m.delay_s_p50} / ${m.delay_s_p90} / ${m.delay_s_max}  (grace ${run.grace_s} s)`],
    ['delay p50 by kind (sim s)', perKind(m.delay_s_p50_by_kind)],
    ['targets met', targetsMet(m) ? 'yes' : 'no'],
    ['-- per reading (secondary)', ''],
    ['injected readings / flagged', `${r.injected} / ${r.flagged}`],
    ['precision / recall / F1', `${r.precision} / ${r.recall} / ${r.f1}`],
    ['false alarms / 1,000 normal', r.false_alarms_per_1000_normal],
    ['recall by kind', perKind(r.recall_by_kind)],
    ['delay p50 / p99 (sim ms)', `${r.delay_ms_p50} / ${r.delay_ms_p99}`],
  ];
  return rows.map(([name, value]) => `${name.padEnd(32)} ${value}`.trimEnd()).join('\n');
}
