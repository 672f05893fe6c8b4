import { loadConfig } from '../../../src/app/config.js';
import { createGenerator, FAULT_KINDS } from '../../../src/simulator/generator.js';
import { episodesFrom, incidentsFrom, type Episode, type Incident } from '../../../tools/eval/incident-inputs.js';
import { incidentMetrics, type RunWindow } from '../../../tools/eval/incident-metrics.js';
import { simulatorSettings } from '../../helpers/settings.js';

const T0 = Date.UTC(2024, 0, 1);
const s = (seconds: number) => T0 + seconds * 1000;
const iso = (seconds: number) => new Date(s(seconds)).toISOString();
/** Two devices for one simulated hour, 30 s grace. */
const run: RunWindow = { startMs: s(0), endMs: s(3600), devices: 2, graceMs: 30_000 };
const episode = (device: string, kind: string, from: number, to: number | undefined, id = `${device}#${from}`): Episode => ({
  device,
  faultId: id,
  kind,
  startMs: s(from),
  ...(to === undefined ? {} : { endMs: s(to) }),
});
const incident = (device: string, kind: string, opened: number, closed?: number): Incident => ({
  device,
  id: `${device}:${opened}`,
  kind,
  openedMs: s(opened),
  ...(closed === undefined ? {} : { closedMs: s(closed) }),
});

describe('incident metrics', () => {
  it('when an incident opens during an episode of its device, then the episode is detected with its delay', () => {
    const m = incidentMetrics([episode('a', 'flatline', 100, 200)], [incident('a', 'flatline', 112, 230)], run);
    expect(m).toMatchObject({ episodes: 1, detected: 1, missed: 0, false_incidents: 0, recall: 1, precision: 1, f1: 1, delay_s_p50: 12 });
    expect(m.recall_by_kind).toEqual({ flatline: 1 });
  });

  it('when no incident of that device opens during the episode, then it is missed, even if another device has one then', () => {
    const m = incidentMetrics([episode('a', 'slow_drift', 100, 400)], [incident('b', 'anomaly', 150, 160)], run);
    expect(m).toMatchObject({ detected: 0, missed: 1, missed_while_open: 0, recall: 0, false_incidents: 1, incidents: 1, precision: 0, f1: 0 });
    expect(m.recall_by_kind).toEqual({ slow_drift: 0 });
  });

  it('when an incident opens after a one-reading spike but within the grace period, then it counts; after it, it does not', () => {
    const spikes = [episode('a', 'spike', 100, 100), episode('b', 'spike', 100, 100)];
    const m = incidentMetrics(spikes, [incident('a', 'anomaly', 125, 140), incident('b', 'anomaly', 131, 140)], run);
    expect(m).toMatchObject({ detected: 1, missed: 1, false_incidents: 1 });
    expect(m.delay_s_max).toBe(25);
  });

  it('when an incident was already open as the episode began, then it overlaps it (not false) but does not detect it', () => {
    const m = incidentMetrics([episode('a', 'noise_increase', 100, 200)], [incident('a', 'anomaly', 90, 300)], run);
    expect(m).toMatchObject({ detected: 0, missed_while_open: 1, false_incidents: 0, precision: 1, recall: 0 });
  });

  it('when an incident overlaps no episode, then it is a false incident, counted per device-hour and by kind', () => {
    const m = incidentMetrics(
      [episode('a', 'dropout', 1000, 1100)],
      [incident('a', 'silent', 1020, 1101), incident('a', 'anomaly', 2000, 2010), incident('b', 'anomaly', 50, 60), incident('b', 'anomaly', 3000)],
      run,
    );
    expect(m).toMatchObject({ detected: 1, false_incidents: 3, incidents: 4, device_hours: 2, false_incidents_per_device_hour: 1.5, precision: 0.25 });
    // The dropout's span (100 s and the 30 s grace after it) is not time a false incident could open in.
    expect(m.healthy_device_hours).toBeCloseTo(2 - 130 / 3600, 4);
    expect(m.incidents_by_kind).toEqual({ silent: 1, anomaly: 3 });
    expect(m.false_incidents_by_kind).toEqual({ anomaly: 3 });
    expect(m.f1).toBeCloseTo(0.4, 4);
  });

  it('when an episode has no end marker (the run stopped in it), then it is left out of recall and its incidents are not false', () => {
    const m = incidentMetrics([episode('a', 'flatline', 100, 150), episode('a', 'slow_drift', 3500, undefined)], [incident('a', 'anomaly', 3590)], run);
    expect(m).toMatchObject({ episodes: 1, unfinished_episodes: 1, detected: 0, false_incidents: 0 });
  });

  it('when several episodes of several kinds are detected, then recall and delay are given per kind', () => {
    const episodes = [
      episode('a', 'flatline', 100, 200),
      episode('a', 'flatline', 500, 600),
      episode('b', 'dropout', 100, 200),
      episode('b', 'dropout', 500, 600),
    ];
    const incidents = [incident('a', 'anomaly', 110, 210), incident('b', 'silent', 104, 201), incident('b', 'silent', 506, 601)];
    const m = incidentMetrics(episodes, incidents, run);
    expect(m.recall_by_kind).toEqual({ flatline: 0.5, dropout: 1 });
    expect(m.episodes_by_kind).toEqual({ flatline: 2, dropout: 2 });
    expect(m.delay_s_p50_by_kind).toEqual({ flatline: 10, dropout: 4 });
    expect(m).toMatchObject({ detected: 3, recall: 0.75, precision: 1, delay_s_p50: 6, delay_s_p90: 10 });
  });

  it('when episode spans overlap or pass the end of the run, then healthy time counts what they cover once, within the run', () => {
    const episodes = [episode('a', 'spike', 100, 100), episode('a', 'drift', 110, 115), episode('a', 'slow_drift', 3500, 3700), episode('b', 'flatline', 0, 3600)];
    // a: spike and drift spans [100, 130] and [110, 145] cover 45 s; the slow drift 100 s up to the end; b: all of it.
    expect(incidentMetrics(episodes, [], run).healthy_device_hours).toBeCloseTo((3600 - 145) / 3600, 4);
  });

  it('when an incident opens just after a long episode ended, within the grace, then it is about that episode (not false) but does not detect it', () => {
    const m = incidentMetrics([episode('a', 'noise_increase', 100, 200)], [incident('a', 'noise', 220, 260), incident('a', 'noise', 240, 250)], {
      ...run,
      graceMs: 30_000,
    });
    expect(m).toMatchObject({ detected: 0, false_incidents: 1, incidents: 2 });
  });

  it('when nothing happens, then the figures are perfect and not NaN', () => {
    expect(incidentMetrics([], [], run)).toMatchObject({ precision: 1, recall: 1, f1: 1, false_incidents_per_device_hour: 0, delay_s_p50: 0 });
  });
});

