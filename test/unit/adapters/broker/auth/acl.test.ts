import { createAcl, DEFAULT_ACL_TOPICS, type Action, type Role } from '../../../../../src/adapters/broker/auth/acl.js';

const acl = createAcl();
const as = (role: Role, username = 'press-1') => ({ role, username });

type Row = [Role, Action, string, boolean];

/** Each role × action, with topics it may and may not use; the device is `press-1`. */
const table: Row[] = [
  ['device', 'publish', 'factory/sensors/press-1', true],
  ['device', 'publish', 'factory/sensors/press-1/temperature', true],
  ['device', 'publish', 'factory/sensors/press-2/temperature', false],
  ['device', 'publish', 'factory/sensors/line1/press-1', false],
  ['device', 'publish', 'factory/anomalies', false],
  ['device', 'subscribe', 'factory/sensors/press-1/#', false],
  ['device', 'subscribe', 'factory/anomalies', false],

  ['simulator', 'publish', 'factory/sensors/line1/press-1', true],
  ['simulator', 'publish', 'factory/simulator/injected', true],
  ['simulator', 'publish', 'factory/anomalies', false],
  ['simulator', 'subscribe', 'factory/sensors/#', false],

  ['worker', 'subscribe', 'factory/sensors/#', true],
  ['worker', 'subscribe', 'factory/sensors/line1/+', true],
  ['worker', 'subscribe', '$share/workers/factory/sensors/#', true],
  ['worker', 'subscribe', 'factory/#', false],
  ['worker', 'subscribe', '#', false],
  ['worker', 'subscribe', '$share/workers/factory/#', false],
  ['worker', 'subscribe', '$share//factory/sensors/#', false],
  ['worker', 'subscribe', 'factory/anomalies', false],
  ['worker', 'publish', 'factory/anomalies', true],
  ['worker', 'publish', 'factory/scores/line1/press-1', true],
  ['worker', 'publish', 'factory/errors', true],
  ['worker', 'publish', 'factory/status/worker', true],
  ['worker', 'publish', 'factory/sensors/line1/press-1', false],
  ['worker', 'publish', 'factory/simulator/injected', false],

  ['viewer', 'subscribe', 'factory/anomalies', true],
  ['viewer', 'subscribe', 'factory/scores/#', true],
  ['viewer', 'subscribe', 'factory/scores/line1/+', true],
  ['viewer', 'subscribe', 'factory/errors', true],
  ['viewer', 'subscribe', 'factory/status/#', true],
  ['viewer', 'subscribe', 'factory/simulator/#', true],
  ['viewer', 'subscribe', 'factory/sensors/#', false],
  ['viewer', 'subscribe', 'factory/+', false],
  ['viewer', 'subscribe', '#', false],
  ['viewer', 'subscribe', '$SYS/#', false],
  ['viewer', 'publish', 'factory/anomalies', false],

  ['admin', 'subscribe', '#', true],
  ['admin', 'subscribe', '$SYS/#', true],
  ['admin', 'subscribe', 'factory/sensors/#', true],
  ['admin', 'publish', 'factory/sensors/line1/press-1', true],
  ['admin', 'publish', 'anything/at/all', true],
  ['admin', 'publish', '$SYS/broker/fake', false],
];

describe('ACL', () => {
  it.each(table)('%s %s %s -> %s', (role, action, topic, allowed) => {
    expect(acl.allows(as(role), action, topic)).toBe(allowed);
  });

  it.each(['worker', 'viewer', 'device', 'simulator'] as Role[])('only admin may subscribe to $SYS: %s may not', (role) => {
    expect(acl.allows(as(role), 'subscribe', '$SYS/#')).toBe(false);
    expect(acl.allows(as(role), 'subscribe', '$SYS/broker/heartbeat')).toBe(false);
  });

  it.each(['', 'a/b', '+', '#', 'x\u0000'])('when a device user name is not a plain topic level (%j), then it may publish nowhere', (username) => {
    expect(acl.allows(as('device', username), 'publish', `factory/sensors/${username}/x`)).toBe(false);
    expect(acl.allows(as('device', username), 'publish', 'factory/sensors/anything')).toBe(false);
  });

  it('when the device pattern is configured, then devices publish where it says', () => {
    const custom = createAcl({ ...DEFAULT_ACL_TOPICS, devicePattern: 'factory/sensors/+/{username}' });
    expect(custom.allows(as('device'), 'publish', 'factory/sensors/line1/press-1')).toBe(true);
    expect(custom.allows(as('device'), 'publish', 'factory/sensors/line1/press-2')).toBe(false);
    expect(custom.allows(as('device'), 'publish', 'factory/sensors/press-1/x')).toBe(false);
  });

  it('when the topics are renamed, then the rules follow them', () => {
    const custom = createAcl({ sensors: 'plant/in/#', devicePattern: 'plant/in/{username}/#', results: ['plant/out/#'], simulator: 'plant/sim/#' });
    expect(custom.allows(as('worker'), 'subscribe', 'plant/in/#')).toBe(true);
    expect(custom.allows(as('worker'), 'publish', 'plant/out/anomalies')).toBe(true);
    expect(custom.allows(as('worker'), 'publish', 'factory/anomalies')).toBe(false);
  });

  it.each([
    ['a pattern without {username}', { devicePattern: 'factory/sensors/#' }],
    ['a malformed filter', { sensors: 'factory/#/x' }],
  ])('when given %s, then it refuses to build', (_what, change) => {
    expect(() => createAcl({ ...DEFAULT_ACL_TOPICS, ...change })).toThrow(RangeError);
  });
});
