/**
 * The live dashboard: one MQTT connection over WebSocket, a store fed by it,
 * and views redrawn from the store a few times a second (not per message, so
 * thousands of readings per second cost the page the same).
 */
import { brokerUrl, loadConfig, subscriptions, type DashboardConfig } from './config.js';
import { forgetCredentials, loadCredentials, saveCredentials, type Credentials } from './credentials.js';
import { openLink, type Link, type LinkState } from './mqtt-link.js';
import { parseJson, readDeadLetter, readIncident, readScore } from './state/messages.js';
import { createStore, type Store } from './state/store.js';
import { createDetail } from './view/detail.js';
import { createDeviceList, deviceLook } from './view/device-list.js';
import { byId, setText } from './view/dom.js';
import { renderHeader } from './view/header.js';
import { renderIncidents } from './view/incidents.js';
import { askLogin } from './view/login.js';

const REDRAW_MS = 500;

async function start(): Promise<void> {
  const config = await loadConfig();
  document.title = config.title;
  setText(byId('title'), config.title);
  const url = brokerUrl(config, window.location);
  const store = createStore({ sensors: config.sensors.map((s) => s.name), historyCapacity: 600, maxDevices: 5000, closedKept: 20 });
  const units = new Map(config.sensors.flatMap((s) => (s.unit ? [[s.name, s.unit] as const] : [])));
  let linkState: LinkState = url === undefined
    ? { kind: 'disconnected', url: '(none)', reason: 'the sidecar knows no WebSocket listener: set DASHBOARD_MQTT_URL' }
    : { kind: 'connecting', url, attempt: 0 };

  let selected: string | undefined = new URLSearchParams(window.location.hash.slice(1)).get('device') ?? undefined;
  const select = (id: string) => {
    selected = id;
    history.replaceState(null, '', `#device=${encodeURIComponent(id)}`);
    redraw();
  };
  const search = byId<HTMLInputElement>('search');
  const list = createDeviceList(byId<HTMLUListElement>('device-list'), select);
  const detail = createDetail(units);

  const redraw = () => {
    const now = Date.now();
    renderHeader(store, linkState, now);
    const shown = list.render(store, search.value, selected, now);
    setText(byId('list-meta'), `${shown.length} of ${store.devices.size} devices`);
    // Until the operator picks one, follow the first device of the list (incidents first).
    const device = (selected !== undefined ? store.devices.get(selected) : undefined) ?? shown[0];
    detail.render(store, device, device && deviceLook(store, device, now), now);
    renderIncidents(store, now, select);
  };
  search.addEventListener('input', redraw);
  setInterval(redraw, REDRAW_MS);
  redraw();
  if (url === undefined) return;

  let link: Link | undefined;
  const connect = (credentials: Credentials | undefined) => {
    link?.close();
    link = openLink({
      url,
      filters: subscriptions(config),
      credentials,
      onMessage: (topic, payload) => dispatch(store, config, topic, payload),
      onState: (state) => {
        linkState = state;
        if (state.kind === 'login') void login(state.reason, credentials !== undefined);
        redraw();
      },
    });
  };
  const login = async (reason: string, refused: boolean) => {
    if (refused) forgetCredentials();
    const { credentials, remember } = await askLogin(refused ? 'The broker refused that login' : `The broker ${reason}`);
    saveCredentials(credentials, remember);
    connect(credentials);
  };
  const saved = loadCredentials();
  if (config.login === 'required' && saved === undefined) {
    linkState = { kind: 'login', url, reason: 'it has a users file' };
    redraw();
    await login('needs a login', false);
  } else {
    connect(saved);
  }
}

/** Routes one message to the store by its topic; unreadable ones are counted, never thrown. */
function dispatch(store: Store, config: DashboardConfig, topic: string, payload: string): void {
  const now = Date.now();
  const t = config.topics;
  if (topic === t.status) return store.onWorkerStatus(payload);
  if (topic === t.errors) {
    const letter = readDeadLetter(parseJson(payload), now);
    return letter ? store.onDeadLetter(letter) : store.onMalformed();
  }
  if (topic === t.incidents || topic.startsWith(`${t.incidents}/`)) {
    // An empty retained message clears a device's state: nothing to show.
    if (payload === '') return;
    const incident = readIncident(parseJson(payload));
    return incident ? store.onIncident(incident, now) : store.onMalformed();
  }
  const score = readScore(parseJson(payload), now);
  if (score) store.onScore(score, now);
  else store.onMalformed();
}

start().catch((err: unknown) => {
  const banner = byId('banner');
  banner.hidden = false;
  banner.textContent = `The dashboard could not start: ${(err as Error).message}`;
});
