// Time-series charts (uPlot, from its webjar): one line per backend, sized to their container.
import uPlot from './lib/uplot.js';
import { h } from './dom.js';

const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2'];

/** A chart of one measure per backend; `update(times, backends)` redraws it, rebuilding only when the backends change. */
export function chart(title, unit, measure) {
  const box = h('figure', { class: 'chart', 'data-chart': measure }, h('figcaption', {}, title));
  const plotArea = h('div', { class: 'plot', role: 'img', 'aria-label': `${title}, per backend, over the last minutes` });
  box.append(plotArea);
  let plot = null;
  let names = '';
  const width = () => Math.max(240, plotArea.clientWidth || box.clientWidth || 300);
  const resize = new ResizeObserver(() => plot?.setSize({ width: width(), height: 180 }));
  resize.observe(plotArea);
  return {
    element: box,
    update(times, backends) {
      const ids = Object.keys(backends);
      const data = [times, ...ids.map((id) => backends[id][measure])];
      if (ids.join('\n') !== names || !plot) {
        plot?.destroy();
        names = ids.join('\n');
        plot = new uPlot({
          width: width(),
          height: 180,
          scales: { y: { range: (u, min, max) => [0, Math.max(max, unit === 'ms' ? 1 : 0.1) * 1.1] } },
          axes: [{}, { label: unit, size: 56 }],
          series: [{}, ...ids.map((id, index) => ({ label: id, stroke: COLOURS[index % COLOURS.length], width: 2 }))],
        }, data, plotArea);
      } else {
        plot.setData(data);
      }
    },
    destroy() {
      resize.disconnect();
      plot?.destroy();
    },
  };
}
