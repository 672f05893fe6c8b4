import { listDevices, RECENT_MS } from '../state/device-list.js';
import type { DeviceState, Store } from '../state/store.js';
import { el, setAttr, setText } from './dom.js';
import { formatAge } from './format.js';

export type DeviceLook = 'ok' | 'warming_up' | 'anomaly' | 'incident' | 'silent';

/** How a device shows: an open incident wins, then an anomaly in the last minute (one red reading is easy to miss), then its status. */
export function deviceLook(store: Store, device: DeviceState, now: number): DeviceLook {
  const incident = store.incidentOf(device.id);
  if (incident !== undefined) return incident.kind === 'silent' ? 'silent' : 'incident';
  if (device.anomalyHeardAt !== undefined && now - device.anomalyHeardAt < RECENT_MS) return 'anomaly';
  return device.status === 'warming_up' ? 'warming_up' : 'ok';
}

interface Row {
  readonly li: HTMLLIElement;
  readonly name: HTMLElement;
  readonly age: HTMLElement;
  readonly bar: HTMLElement;
}

/**
 * The device list: one row per device, kept between redraws and updated in
 * place (a list of hundreds is rebuilt only when its order changes).
 */
export function createDeviceList(list: HTMLUListElement, select: (id: string) => void) {
  const rows = new Map<string, Row>();
  let order = '';
  list.addEventListener('click', (event) => {
    const li = (event.target as Element).closest<HTMLLIElement>('li[data-device]');
    if (li?.dataset.device) select(li.dataset.device);
  });

  const rowOf = (id: string): Row => {
    let row = rows.get(id);
    if (row === undefined) {
      const name = el('span', { class: 'name' }, id);
      const age = el('span', { class: 'age' });
      const bar = el('i');
      const li = el('li', { class: 'device', 'data-device': id, role: 'option', title: id }, el('span', { class: 'dot' }), name, age, el('span', { class: 'bar' }, bar));
      row = { li, name, age, bar };
      rows.set(id, row);
    }
    return row;
  };

  return {
    render(store: Store, query: string, selected: string | undefined, now: number): DeviceState[] {
      const devices = listDevices(store, query, now);
      for (const device of devices) {
        const row = rowOf(device.id);
        setAttr(row.li, 'data-state', deviceLook(store, device, now));
        setAttr(row.li, 'aria-selected', String(device.id === selected));
        setText(row.age, formatAge(now - device.heardAt));
        // The bar fills to the threshold at 70 %, so "how close to an alarm" reads at a glance.
        const fill = Math.min(1, device.score / Math.max(device.threshold, 1e-9) * 0.7);
        row.bar.style.width = `${(fill * 100).toFixed(0)}%`;
      }
      const next = devices.map((d) => d.id).join('\n');
      if (next !== order) {
        order = next;
        list.replaceChildren(...devices.map((d) => rowOf(d.id).li));
      }
      for (const id of rows.keys()) if (!store.devices.has(id)) rows.delete(id);
      return devices;
    },
  };
}
