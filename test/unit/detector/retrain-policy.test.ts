import { calibratedContamination, retrainDecision, type RetrainPolicy } from '../../../src/detector/retrain-policy.js';

const policy: RetrainPolicy = { everyReadings: 100, everyMs: 60_000, maxAnomalyShare: 0.1, minRows: 50 };
const period = (seen: number, flagged: number, startedAt = 0) => ({ seen, flagged, startedAt });

describe('retrainDecision', () => {
  it.each([
    ['fewer readings than the count and too little time', policy, period(99, 0), 200, 1000, 'wait'],
    ['the count reached', policy, period(100, 5), 200, 1000, 'retrain'],
    ['the time passed', policy, period(10, 0), 200, 60_000, 'retrain'],
    ['the time passed but no reading since', policy, period(0, 0), 200, 60_000, 'wait'],
    ['the count reached with too many anomalies', policy, period(100, 11), 200, 1000, 'refuse'],
    ['the count reached with exactly the bound of anomalies', policy, period(100, 10), 200, 1000, 'retrain'],
    ['the count reached but a small window', policy, period(100, 0), 49, 1000, 'wait'],
    ['a small window and too many anomalies', policy, period(100, 50), 10, 1000, 'refuse'],
    ['counting off', { ...policy, everyReadings: 0 }, period(10_000, 0), 200, 1000, 'wait'],
    ['time off', { ...policy, everyMs: 0 }, period(10, 0), 200, 10_000_000, 'wait'],
  ])('when %s, then %s', (_name, p, state, windowSize, now, kind) => {
    expect(retrainDecision(p, state, windowSize, now).kind).toBe(kind);
  });

  it('when it retrains or refuses, then it reports the share of anomalies', () => {
    expect(retrainDecision(policy, period(100, 5), 200, 0)).toEqual({ kind: 'retrain', anomalyShare: 0.05 });
    expect(retrainDecision(policy, period(100, 40), 200, 0)).toEqual({ kind: 'refuse', anomalyShare: 0.4 });
  });
});

describe('calibratedContamination', () => {
  it.each([
    ['no anomalies were cut from the window', 0.01, 0, 0.01],
    ['some of the expected share was cut', 0.01, 0.004, (0.01 - 0.004) / (1 - 0.004)],
    ['the whole expected share was cut', 0.01, 0.01, 0.001],
    ['more than the expected share was cut', 0.01, 0.3, 0.001],
    ['everything was flagged', 0.01, 1, 0.001],
  ])('when %s, then it is %p', (_name, contamination, share, expected) => {
    expect(calibratedContamination(contamination, share)).toBeCloseTo(expected, 12);
  });
});
