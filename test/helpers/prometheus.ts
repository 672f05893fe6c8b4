/**
 * Reading a /metrics scrape the way Prometheus does: parsed by a parser of
 * the text format (not by regexes over our own output), then looked up by
 * family name and labels.
 */
import parsePrometheusTextFormat, { type PromFamily, type PromSample } from 'parse-prometheus-text-format';

export type Scrape = ReadonlyMap<string, PromFamily>;

export function parseScrape(text: string): Scrape {
  return new Map(parsePrometheusTextFormat(text).map((family) => [family.name, family]));
}

export async function scrape(url: string, token?: string): Promise<Scrape> {
  const res = await fetch(url, token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
  return parseScrape(await res.text());
}

/** The samples of a family whose labels include `labels`. */
export function samples(s: Scrape, name: string, labels: Record<string, string> = {}): PromSample[] {
  const family = s.get(name);
  if (family === undefined) throw new Error(`no metric ${name} in the scrape (${[...s.keys()].filter((n) => n.startsWith('factory_')).join(', ')})`);
  return family.metrics.filter((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
}

/** The sum of a counter's or gauge's samples matching `labels` (0 when none match). */
export function value(s: Scrape, name: string, labels: Record<string, string> = {}): number {
  return samples(s, name, labels).reduce((sum, m) => sum + Number(m.value), 0);
}

/** A histogram's observation count over its samples matching `labels`. */
export function histogramCount(s: Scrape, name: string, labels: Record<string, string> = {}): number {
  return samples(s, name, labels).reduce((sum, m) => sum + Number(m.count), 0);
}

/**
 * Scrapes until `ready` holds, for values that move a moment after the event a test can see (a publish counts
 * once the broker acknowledged it, just after subscribers got it). Bounded by `timeoutMs`; fails with the last scrape's view.
 */
export async function scrapeUntil(url: string, ready: (s: Scrape) => boolean, timeoutMs = 5000, token?: string): Promise<Scrape> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await scrape(url, token);
    if (ready(s)) return s;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for the scrape of ${url} to satisfy the condition`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
