import uPlot from 'uplot';

export interface ChartSeries {
  readonly label: string;
  readonly color: string;
  /** `line`: a line; `marks`: points only (anomalies); `dashed`: a dashed line (the threshold). */
  readonly style: 'line' | 'marks' | 'dashed';
}

export interface Chart {
  /** x in seconds, then one array per series, as given to createChart. */
  update(x: number[], series: (number | null)[][]): void;
  destroy(): void;
}

const clock = uPlot.fmtDate('{HH}:{mm}:{ss}');
const TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400];
const AXIS = { stroke: '#8b98a5', grid: { stroke: '#232d3a', width: 1 }, ticks: { stroke: '#232d3a', width: 1 }, font: '12px system-ui, sans-serif' };

/**
 * One uPlot chart that fills its container and follows its size. Anomalies
 * are a series of points only (null where the reading was normal), drawn in
 * red over the line.
 */
export function createChart(container: HTMLElement, series: readonly ChartSeries[], range?: { min: number; max: number }): Chart {
  const size = () => ({ width: Math.max(160, container.clientWidth), height: Math.max(80, container.clientHeight) });
  const options: uPlot.Options = {
    ...size(),
    legend: { show: false },
    cursor: { show: true, drag: { x: false, y: false }, points: { show: false } },
    scales: {
      x: { time: true },
      ...(range ? { y: { range: (_u, min, max) => [Math.min(range.min, min), Math.max(range.max, max)] as uPlot.Range.MinMax } } : {}),
    },
    // Whole seconds at least between time ticks: the labels say HH:MM:SS.
    axes: [{ ...AXIS, incrs: TIME_STEPS, values: (_u, splits) => splits.map((s) => clock(new Date(s * 1000))) }, { ...AXIS, size: 56 }],
    series: [
      {},
      ...series.map((s): uPlot.Series => {
        if (s.style === 'marks') {
          return { label: s.label, stroke: s.color, fill: s.color, width: 0, paths: () => null, points: { show: true, size: 8, stroke: s.color, fill: s.color } };
        }
        return { label: s.label, stroke: s.color, width: s.style === 'dashed' ? 1.5 : 2, points: { show: false }, spanGaps: false, ...(s.style === 'dashed' ? { dash: [6, 4] } : {}) };
      }),
    ],
  };
  const plot = new uPlot(options, [[], ...series.map(() => [])], container);
  const resize = new ResizeObserver(() => plot.setSize(size()));
  resize.observe(container);
  return {
    update(x, columns) {
      plot.setData([x, ...columns] as uPlot.AlignedData);
      container.dataset.points = String(x.length);
    },
    destroy() {
      resize.disconnect();
      plot.destroy();
    },
  };
}
