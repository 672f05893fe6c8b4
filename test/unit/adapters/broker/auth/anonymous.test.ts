import { accessMode, isLoopbackHost } from '../../../../../src/adapters/broker/auth/anonymous.js';

describe('the anonymous rule', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.0.1.1', true],
    ['localhost', true],
    ['::1', true],
    ['[::1]', true],
    ['0:0:0:0:0:0:0:1', true],
    ['::ffff:127.0.0.1', true],
    ['0.0.0.0', false],
    ['::', false],
    ['192.168.1.10', false],
    ['::ffff:10.0.0.1', false],
    ['broker.example.com', false],
  ])('%s is loopback: %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });

  it.each([
    ['127.0.0.1', true, false, 'authenticated'],
    ['0.0.0.0', true, false, 'authenticated'],
    ['127.0.0.1', false, false, 'anonymous-loopback'],
    ['0.0.0.0', false, false, 'refused'],
    ['0.0.0.0', false, true, 'anonymous-allowed'],
  ] as const)('host %s, users file %s, allow anonymous %s -> %s', (host, authenticated, allowAnonymous, mode) => {
    expect(accessMode({ host, authenticated, allowAnonymous })).toBe(mode);
  });
});
