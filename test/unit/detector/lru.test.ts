import { createLru } from '../../../src/detector/lru.js';

describe('LRU', () => {
  function setup(capacity: number) {
    const evicted: string[] = [];
    const lru = createLru<number>(capacity, (key) => evicted.push(key));
    return { lru, evicted };
  }

  it('when more keys than capacity are set, then the least recently set is evicted', () => {
    const { lru, evicted } = setup(2);
    lru.set('a', 1);
    lru.set('b', 2);
    lru.set('c', 3);
    expect(evicted).toEqual(['a']);
    expect([...lru.entries()].map(([k]) => k)).toEqual(['b', 'c']);
  });

  it('when a key is read with get, then it is the most recently used and another one is evicted', () => {
    const { lru, evicted } = setup(2);
    lru.set('a', 1);
    lru.set('b', 2);
    expect(lru.get('a')).toBe(1);
    lru.set('c', 3);
    expect(evicted).toEqual(['b']);
  });

  it('when a key is read with peek, then the order does not change', () => {
    const { lru, evicted } = setup(2);
    lru.set('a', 1);
    lru.set('b', 2);
    expect(lru.peek('a')).toBe(1);
    lru.set('c', 3);
    expect(evicted).toEqual(['a']);
  });

  it('when a held key is set again, then it is replaced without an eviction', () => {
    const { lru, evicted } = setup(2);
    lru.set('a', 1);
    lru.set('b', 2);
    lru.set('a', 10);
    expect(evicted).toEqual([]);
    expect(lru.size).toBe(2);
    expect(lru.peek('a')).toBe(10);
  });
});
