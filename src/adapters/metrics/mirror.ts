import { Counter, Gauge, type Registry } from 'prom-client';

/** Label values and the number they carry. */
export type Sample = readonly [labels: Record<string, string>, value: number];

/** What a mirrored metric reads at scrape time: one number, or one per label set. */
export type Reader = () => number | readonly Sample[] | undefined;

interface MirrorSpec {
  readonly name: string;
  readonly help: string;
  readonly labelNames?: readonly string[];
  readonly read: Reader;
}

/** What both kinds share: name, help, labels, the registry. */
function base(registry: Registry, spec: MirrorSpec) {
  return { name: spec.name, help: spec.help, labelNames: spec.labelNames ?? [], registers: [registry] };
}

/**
 * A counter whose value is read from a snapshot at scrape time (the worker's,
 * the broker's counters...), so the hot paths keep bumping plain numbers and
 * pay nothing for Prometheus. The source only ever grows, so the counter does.
 */
export function mirrorCounter(registry: Registry, spec: MirrorSpec): Counter {
  return new Counter({
    ...base(registry, spec),
    collect() {
      this.reset();
      // A counter never goes down; a negative value would be a bug in the source, not worth a failed scrape.
      apply(spec.read(), (labels, value) => value >= 0 && (labels === undefined ? this.inc(value) : this.inc(labels, value)));
    },
  });
}

/** A gauge read from a snapshot at scrape time. */
export function mirrorGauge(registry: Registry, spec: MirrorSpec): Gauge {
  return new Gauge({
    ...base(registry, spec),
    collect() {
      this.reset();
      apply(spec.read(), (labels, value) => (labels === undefined ? this.set(value) : this.set(labels, value)));
    },
  });
}

function apply(read: number | readonly Sample[] | undefined, set: (labels: Record<string, string> | undefined, value: number) => void): void {
  if (read === undefined) return;
  if (typeof read === 'number') {
    if (Number.isFinite(read)) set(undefined, read);
    return;
  }
  for (const [labels, value] of read) if (Number.isFinite(value)) set(labels, value);
}

/** `{ a: 1, b: 2 }` as samples labelled `{ [label]: key }`. */
export function byKey(counts: Readonly<Record<string, number | undefined>>, label: string): Sample[] {
  const samples: Sample[] = [];
  for (const [key, value] of Object.entries(counts)) if (value !== undefined) samples.push([{ [label]: key }, value]);
  return samples;
}
