import type { DeviceState, Store } from '../state/store.js';
import { createChart, type Chart } from './chart.js';
import type { DeviceLook } from './device-list.js';
import { byId, el, replaceChildren, setAttr, setText } from './dom.js';
import { formatAge, formatScore, formatValue, percent, sensorLabel } from './format.js';

const COLORS = ['#4fb3ff', '#56d4a4', '#e3b341', '#d2a8ff', '#ff9bce', '#79c0ff', '#ffa657', '#7ee787'];
const RED = '#f85149';
const LOOK_TEXT: Record<DeviceLook, string> = { ok: 'normal', warming_up: 'warming up', anomaly: 'anomaly', incident: 'incident', silent: 'silent' };

/**
 * The selected device: its last values, why it was last flagged, and charts
 * of the anomaly score (with the threshold) and of every sensor, anomalies
 * marked in red on each.
 */
export function createDetail(units: ReadonlyMap<string, string>) {
  const score = createChart(byId('chart-score'), [
    { label: 'score', color: '#4fb3ff', style: 'line' },
    { label: 'threshold', color: '#d29922', style: 'dashed' },
    { label: 'anomaly', color: RED, style: 'marks' },
  ], { min: 0, max: 1 });
  const sensorCharts = new Map<string, Chart>();
  let shownFields = '';
  let shownDevice: string | undefined;

  const ensureSensorCharts = (fields: readonly string[]) => {
    const key = fields.join('\n');
    if (key === shownFields) return;
    shownFields = key;
    for (const chart of sensorCharts.values()) chart.destroy();
    sensorCharts.clear();
    const grid = byId('sensor-charts');
    grid.replaceChildren();
    // As square a grid as the sensors allow: 3 in a row, 4 as 2 x 2, 8 as 4 x 2.
    const columns = fields.length <= 3 ? Math.max(1, fields.length) : fields.length === 4 ? 2 : fields.length <= 6 ? 3 : 4;
    grid.style.gridTemplateColumns = `repeat(${columns}, minmax(0, 1fr))`;
    fields.forEach((field, i) => {
      const chart = el('div', { class: 'chart', 'data-field': field });
      const unit = units.get(field);
      const title = el('div', { class: 'chart-title' }, el('span', {}, sensorLabel(field), unit ? el('span', { class: 'unit' }, ` (${unit})`) : ''));
      grid.append(el('div', { class: 'chart-card' }, title, chart));
      sensorCharts.set(field, createChart(chart, [
        { label: field, color: COLORS[i % COLORS.length]!, style: 'line' },
        { label: 'anomaly', color: RED, style: 'marks' },
      ]));
    });
  };

  return {
    render(store: Store, device: DeviceState | undefined, look: DeviceLook | undefined, now: number): void {
      byId('detail-empty').hidden = device !== undefined;
      byId('detail-body').hidden = device === undefined;
      if (device === undefined || look === undefined) return;
      if (device.id !== shownDevice) {
        shownDevice = device.id;
        byId('detail').dataset.device = device.id;
      }
      setText(byId('detail-title'), device.id);
      const badge = byId('detail-status');
      setAttr(badge, 'data-state', look);
      setText(badge, LOOK_TEXT[look]);
      setText(byId('detail-seen'), `score ${formatScore(device.score)} · threshold ${formatScore(device.threshold)} · last reading ${formatAge(now - device.heardAt)} ago · ${device.readings} readings, ${device.anomalies} anomalies`);
      renderValues(store.fields, device, units);
      renderWhy(device, now);

      ensureSensorCharts(store.fields);
      const columns = device.history.columns(store.fields);
      score.update(columns.x, [columns.score, columns.threshold, columns.scoreMarks]);
      for (const [field, chart] of sensorCharts) {
        const column = columns.fields.get(field);
        if (column) chart.update(columns.x, [column.values, column.marks]);
      }
    },
  };
}

function renderValues(fields: readonly string[], device: DeviceState, units: ReadonlyMap<string, string>): void {
  const flagged = device.score >= device.threshold ? (device.lastAnomaly?.explanation ?? {}) : {};
  const cards = fields.map((field) => {
    const hot = (flagged[field] ?? 0) >= 0.25;
    return el('div', { class: 'value', 'data-hot': String(hot) }, el('span', {}, sensorLabel(field)), el('b', {}, formatValue(device.values.get(field), units.get(field))));
  });
  replaceChildren(byId('detail-values'), cards);
}

/** The last anomaly's explanation: each sensor's share, and how far out it was (z). */
function renderWhy(device: DeviceState, now: number): void {
  const why = byId('detail-why');
  const last = device.lastAnomaly;
  why.hidden = last?.explanation === undefined;
  if (last?.explanation === undefined) return;
  const parts = Object.entries(last.explanation)
    .sort((a, b) => b[1] - a[1])
    .map(([sensor, share]) => {
      const z = last.zScores?.[sensor];
      return `${sensorLabel(sensor)} ${percent(share)}${z === undefined ? '' : ` (z ${z.toFixed(1)})`}`;
    });
  const ago = device.anomalyHeardAt === undefined ? '' : `, ${formatAge(now - device.anomalyHeardAt)} ago`;
  setText(why, `Last anomaly${ago}, score ${formatScore(last.score)}: ${parts.join(' · ')}`);
}
