import { deviceFromTopic, filterPrefix, scoreTopic } from '../../../src/core/topics.js';

describe('topics', () => {
  it.each([
    ['factory/sensors/line1/press-3', 'line1/press-3'],
    ['factory/sensors/press-3', 'press-3'],
    ['factory/sensors/a/b/c', 'a/b/c'],
  ])('when the topic is %s, then the device is %s', (topic, device) => {
    expect(deviceFromTopic(topic, 'factory/sensors')).toEqual({ ok: true, device });
  });

  it.each([
    ['factory/sensors', /not under/],
    ['factory/sensors/', /no device/],
    ['factory/sensors//press', /empty level/],
    ['factory/sensors/line1/', /empty level/],
    ['factory/other/line1/press', /not under/],
    ['factory/sensorsX/a', /not under/],
    ['factory/sensors/line+/a', /wildcard/],
    ['factory/sensors/x\u0000y', /control character/],
    ['factory/sensors/line1/\u001b[31mred', /control character/],
  ])('when the topic is %s, then it is rejected', (topic, reason) => {
    const result = deviceFromTopic(topic, 'factory/sensors');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it('when the sensor filter is a shared subscription, then the prefix is that of the topics the broker delivers', () => {
    // An external broker delivers `factory/sensors/...` to a `$share/<group>/factory/sensors/#` subscriber.
    const prefix = filterPrefix('$share/workers/factory/sensors/#');
    expect(prefix).toBe('factory/sensors');
    expect(deviceFromTopic('factory/sensors/line1/press-3', prefix)).toEqual({ ok: true, device: 'line1/press-3' });
  });

  it('derives prefixes and result topics', () => {
    expect(filterPrefix('factory/sensors/#')).toBe('factory/sensors');
    expect(filterPrefix('plant/#')).toBe('plant');
    expect(scoreTopic('factory/scores', 'line1/press-3')).toBe('factory/scores/line1/press-3');
  });
});
