import { filterCovers, isValidFilter, parentSubtree, topicMatches, unshared } from '../../../../../src/adapters/broker/auth/topic-filter.js';

describe('topic filters', () => {
  it.each([
    ['a/#', 'a', true],
    ['a/#', 'a/b/c', true],
    ['a/+', 'a/b', true],
    ['a/+', 'a/b/c', false],
    ['a/b', 'a/b', true],
    ['a/b', 'a/c', false],
    ['#', '$SYS/x', false],
    ['+/x', '$SYS/x', false],
    ['$SYS/#', '$SYS/x', true],
  ])('%s matches %s: %s', (filter, topic, expected) => {
    expect(topicMatches(filter, topic)).toBe(expected);
  });

  it.each([
    ['a/#', 'a/#', true],
    ['a/#', 'a/+/c', true],
    ['a/#', 'a', true],
    ['a/+', 'a/b', true],
    ['a/+', 'a/+', true],
    ['a/+', 'a/#', false],
    ['a/b', 'a/+', false],
    ['a/#', '#', false],
    ['a/#', '+/b', false],
    ['#', '$SYS/#', false],
    ['$SYS/#', '$SYS/+/heartbeat', true],
  ])('%s covers %s: %s', (allowed, requested, expected) => {
    expect(filterCovers(allowed, requested)).toBe(expected);
  });

  it.each([
    ['a/b', true],
    ['a/+/c', true],
    ['#', true],
    ['a/#/c', false],
    ['a/b#', false],
    ['a+/b', false],
    ['', false],
  ])('%j is a valid filter: %s', (filter, expected) => {
    expect(isValidFilter(filter)).toBe(expected);
  });

  it.each([
    ['factory/sensors/#', 'factory/sensors/#'],
    ['$share/g/factory/sensors/#', 'factory/sensors/#'],
    ['$share/g', undefined],
    ['$share//x', undefined],
    ['$share/g+/x', undefined],
    ['$share/g/', undefined],
  ])('unshared(%j) is %j', (filter, expected) => {
    expect(unshared(filter)).toBe(expected);
  });

  it('parentSubtree', () => {
    expect(parentSubtree('factory/status/worker')).toBe('factory/status/#');
    expect(parentSubtree('status')).toBe('status');
  });
});
