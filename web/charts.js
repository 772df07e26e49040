// What the dashboards' charts share: Chart.js on a canvas with its text alternative, the
// table of the same numbers under it, and a count that opens its list.
import { html, useState, useEffect, useRef, loadChart } from './lib.js';
import { useApp } from './context.js';
import { Link } from './router.js';
import { formatCount } from './kits/tasks.js';

// chart ink and grid lines, each at least 3:1 against white (WCAG 1.4.11)
export const INK = '#1a1a1a';
const GRID = '#c9d2dc';

/**
 * A Chart.js chart on a canvas. 'config' is the Chart.js configuration (rebuilt only when
 * its inputs change); 'label' the canvas's text alternative; 'onPick(datasetIndex, index)'
 * runs when a bar or point is clicked. Chart.js is loaded on first use (lib.js).
 */
export function ChartCanvas({ config, label, onPick, size }) {
  const { t } = useApp();
  const canvas = useRef(null);
  const pick = useRef(onPick);
  const [failed, setFailed] = useState(null);
  pick.current = onPick;

  useEffect(() => {
    let chart = null;
    let live = true;
    loadChart()
      .then((Chart) => {
        if (!live || !canvas.current) return;
        chart = new Chart(canvas.current, {
          ...config,
          options: {
            ...config.options,
            animation: false,
            responsive: true,
            maintainAspectRatio: false,
            onClick: (ev, elements) => {
              if (elements.length) pick.current(elements[0].datasetIndex, elements[0].index);
            },
            onHover: (ev, elements) => {
              // CSSOM, not a style attribute: the CSP allows it
              ev.native.target.style.cursor = elements.length ? 'pointer' : 'default';
            },
          },
        });
      })
      .catch((e) => live && setFailed(e));
    return () => {
      live = false;
      if (chart) chart.destroy();
    };
  }, [config]);

  return html`<div class=${`chart-box ${size || ''}`}>
    <canvas ref=${canvas} role="img" aria-label=${label}></canvas>
    ${failed && html`<p class="alert alert-error" role="alert">${t('dashboard.chart_failed')}</p>`}
  </div>`;
}

/** The options every chart shares: ink, a legend below, the language's numbers. */
export function commonOptions(t) {
  return {
    color: INK,
    plugins: {
      legend: { position: 'bottom', labels: { color: INK } },
    },
    locale: t.locale,
  };
}

/** An axis with the shared ink and grid lines. */
export function axis(extra) {
  return { grid: { color: GRID }, ticks: { color: INK }, ...extra };
}

/** A linked count in a table cell. */
export function CountLink({ n, href }) {
  const { t } = useApp();
  return html`<${Link} href=${href}>${formatCount(t, n)}<//>`;
}

export function TableBox({ summary, children }) {
  return html`<details class="chart-table">
    <summary>${summary}</summary>
    <div class="table-wrap">${children}</div>
  </details>`;
}
