import { CHECKS } from './checks.js';
import { elapsed } from './duration.js';
import type { DetectorSettings } from './settings.js';
import { quietFor, recentAnomalies, type StepResult } from './step.js';
import type { ContextState } from './state.js';

/**
 * Incidents instead of alert storms: per device, an incident opens when the
 * evidence is strong enough (k of the last n readings anomalous, or one reading
 * at `extreme` or above), is updated when evidence sets in anew, and closes
 * after a quiet period without an anomalous reading. All in event time.
 * Evidence sets in anew when a check speaks that had not spoken in this
 * incident, or speaks again after being quiet for the quiet period, or leads
 * the score for the first time (a new kind), or a new sensor joins; for the range checks (record, seasonal), when a record is set
 * outside an excursion already reported (the excursion lasts while readings
 * stay beyond the range). A check flickering around its limit is not news.
 */
export type IncidentKind = (typeof CHECKS)[number] | 'silent';

export interface OpenIncident {
  readonly id: string;
  readonly kind: IncidentKind;
  readonly openedAt: number;
  peak: number;
  readings: number;
  /** Checks that drove a reading's score during the incident (bit per CHECKS index): the event's `kinds`. */
  checks: number;
  /** Checks past the threshold at any reading of the incident, leading or not (bit per CHECKS index): what is no longer news. */
  spoke: number;
  /** Per sensor, its strongest evidence during the incident. */
  readonly sensors: Float64Array;
}

export interface IncidentState {
  open: OpenIncident | undefined;
  /** Checks past the threshold on the previous reading (bit per CHECKS index). */
  active: number;
  /** Range checks whose reported excursion is still going on (bit per CHECKS index). */
  excursions: number;
  /** Per check, the event time and reading count when it last spoke. */
  readonly spokeT: Float64Array;
  readonly spokeReading: Float64Array;
  /** Incidents opened so far on this device: the id's sequence number. */
  count: number;
  closedAt: number;
}

export function createIncidentState(): IncidentState {
  return {
    open: undefined,
    active: 0,
    excursions: 0,
    spokeT: new Float64Array(CHECKS.length).fill(-Infinity),
    spokeReading: new Float64Array(CHECKS.length).fill(-Infinity),
    count: 0,
    closedAt: -Infinity,
  };
}

export interface IncidentEvent {
  device: string;
  incident_id: string;
  state: 'opened' | 'updated' | 'closed';
  kind: IncidentKind;
  /** Every check that spoke during the incident. */
  kinds: IncidentKind[];
  opened_at: string;
  closed_at: string | null;
  peak_score: number;
  readings: number;
  /** The sensors that contributed, with their strongest calibrated evidence. */
  sensors: Record<string, number>;
}

/** Opens, updates or closes the device's incident after a reading; returns the event to publish, if any. */
export function stepIncident(
  settings: DetectorSettings,
  incidents: IncidentState,
  context: ContextState,
  out: StepResult,
  t: number,
  device: string,
  sensors: readonly string[],
): IncidentEvent | undefined {
  const open = incidents.open;
  const renewed = renewedChecks(settings, incidents, out, t, context.readings);
  if (open === undefined) {
    const strong = recentAnomalies(context) >= settings.incident.openK || out.score >= settings.incident.extreme;
    if (!out.decision || !strong || t - incidents.closedAt < cooldownMs(settings)) return undefined;
    incidents.count++;
    const kind = out.topCheck >= 0 ? CHECKS[out.topCheck]! : 'pattern';
    const opened: OpenIncident = { id: `${device}#${incidents.count}`, kind, openedAt: t, peak: 0, readings: 0, checks: 0, spoke: incidents.active, sensors: new Float64Array(sensors.length) };
    incidents.open = opened;
    absorb(opened, out);
    return event(device, opened, 'opened', undefined, sensors);
  }
  if (out.decision) {
    const sensorsBefore = countSet(open.sensors);
    const kindsBefore = open.checks;
    const news = renewed !== 0;
    absorb(open, out);
    // News: a check speaks anew, a check leads the score for the first time (a new kind), a sensor joins.
    const joined = countSet(open.sensors) !== sensorsBefore || open.checks !== kindsBefore;
    return news || joined ? event(device, open, 'updated', undefined, sensors) : undefined;
  }
  open.readings++;
  if (!quietFor(settings, context)) return undefined;
  incidents.open = undefined;
  incidents.closedAt = t;
  return event(device, open, 'closed', t, sensors);
}