describe('episodes and incidents from messages', () => {
  it('when markers arrive, then start and end pair up by fault id and reading markers and old messages are ignored', () => {
    const episodes = episodesFrom([
      { device: 'a', timestamp: iso(10), kind: 'flatline', fault_id: 'a#1', marker: 'start' },
      { device: 'a', timestamp: iso(11), kind: 'flatline', fault_id: 'a#1', marker: 'reading' },
      { device: 'a', timestamp: iso(12), kind: 'spike' },
      { device: 'b', timestamp: iso(20), kind: 'dropout', fault_id: 'b#1', marker: 'start' },
      { device: 'a', timestamp: iso(70), kind: 'flatline', fault_id: 'a#1', marker: 'end' },
      { device: 'a', timestamp: iso(80), kind: 'flatline', fault_id: 'a#9', marker: 'end' },
    ]);
    expect(episodes).toEqual([
      { device: 'a', faultId: 'a#1', kind: 'flatline', startMs: s(10), endMs: s(70) },
      { device: 'b', faultId: 'b#1', kind: 'dropout', startMs: s(20) },
    ]);
  });

  it('when an incident is opened, updated, closed and redelivered, then it is one incident with its opening and closing times', () => {
    const opened = { device: 'a', incident_id: 'i1', kind: 'anomaly', opened_at: iso(100), closed_at: null };
    const incidents = incidentsFrom([
      { ...opened, state: 'opened' },
      { ...opened, state: 'updated' },
      { ...opened, state: 'opened' },
      { ...opened, state: 'closed', closed_at: iso(160) },
      { device: 'b', incident_id: 'i1', kind: 'silent', state: 'opened', opened_at: s(300) },
      { device: 'b', incident_id: 'bad', kind: 'silent', state: 'opened', opened_at: 'not a time' },
    ]);
    expect(incidents).toEqual([
      { device: 'a', id: 'i1', kind: 'anomaly', openedMs: s(100), closedMs: s(160) },
      { device: 'b', id: 'i1', kind: 'silent', openedMs: s(300) },
    ]);
  });
});

describe('incident metrics on a seeded simulation', () => {
  // Two simulated hours of the default simulation (5 devices, every kind), as the simulator would publish it.
  const settings = simulatorSettings(loadConfig({}));
  const generator = createGenerator({ ...settings, originMs: T0 });
  const truth = Array.from({ length: 7200 }, (_, t) => generator.devices.flatMap((_, d) => generator.next(d, s(t)).truth)).flat();
  const episodes = episodesFrom(truth);
  const twoHours: RunWindow = { startMs: s(0), endMs: s(7200), devices: generator.devices.length, graceMs: 30_000 };
  /** An oracle detector: an incident 3 s into every finished fault it can see, closed 10 s after the fault ends. */
  const oracle = (sees: (kind: string) => boolean) =>
    episodes.filter((e) => e.endMs !== undefined && sees(e.kind)).map((e, k) => ({ device: e.device, id: `i${k}`, kind: 'anomaly', openedMs: e.startMs + 3000, closedMs: e.endMs! + 10_000 }));

  it('when every fault is caught 3 s in, then recall, precision and F1 are 1 and the delay is 3 s for every kind', () => {
    const m = incidentMetrics(episodes, oracle(() => true), twoHours);
    expect(m.episodes).toBeGreaterThan(100);
    expect(Object.keys(m.recall_by_kind).sort()).toEqual([...FAULT_KINDS].sort());
    expect(m).toMatchObject({ recall: 1, precision: 1, f1: 1, false_incidents: 0, delay_s_p50: 3, delay_s_max: 3 });
  });

  it('when flatlines are never caught and one false incident a device-hour opens in healthy time, then exactly those show', () => {
    const falseOnes = generator.devices.flatMap((device, d) =>
      [0, 1].map((h) => {
        // The first moment of each hour that no episode window of this device covers.
        let at = s(h * 3600 + d);
        while (episodes.some((e) => e.device === device.id && at >= e.startMs - 1000 && at <= (e.endMs ?? Infinity) + 31_000)) at += 1000;
        return { device: device.id, id: `false-${h}`, kind: 'anomaly', openedMs: at, closedMs: at + 500 };
      }),
    );
    const m = incidentMetrics(episodes, [...oracle((kind) => kind !== 'flatline'), ...falseOnes], twoHours);
    expect(m.recall_by_kind.flatline).toBe(0);
    expect(Object.entries(m.recall_by_kind).filter(([kind]) => kind !== 'flatline').every(([, r]) => r === 1)).toBe(true);
    expect(m).toMatchObject({ false_incidents: 10, device_hours: 10, false_incidents_per_device_hour: 1 });
  });
});
