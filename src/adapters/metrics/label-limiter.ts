/**
 * Bounded label values: the first `max` distinct values are kept as they are,
 * later ones share the value `other`. Device ids come from topics anyone with
 * publish rights can invent, so without a bound a stream of made-up names
 * would grow the metrics (and Prometheus) without end.
 */
export const OTHER_LABEL = 'other';

export type LabelLimiter = (value: string) => string;

export function createLabelLimiter(max: number): LabelLimiter {
  if (!Number.isSafeInteger(max) || max < 1) throw new RangeError(`the label value limit must be a positive integer, got ${max}`);
  const known = new Set<string>();
  return (value) => {
    if (known.has(value)) return value;
    if (known.size >= max) return OTHER_LABEL;
    known.add(value);
    return value;
  };
}

/** The line of a device id `<line>/<device>`: its first topic level (the whole id when it has one level). */
export function lineOf(device: string): string {
  const slash = device.indexOf('/');
  return slash === -1 ? device : device.slice(0, slash);
}