/** Closes an open incident from outside (a silent device, shutdown); returns the event. */
export function closeIncident(incidents: IncidentState, t: number, device: string, sensors: readonly string[]): IncidentEvent | undefined {
  const open = incidents.open;
  if (open === undefined) return undefined;
  incidents.open = undefined;
  incidents.closedAt = t;
  return event(device, open, 'closed', t, sensors);
}

function cooldownMs(settings: DetectorSettings): number {
  return settings.incident.cooldown.ms ?? 0;
}

function absorb(incident: OpenIncident, out: StepResult): void {
  incident.readings++;
  if (out.score > incident.peak) incident.peak = out.score;
  for (let c = 0; c < out.checks.length; c++) if (out.checks[c]! >= out.score * 0.999 && out.checks[c]! > 0) incident.checks |= 1 << c;
  for (let j = 0; j < out.bySensor.length; j++) {
    // A sensor joins when its own evidence is past the threshold's share of the reading's score.
    if (out.bySensor[j]! > incident.sensors[j]! && out.bySensor[j]! >= out.score * 0.5) incident.sensors[j] = out.bySensor[j]!;
  }
}

/** The range checks: their news is a record, not an onset. */
const RANGE_CHECKS = (1 << CHECKS.indexOf('record')) | (1 << CHECKS.indexOf('seasonal'));

/**
 * Checks whose speaking now is news (see the top): bit per CHECKS index. Updates each check's
 * last-spoke time and the previous reading's active set.
 */
function renewedChecks(settings: DetectorSettings, incidents: IncidentState, out: StepResult, t: number, reading: number): number {
  const open = incidents.open;
  // A range check's excursion closes at the first reading back inside its range; a record outside one is news.
  incidents.excursions &= out.novel;
  const records = out.records & ~incidents.excursions & RANGE_CHECKS;
  incidents.excursions |= records;
  let renewed = records;
  let active = 0;
  for (let c = 0; c < out.checks.length; c++) {
    if (out.checks[c]! < settings.threshold) continue;
    active |= 1 << c;
    if ((RANGE_CHECKS & (1 << c)) === 0) {
      const quietSince = elapsed(settings.incident.quiet, t - incidents.spokeT[c]!, reading - incidents.spokeReading[c]!);
      const onset = (incidents.active & (1 << c)) === 0;
      const fresh = open !== undefined && (open.spoke & (1 << c)) === 0;
      if (fresh || (onset && quietSince)) renewed |= 1 << c;
    }
    incidents.spokeT[c] = t;
    incidents.spokeReading[c] = reading;
  }
  incidents.active = active;
  if (open !== undefined) open.spoke |= active;
  return renewed;
}

function countSet(values: Float64Array): number {
  let n = 0;
  for (const v of values) if (v > 0) n++;
  return n;
}

export function event(device: string, incident: OpenIncident, state: IncidentEvent['state'], closedAt: number | undefined, sensors: readonly string[]): IncidentEvent {
  const contributing: Record<string, number> = {};
  incident.sensors.forEach((v, j) => {
    if (v > 0) contributing[sensors[j]!] = round(v);
  });
  const kinds = CHECKS.filter((_, c) => (incident.checks & (1 << c)) !== 0) as IncidentKind[];
  return {
    device,
    incident_id: incident.id,
    state,
    kind: incident.kind,
    kinds: kinds.length > 0 ? kinds : [incident.kind],
    opened_at: new Date(incident.openedAt).toISOString(),
    closed_at: closedAt === undefined ? null : new Date(closedAt).toISOString(),
    peak_score: round(incident.peak),
    readings: incident.readings,
    sensors: contributing,
  };
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
