/**
 * A least-recently-used map with a fixed capacity. A Map keeps insertion
 * order, so re-inserting on use makes its first key the least recently used.
 */
export interface Lru<V> {
  readonly size: number;
  /** The value, now the most recently used. */
  get(key: string): V | undefined;
  /** The value, without changing the order. */
  peek(key: string): V | undefined;
  /** Inserts or replaces as most recently used; evicts the least recently used beyond capacity. */
  set(key: string, value: V): V;
  entries(): IterableIterator<[string, V]>;
}

export function createLru<V>(capacity: number, onEvict: (key: string, value: V) => void): Lru<V> {
  if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`LRU capacity must be a positive integer, got ${capacity}`);
  const map = new Map<string, V>();
  return {
    get size() {
      return map.size;
    },
    get(key) {
      const value = map.get(key);
      if (value === undefined) return undefined;
      map.delete(key);
      map.set(key, value);
      return value;
    },
    peek: (key) => map.get(key),
    set(key, value) {
      map.delete(key);
      map.set(key, value);
      while (map.size > capacity) {
        const [oldest, evicted] = map.entries().next().value as [string, V];
        map.delete(oldest);
        onEvict(oldest, evicted);
      }
      return value;
    },
    entries: () => map.entries(),
  };
}
