import type { LinkState } from '../mqtt-link.js';
import type { Store } from '../state/store.js';
import { byId, setAttr, setText } from './dom.js';
import { formatCount, formatRate } from './format.js';

const CONNECTION_TEXT: Record<LinkState['kind'], string> = {
  connecting: 'Broker: connecting',
  connected: 'Broker: connected',
  disconnected: 'Broker: disconnected',
  login: 'Broker: login needed',
};

/** The connection and worker pills, the banner that says what is wrong, and the totals. */
export function renderHeader(store: Store, link: LinkState, now: number): void {
  const connection = byId('connection');
  setAttr(connection, 'data-state', link.kind);
  setText(connection, CONNECTION_TEXT[link.kind]);
  const worker = byId('worker');
  // A retained status read before the connection dropped may be stale: say unknown while disconnected.
  const status = link.kind === 'connected' ? store.worker : 'unknown';
  setAttr(worker, 'data-state', status);
  setText(worker, `Worker: ${status}`);

  const banner = byId('banner');
  const message = bannerText(link, store);
  banner.hidden = message === undefined;
  setText(banner, message ?? '');
  setAttr(document.body, 'data-stale', String(link.kind !== 'connected'));
  setText(byId('clock'), new Date(now).toLocaleTimeString('en-GB'));

  const open = store.openIncidents();
  const silent = open.filter((i) => i.kind === 'silent').length;
  setText(byId('total-devices'), formatCount(store.devices.size));
  setText(byId('total-rate'), formatRate(store.rate(now)));
  setText(byId('total-anomalies'), formatCount(store.totals.anomalies));
  setText(byId('total-incidents'), formatCount(open.length - silent));
  setText(byId('total-silent'), formatCount(silent));
  setText(byId('total-dead'), formatCount(store.totals.deadLetters));
  setAttr(byId('total-incidents').parentElement!, 'data-hot', String(open.length - silent > 0));
  setAttr(byId('total-silent').parentElement!, 'data-hot', String(silent > 0));
}

function bannerText(link: LinkState, store: Store): string | undefined {
  if (link.kind === 'disconnected') {
    return `Disconnected from the broker at ${link.url}${link.reason ? ` (${link.reason})` : ''}. Reconnecting… the values below are from before.`;
  }
  if (link.kind === 'login') return `The broker at ${link.url} needs a viewer login: ${link.reason}`;
  if (link.kind === 'connected' && store.worker === 'offline') return 'The worker is offline: readings are not being scored.';
  if (link.kind === 'connected' && link.denied.length > 0) return `This login may not read ${link.denied.join(', ')}: those panels stay empty.`;
  return undefined;
}
