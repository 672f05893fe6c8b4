import { brokerUrl, subscriptions, type DashboardConfig } from '../../../web/dashboard/config.js';
import { createHistory } from '../../../web/dashboard/state/history.js';
import { listDevices } from '../../../web/dashboard/state/device-list.js';
import { readDeadLetter, readIncident, readScore, type ScoreMessage } from '../../../web/dashboard/state/messages.js';
import { createRateMeter } from '../../../web/dashboard/state/rate.js';
import { createStore } from '../../../web/dashboard/state/store.js';

const result = (over: Record<string, unknown> = {}, prediction: Record<string, unknown> = {}) => ({
  device: 'line1/press-1',
  topic: 'factory/sensors/line1/press-1',
  input_data: { timestamp: 1700000000000, temperature: 25, humidity: 50, vibration_rms: 0.4, note: 'text' },
  prediction: { anomaly_score: 0.4, is_anomaly: false, threshold: 0.65, isolation_score: 0.4, status: 'ready', ...prediction },
  model: { id: 'm' },
  scored_at: '2026-01-01T10:00:00.000Z',
  ...over,
});

const score = (device: string, at: number, s = 0.4, isAnomaly = false): ScoreMessage => ({
  device,
  at,
  values: new Map([['temperature', 25]]),
  score: s,
  threshold: 0.65,
  isAnomaly,
  status: 'ready',
});

const store = () => createStore({ sensors: ['temperature', 'humidity'], historyCapacity: 4, maxDevices: 3, closedKept: 2 });

describe('reading messages from the broker', () => {
  it('when a result arrives, then the numeric fields of input_data are its sensors, whatever they are named, and the timestamp is not', () => {
    const message = readScore(result(), 0)!;
    expect([...message.values.keys()]).toEqual(['temperature', 'humidity', 'vibration_rms']);
    expect(message.at).toBe(Date.parse('2026-01-01T10:00:00.000Z'));
    expect(message).toMatchObject({ device: 'line1/press-1', score: 0.4, threshold: 0.65, isAnomaly: false, status: 'ready' });
  });

  it('when an anomaly carries an explanation and z-scores, then they are kept', () => {
    const message = readScore(result({}, { is_anomaly: true, explanation: { temperature: 0.8, humidity: 0.2 }, z_scores: { temperature: 9.5 } }), 0)!;
    expect(message.explanation).toEqual({ temperature: 0.8, humidity: 0.2 });
    expect(message.zScores).toEqual({ temperature: 9.5 });
  });

  it.each([
    ['not an object', 'x'],
    ['no prediction', { device: 'd', input_data: {} }],
    ['a score that is not a number', result({}, { anomaly_score: '0.9' })],
    ['no device', result({ device: undefined })],
    ['a device name of 10,000 characters', result({ device: 'd'.repeat(10_000) })],
  ])('when a result has %s, then it is dropped', (_what, value) => {
    expect(readScore(value, 0)).toBeUndefined();
  });

  it('when an incident event arrives, then its sensors are sorted by contribution and bad states are dropped', () => {
    const incident = readIncident({ device: 'line1/p', incident_id: 'i1', state: 'opened', kind: 'anomaly', opened_at: '2026-01-01T10:00:00Z', closed_at: null, peak_score: 0.97, readings: 4, sensors: { humidity: 0.1, temperature: 0.9 } });
    expect(incident).toMatchObject({ id: 'i1', state: 'opened', kind: 'anomaly', peakScore: 0.97, readings: 4, closedAt: undefined });
    expect(incident!.sensors).toEqual([['temperature', 0.9], ['humidity', 0.1]]);
    expect(readIncident({ device: 'd', incident_id: 'i', state: 'exploded' })).toBeUndefined();
  });

  it('when a dead letter arrives, then its code, topic and reason are read', () => {
    expect(readDeadLetter({ topic: 'factory/sensors/x', code: 'invalid_json', reason: 'bad', received_at: '2026-01-01T10:00:00Z' }, 0)).toMatchObject({ code: 'invalid_json', topic: 'factory/sensors/x', reason: 'bad' });
  });
});

describe('a device history', () => {
  it('when more results arrive than it holds, then it keeps the latest in time order, with anomalies as marks and missing sensors as gaps', () => {
    const history = createHistory(3);
    for (let i = 1; i <= 5; i++) {
      const values = new Map([['temperature', i * 10]]);
      if (i !== 4) values.set('humidity', i);
      history.push({ ...score('d', i * 1000, i / 10, i === 5), values });
    }
    const columns = history.columns(['temperature', 'humidity', 'sound']);
    expect(columns.x).toEqual([3, 4, 5]);
    expect(columns.score).toEqual([0.3, 0.4, 0.5]);
    expect(columns.scoreMarks).toEqual([null, null, 0.5]);
    expect(columns.fields.get('temperature')!.values).toEqual([30, 40, 50]);
    expect(columns.fields.get('temperature')!.marks).toEqual([null, null, 50]);
    expect(columns.fields.get('humidity')!.values).toEqual([3, null, 5]);
    expect(columns.fields.get('sound')!.values).toEqual([null, null, null]);
  });
});

describe('marks on the sensor charts', () => {
  it('when an anomaly is explained, then only the sensors with a real share of it are marked', () => {
    const history = createHistory(2);
    const values = new Map([['temperature', 95], ['humidity', 50]]);
    history.push({ ...score('d', 1000, 0.98, true), values, explanation: { temperature: 0.95, humidity: 0.05 } });
    history.push({ ...score('d', 2000, 0.9, true), values });
    const columns = history.columns(['temperature', 'humidity']);
    expect(columns.fields.get('temperature')!.marks).toEqual([95, 95]);
    // Without an explanation every sensor is marked: nothing says which one it was.
    expect(columns.fields.get('humidity')!.marks).toEqual([null, 50]);
  });
});

