/** Violations found by a fuzz run: counted in full, the first `keep` described. */
export interface Failures {
  add(message: string): void;
  readonly count: number;
  /** The first ones, for a report that stays readable when everything fails. */
  list(): string[];
}

export function createFailures(keep = 50): Failures {
  const kept: string[] = [];
  let count = 0;
  return {
    add(message) {
      count += 1;
      if (kept.length < keep) kept.push(message);
    },
    get count() {
      return count;
    },
    list: () => (count > kept.length ? [...kept, `... and ${count - kept.length} more`] : [...kept]),
  };
}

/** Adds one to `counts[key]`. */
export function tally(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}
