import type { IncidentEventSummary, PipelineObserver } from '../../core/observer.js';
import { createLabelLimiter, lineOf } from './label-limiter.js';
import type { Sample } from './mirror.js';

/** Where the worker publishes, to count acknowledged publishes by what they carried. */
export interface PublishedTopics {
  /** Prefix of per-device results; undefined when they are off. */
  readonly scores?: string | undefined;
  readonly anomalies: string;
  readonly errors: string;
  readonly status: string;
  /** Incident events; the per-device retained states sit under it. */
  readonly incidents?: string | undefined;
}

export type PublishKind = 'score' | 'anomaly' | 'dead_letter' | 'status' | 'incident' | 'other';

export interface PipelineObserverOptions {
  topics: PublishedTopics;
  /** Label per device as well as per line (one series per device). */
  deviceLabels: boolean;
  /** Distinct values kept per label before the rest share `other`. */
  maxLabelValues: number;
  /** Kinds shown as 0 open incidents before the first one. */
  incidentKinds?: readonly string[];
  scoringSeconds: { observe(seconds: number): void };
  resultSeconds: { observe(seconds: number): void };
}

/** The observer and the counts it keeps, read by the metrics at scrape time. */
export interface ObservedCounts {
  readonly observer: PipelineObserver;
  /** `{line[, device]}` label sets with their scored readings. */
  scored(): Sample[];
  anomalies(): Sample[];
  published(): Sample[];
  incidentsOpened(): Sample[];
  incidentsClosed(): Sample[];
  /** Open incidents by kind. */
  incidentsOpen(): Sample[];
}

interface Cell {
  readonly labels: Record<string, string>;
  scored: number;
  anomalies: number;
}

/**
 * The hot-path side of the metrics: plain numbers bumped per reading, in
 * cells per line (or per device when configured), label values bounded.
 */
export function createObservedCounts(o: PipelineObserverOptions): ObservedCounts {
  const limitKey = createLabelLimiter(o.maxLabelValues);
  const limitKind = createLabelLimiter(32);
  const cells = new Map<string, Cell>();
  const cellOf = (device: string): Cell => {
    const key = limitKey(o.deviceLabels ? device : lineOf(device));
    let cell = cells.get(key);
    if (cell === undefined) {
      const labels: Record<string, string> = o.deviceLabels ? { line: key === device ? lineOf(device) : key, device: key } : { line: key };
      cell = { labels, scored: 0, anomalies: 0 };
      cells.set(key, cell);
    }
    return cell;
  };
  const published: Record<PublishKind, number> = { score: 0, anomaly: 0, dead_letter: 0, status: 0, incident: 0, other: 0 };
  const kindOf = publishKinds(o.topics);
  const opened = new Map<string, { labels: Record<string, string>; count: number }>();
  const closed = new Map<string, { labels: Record<string, string>; count: number }>();
  /** Open incidents: id -> kind. Bounded by the devices with an open incident (one each), capped against lost closes. */
  const open = new Map<string, string>();
  const MAX_OPEN = 100_000;

  const bump = (map: typeof opened, event: IncidentEventSummary) => {
    const kind = limitKind(event.kind);
    const line = limitKey(lineOf(event.device));
    const key = `${kind}\u0000${line}`;
    const entry = map.get(key) ?? { labels: { kind, line }, count: 0 };
    entry.count += 1;
    map.set(key, entry);
  };

  const observer: PipelineObserver = {
    scored(device, seconds, isAnomaly) {
      o.scoringSeconds.observe(seconds);
      const cell = cellOf(device);
      cell.scored += 1;
      if (isAnomaly) cell.anomalies += 1;
    },
    published(topic, sinceReceivedSeconds) {
      published[kindOf(topic)] += 1;
      if (sinceReceivedSeconds !== undefined) o.resultSeconds.observe(sinceReceivedSeconds);
    },
    incident(event) {
      if (event.state === 'opened') {
        bump(opened, event);
        if (open.size < MAX_OPEN) open.set(event.incident_id, limitKind(event.kind));
      } else if (event.state === 'closed') {
        bump(closed, event);
        open.delete(event.incident_id);
      }
    },
  };

  const counted = (map: typeof opened): Sample[] => [...map.values()].map((e) => [e.labels, e.count] as const);
  return {
    observer,
    scored: () => [...cells.values()].map((c) => [c.labels, c.scored] as const),
    anomalies: () => [...cells.values()].map((c) => [c.labels, c.anomalies] as const),
    published: () => Object.entries(published).map(([kind, n]) => [{ kind }, n] as const),
    incidentsOpened: () => counted(opened),
    incidentsClosed: () => counted(closed),
    incidentsOpen: () => {
      const byKind = new Map<string, number>(o.incidentKinds?.map((kind) => [kind, 0]));
      for (const kind of open.values()) byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
      return [...byKind].map(([kind, n]) => [{ kind }, n] as const);
    },
  };
}

/** Topic -> what it carries; exact topics first, then the prefixes. */
export function publishKinds(topics: PublishedTopics): (topic: string) => PublishKind {
  const exact = new Map<string, PublishKind>([
    [topics.anomalies, 'anomaly'],
    [topics.errors, 'dead_letter'],
    [topics.status, 'status'],
  ]);
  if (topics.incidents !== undefined) exact.set(topics.incidents, 'incident');
  const prefixes: Array<[string, PublishKind]> = [];
  if (topics.scores !== undefined) prefixes.push([`${topics.scores}/`, 'score']);
  if (topics.incidents !== undefined) prefixes.push([`${topics.incidents}/`, 'incident']);
  return (topic) => {
    const kind = exact.get(topic);
    if (kind !== undefined) return kind;
    for (const [prefix, k] of prefixes) if (topic.startsWith(prefix)) return k;
    return 'other';
  };
}
