import { incidentMetrics } from '../../../tools/eval/incident-metrics.js';
import { liveMetrics } from '../../../tools/eval/live-metrics.js';
import { incidentsSeenBy, readingTruth, silentOnObserverClock, type ObservedIncidentEvent } from '../../../tools/eval/live-observer.js';
import { reportJson, reportTable, targetsMet } from '../../../tools/eval/live-report.js';

const run = { seconds: 60, devices: 2, rate: 1, time_scale: 20, grace_s: 30, sent: 2400, simulated_hours: 0.3333, scaled_settings: {} };
const hour = { startMs: 0, endMs: 3_600_000, devices: 1, graceMs: 30_000 };
const episode = (kind: string, from: number) => ({ device: 'a', faultId: `a#${from}`, kind, startMs: from * 1000, endMs: (from + 60) * 1000 });
const opened = (from: number) => ({ device: 'a', id: `i${from}`, kind: 'anomaly', openedMs: from * 1000, closedMs: (from + 60) * 1000 });

describe('eval:live report', () => {
  it('when every kind is caught and false incidents stay under one per device-hour, then the targets are met', () => {
    const episodes = Array.from({ length: 20 }, (_, k) => episode(k % 2 === 0 ? 'flatline' : 'dropout', 100 + k * 150));
    const m = incidentMetrics(episodes, episodes.map((e) => opened(e.startMs / 1000 + 5)), hour);
    expect(targetsMet(m)).toBe(true);
  });

  it('when one kind is caught less than 90 % of the time, then the targets are not met even with a high F1', () => {
    const episodes = Array.from({ length: 40 }, (_, k) => episode(k < 30 ? 'flatline' : 'dropout', 100 + k * 80));
    // Every flatline and 8 of 10 dropouts: recall 0.95, precision 1, F1 0.97, dropout recall 0.8.
    const caught = episodes.filter((e, k) => e.kind === 'flatline' || k < 38);
    const m = incidentMetrics(episodes, caught.map((e) => opened(e.startMs / 1000 + 5)), hour);
    expect(m.f1).toBeGreaterThan(0.95);
    expect(targetsMet(m)).toBe(false);
  });

  it('when there are two false incidents in one device-hour, then the targets are not met', () => {
    const m = incidentMetrics([episode('flatline', 100)], [opened(105), opened(1000), opened(2000)], hour);
    expect(m.false_incidents_per_device_hour).toBe(2);
    expect(targetsMet(m)).toBe(false);
  });

  it('then the JSON keeps the per-reading figures at the top level and adds the incident figures', () => {
    const perReading = liveMetrics(100, [], []);
    const json = JSON.parse(reportJson(run, perReading, incidentMetrics([], [], hour))) as Record<string, unknown>;
    for (const key of ['seconds', 'devices', 'rate', 'sent', 'scored', 'precision', 'recall', 'f1', 'recall_by_kind', 'false_alarms_per_1000_normal', 'delay_ms_p50']) {
      expect(json).toHaveProperty(key);
    }
    expect(json.incidents).toMatchObject({ f1: 1, false_incidents_per_device_hour: 0, recall_by_kind: {} });
    expect(json).toMatchObject({ time_scale: 20, targets: { f1: 0.95, recall_per_kind: 0.9, false_incidents_per_device_hour: 1 }, targets_met: true });
    expect(reportTable(run, perReading, incidentMetrics([], [], hour))).toMatch(/false incidents \/ device-hour\s+0/);
  });
});

describe('eval:live observations', () => {
  const event = (device: string, id: string, state: string, observedMs: number): ObservedIncidentEvent => ({
    device,
    incident_id: id,
    state,
    kind: 'silent',
    opened_at: 0,
    observedMs,
  });

  it('when incidents are first seen after the run ended, then all their events are left out, and earlier incidents keep theirs', () => {
    const events = [event('a', '1', 'opened', 100), event('b', '2', 'opened', 300), event('a', '1', 'closed', 400), event('b', '2', 'closed', 500)];
    expect(incidentsSeenBy(events, 200)).toEqual([events[0], events[2]]);
  });

  it('when an incident is silent, then it opens and closes where the observer saw it, and other incidents keep their own times', () => {
    const silent = (state: string, observedMs: number): ObservedIncidentEvent => ({
      device: 'a',
      incident_id: 'a#silent-1',
      state,
      kind: 'silent',
      opened_at: '2024-01-01T00:00:00.000Z',
      closed_at: state === 'closed' ? '2024-01-01T00:00:05.000Z' : null,
      observedMs,
    });
    const anomaly: ObservedIncidentEvent = { device: 'a', incident_id: 'a#1', state: 'opened', kind: 'flatline', opened_at: 'T', closed_at: null, observedMs: 9 };
    expect(silentOnObserverClock([silent('opened', 1000), anomaly, silent('closed', 4000)])).toEqual([
      { ...silent('opened', 1000), opened_at: 1000, closed_at: null },
      anomaly,
      { ...silent('closed', 4000), opened_at: 1000, closed_at: 4000 },
    ]);
  });

  it('when ground truth holds markers, then only reading markers (and messages from before markers) are per-reading truth', () => {
    const truth = [
      { device: 'a', timestamp: 't1', kind: 'spike' },
      { device: 'a', timestamp: 't2', kind: 'flatline', fault_id: 'a#1', marker: 'start' },
      { device: 'a', timestamp: 't2', kind: 'flatline', fault_id: 'a#1', marker: 'reading' },
      { device: 'a', timestamp: 't3', kind: 'flatline', fault_id: 'a#1', marker: 'end' },
    ];
    expect(readingTruth(truth)).toEqual([truth[0], truth[2]]);
  });
});
