// What the two dashboards share: a figure, Chart.js on a canvas with its text alternative,
// the table of the same numbers under it, a count that opens its list, the tables of figures
// by unit, field or assigning body, and the panel of a trend whose points are fetched one by
// one.
import { html, useState, useEffect, useRef, useMemo, loadChart } from './lib.js';
import { useApp } from './context.js';
import { Link } from './router.js';
import { ErrorBox, Loading, useLoaded } from './components.js';
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

/**
 * A figure of a dashboard, named 'name' (data-figure): its value, label and note, as a link
 * to the list behind it when it has 'href'; 'big' for the headline figures.
 */
export function Figure({ name, value, label, note, href, big }) {
  const text = html`<span class="figure-value">${value}</span>
    <span class="figure-label">${label}</span>
    ${note && html`<span class="figure-note">${note}</span>`}`;
  return html`<li class=${big ? 'figure big' : 'figure'} data-figure=${name}>
    ${href ? html`<${Link} href=${href}>${text}<//>` : html`<div class="figure-static">${text}</div>`}
  </li>`;
}

/** A linked count in a table cell. */
export function CountLink({ n, href }) {
  const { t } = useApp();
  return html`<${Link} href=${href}>${formatCount(t, n)}<//>`;
}

/** The table of a chart's numbers, in a disclosure under the chart. */
export function TableBox({ summary, children }) {
  return html`<details class="chart-table">
    <summary>${summary}</summary>
    <div class="table-wrap">${children}</div>
  </details>`;
}

/**
 * A table of figures, a row a thing and a column a figure: the row's name in its head
 * ('rowHead(row)', under the column head 'head'), then a cell a column. 'columns' are
 * {key, label, text, n, attrs}: a cell shows text(row) when the column has 'text', else the
 * count n(row) (row[key] when no 'n') as a link to href(row, key), the list behind it. Each
 * row carries data-key (rowKey(row)) and rowData(row), each cell data-col (its column's key)
 * and the column's attrs. 'nowrap' keeps the row heads on one line (dates).
 */
export function FiguresTable({ caption, className, head, columns, rows, rowKey, rowHead, rowData, href, nowrap }) {
  return html`<table class=${className ? `figures-table ${className}` : 'figures-table'}>
    <caption class="sr-only">${caption}</caption>
    <thead>
      <tr>
        <th scope="col">${head}</th>
        ${columns.map((c) => html`<th scope="col" class="num" key=${c.key}>${c.label}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${rows.map(
        (row) => html`<tr key=${rowKey(row)} data-key=${rowKey(row)} ...${rowData && rowData(row)}>
          <th scope="row" class=${nowrap ? 'nowrap' : undefined}>${rowHead(row)}</th>
          ${columns.map(
            (c) => html`<td class="num" key=${c.key} data-col=${c.key} ...${c.attrs}>
              ${c.text ? c.text(row) : html`<${CountLink} n=${c.n ? c.n(row) : row[c.key]} href=${href(row, c.key)} />`}
            </td>`,
          )}
        </tr>`,
      )}
    </tbody>
  </table>`;
}

/**
 * The panel of a trend: a chart of points fetched by 'load()' (one stats call a point, in
 * parallel), loaded again when 'deps' change, and the table of its numbers. While the points
 * load the panel says so, and why when they fail; 'none' is said when there are none.
 * 'config(points)' is the chart, 'label(points)' its text alternative, 'onPick(point,
 * datasetIndex)' follows a click on it and 'table(points)' is the table under it.
 */
export function TrendPanel({ headingId, title, hint, none, load, deps, config, label, onPick, table }) {
  const { t } = useApp();
  const [points, err] = useLoaded(load, deps);
  const chart = useMemo(() => (points ? config(points) : null), [points, t]);
  return html`<section class="panel chart-panel" aria-labelledby=${headingId}>
    <h2 id=${headingId}>${title}</h2>
    <p class="hint">${hint}</p>
    <${ErrorBox} err=${err} />
    ${!points && !err && html`<${Loading} />`}
    ${points &&
    (points.length === 0
      ? html`<p>${none}</p>`
      : html`<${ChartCanvas} config=${chart} label=${label(points)} onPick=${(ds, i) => onPick(points[i], ds)} />
          <${TableBox} summary=${t('chart.table')}>${table(points)}<//>`)}
  </section>`;
}
