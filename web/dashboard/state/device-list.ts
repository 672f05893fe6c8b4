import type { DeviceState, Store } from './store.js';

/** An anomaly this recent puts a device near the top of the list. */
export const RECENT_MS = 60_000;

/**
 * The devices to list for a search, in the order an operator wants them:
 * those with an open incident first, then the latest anomalies, then by name.
 * The query matches any part of the id (`line2`, `press`), case-insensitive;
 * several words must all match.
 */
export function listDevices(store: Pick<Store, 'devices' | 'incidentOf'>, query: string, now: number): DeviceState[] {
  const words = query.toLowerCase().split(/\s+/).filter((w) => w.length > 0);
  const matching = [...store.devices.values()].filter((d) => words.every((w) => d.id.toLowerCase().includes(w)));
  // A whole minute, so a wall screen's list does not reshuffle with every reading that crosses the threshold.
  const rank = (d: DeviceState) => (store.incidentOf(d.id) !== undefined ? 2 : d.anomalyHeardAt !== undefined && now - d.anomalyHeardAt < RECENT_MS ? 1 : 0);
  return matching.sort((a, b) => rank(b) - rank(a) || a.id.localeCompare(b.id, undefined, { numeric: true }));
}