describe('the page store', () => {
  it('when results carry sensors that are not configured, then they are added after the configured ones', () => {
    const s = store();
    s.onScore({ ...score('a', 1), values: new Map([['pressure', 3], ['temperature', 20]]) }, 1);
    expect(s.fields).toEqual(['temperature', 'humidity', 'pressure']);
  });

  it('when a result arrives twice or late, then it is not drawn again', () => {
    const s = store();
    s.onScore(score('a', 2000), 1);
    s.onScore(score('a', 1000), 2);
    expect(s.devices.get('a')!.readings).toBe(1);
  });

  it('when more devices report than it keeps, then the one silent longest is forgotten', () => {
    const s = store();
    ['a', 'b', 'c', 'd'].forEach((id, i) => s.onScore(score(id, 1000), i));
    expect([...s.devices.keys()].sort()).toEqual(['b', 'c', 'd']);
  });

  it('when incidents open, update and close, then open ones are listed (silent first) and closed ones move to the recent list once', () => {
    const s = store();
    const event = (id: string, device: string, kind: string, state: 'opened' | 'updated' | 'closed', peak = 0.9) =>
      s.onIncident({ id, device, kind, state, openedAt: 1, closedAt: state === 'closed' ? 5 : undefined, peakScore: peak, readings: 1, sensors: [] }, 10);
    event('1', 'a', 'anomaly', 'opened', 0.95);
    event('2', 'b', 'silent', 'opened', 0);
    event('1', 'a', 'anomaly', 'updated', 0.99);
    expect(s.openIncidents().map((i) => i.id)).toEqual(['2', '1']);
    expect(s.incidentOf('a')?.peakScore).toBe(0.99);
    event('1', 'a', 'anomaly', 'closed');
    event('1', 'a', 'anomaly', 'closed'); // the retained state again, after a reconnect
    expect(s.openIncidents().map((i) => i.id)).toEqual(['2']);
    expect(s.closedIncidents().map((i) => i.id)).toEqual(['1']);
    // An "opened" arriving after its close (a retained state, out of order) does not reopen it.
    event('1', 'a', 'anomaly', 'opened');
    expect(s.incidentOf('a')).toBeUndefined();
  });

  it('when the worker status changes, then the store says so', () => {
    const s = store();
    expect(s.worker).toBe('unknown');
    s.onWorkerStatus('online');
    expect(s.worker).toBe('online');
    s.onWorkerStatus('offline');
    expect(s.worker).toBe('offline');
  });
});

describe('the device list', () => {
  it('when searched, then every word must match part of the id, and devices with an incident or a recent anomaly come first', () => {
    const s = createStore({ sensors: [], historyCapacity: 2, maxDevices: 100, closedKept: 2 });
    for (const id of ['line1/press-2', 'line1/press-10', 'line2/press-1', 'line2/oven-1', 'line1/oven-3']) s.onScore(score(id, 1000), 1000);
    s.onScore(score('line1/oven-3', 2000, 0.9, true), 2000);
    s.onIncident({ id: 'i', device: 'line2/oven-1', kind: 'anomaly', state: 'opened', openedAt: 1, closedAt: undefined, peakScore: 1, readings: 1, sensors: [] }, 2000);
    expect(listDevices(s, '', 3000).map((d) => d.id)).toEqual(['line2/oven-1', 'line1/oven-3', 'line1/press-2', 'line1/press-10', 'line2/press-1']);
    expect(listDevices(s, 'LINE1 press', 3000).map((d) => d.id)).toEqual(['line1/press-2', 'line1/press-10']);
    // A minute later the anomaly no longer lifts its device.
    expect(listDevices(s, 'line1', 2000 + 61_000).map((d) => d.id)).toEqual(['line1/oven-3', 'line1/press-2', 'line1/press-10']);
  });
});

describe('rates and settings', () => {
  it('when events are counted, then the rate is per second over whole seconds', () => {
    const meter = createRateMeter(10);
    for (let i = 0; i < 50; i++) meter.count(10_000 + i * 100); // 10 per second for 5 s
    expect(meter.rate(12_000)).toBe(10);
    // Five whole seconds of 10 per second: the rate is 10, not diluted over the ten-second window.
    expect(meter.rate(15_000)).toBe(10);
    expect(meter.rate(40_000)).toBe(0);
  });

  const config: DashboardConfig = {
    title: 't',
    mqtt: { port: 8083 },
    login: 'unknown',
    topics: { scores: 'factory/scores', anomalies: 'factory/anomalies', incidents: 'factory/incidents', status: 'factory/status/worker', errors: 'factory/errors' },
    sensors: [],
  };

  it.each([
    [{ port: 8083 }, 'http:', 'plant-pc', 'ws://plant-pc:8083'],
    [{ port: 8083 }, 'https:', 'plant-pc', 'wss://plant-pc:8083'],
    [{ port: 9001 }, 'http:', '::1', 'ws://[::1]:9001'],
    [{ url: 'wss://broker.plant:443/mqtt', port: 8083 }, 'http:', 'x', 'wss://broker.plant:443/mqtt'],
  ])('when the broker is %j and the page is %s//%s, then the page connects to %s', (mqtt, protocol, hostname, expected) => {
    expect(brokerUrl({ ...config, mqtt }, { protocol, hostname })).toBe(expected);
  });

  it('when scores are off, then the page reads anomalies instead', () => {
    expect(subscriptions(config)).toEqual(['factory/scores/#', 'factory/incidents/#', 'factory/status/worker', 'factory/errors']);
    const { scores: _scores, ...topics } = config.topics;
    expect(subscriptions({ ...config, topics })[0]).toBe('factory/anomalies');
  });
});
