import type { IncidentState, Store } from '../state/store.js';
import { byId, el, replaceChildren, setText } from './dom.js';
import { formatAge, formatScore, formatTime, percent, sensorLabel } from './format.js';

/** The side panel: open incidents with their explanation, silent devices, the last closed ones, rejected messages. */
export function renderIncidents(store: Store, now: number, select: (device: string) => void): void {
  const open = store.openIncidents();
  const silent = open.filter((i) => i.kind === 'silent');
  const active = open.filter((i) => i.kind !== 'silent');
  setText(byId('open-count'), String(active.length));
  setText(byId('silent-count'), String(silent.length));
  replaceChildren(byId('open-incidents'), active.length ? active.map((i) => card(i, now)) : [none('No open incidents')]);
  replaceChildren(byId('silent-devices'), silent.length ? silent.map((i) => card(i, now)) : [none('Every device is reporting')]);
  const closed = store.closedIncidents().slice(0, 8);
  replaceChildren(byId('closed-incidents'), closed.length ? closed.map((i) => card(i, now)) : [none('None yet')]);
  const letters = store.deadLetters.slice(0, 8);
  replaceChildren(
    byId('dead-letters'),
    letters.length ? letters.map((d) => el('li', { title: `${d.topic}: ${d.reason}` }, el('b', {}, d.code), ` ${formatTime(d.at)} ${d.topic}`)) : [none('None')],
  );
  bindSelect(select);
}

function none(text: string): HTMLElement {
  return el('li', { class: 'none' }, text);
}

function card(incident: IncidentState, now: number): HTMLElement {
  const since = incident.state === 'closed'
    ? `${formatTime(incident.openedAt)}–${formatTime(incident.closedAt)}`
    : `open for ${formatAge(now - (incident.openedAt ?? incident.seenAt))}`;
  const stats = [since, incident.readings !== undefined ? `${incident.readings} readings` : undefined, incident.peakScore !== undefined ? `peak ${formatScore(incident.peakScore)}` : undefined]
    .filter((s) => s !== undefined)
    .join(' · ');
  const shares = incident.sensors.slice(0, 4).map(([sensor, share]) =>
    el('div', { class: 'share' }, el('span', {}, sensorLabel(sensor)), el('span', { class: 'track' }, el('i', { style: `width:${Math.round(Math.min(1, Math.max(0, share)) * 100)}%` })), el('span', { class: 'pct' }, percent(share))),
  );
  return el(
    'li',
    { class: 'incident', 'data-kind': incident.kind, 'data-incident-id': incident.id, 'data-device': incident.device },
    el('div', { class: 'incident-head' }, el('b', {}, incident.device), el('span', { class: 'incident-kind' }, incident.kind.replace(/_/g, ' '))),
    el('div', { class: 'incident-meta' }, stats),
    ...shares,
  );
}

let bound = false;
function bindSelect(select: (device: string) => void): void {
  if (bound) return;
  bound = true;
  byId('incidents-panel').addEventListener('click', (event) => {
    const li = (event.target as Element).closest<HTMLElement>('li[data-device]');
    if (li?.dataset.device) select(li.dataset.device);
  });
}
