// The one-stop service center's dashboard (/service?period=P&unit=ID): today's intake (the
// stats of today alone), the figures of GET /api/v1/dossiers/stats for a period (and
// optionally the desks under one unit), the dossiers in process now, the same figures by
// unit and by field (by=unit, by=field), and two Chart.js charts (the timeliness of the
// dossiers processed, received and processed in each month of the period, one stats call
// per month). Every count, table cell and chart bar opens /service/list, the dossiers
// behind it (GET /api/v1/dossiers with the matching filters, "show more" paging by cursor).
// Each chart has a text alternative (its numbers in aria-label) and a table with the same
// numbers as links.

import { html, useState, useEffect, useMemo, useId } from '../lib.js';
import { useApp } from '../context.js';
import { ChartCanvas, Figure, FiguresTable, TableBox, TrendPanel, INK, axis, commonOptions } from '../charts.js';
import { get } from '../api.js';
import { Link, navigate, hrefWith } from '../router.js';
import { today, formatDate } from '../i18n.js';
import {
  PageTitle,
  ErrorBox,
  Loading,
  ShowMore,
  errorsFor,
  formProblemText,
  useLoaded,
  usePagedList,
  ListTable,
} from '../components.js';
import { UnitPicker, PeriodFields } from '../pickers.js';
import { formatCount } from '../kits/tasks.js';
import { dossierHref, instantText, whenText, StateBadge } from '../kits/dossiers.js';
import { fieldText } from '../kits/procedures.js';
import { periodText, parsePeriod, periodBounds, monthEnd } from '../period.js';

// Chart colours: each at least 3:1 against white (WCAG 1.4.11); names are in the legend,
// the tooltips and the tables, so colour is never the only cue.
const TIMELINESS = ['early', 'on_time', 'late'];
const TIMELINESS_COLOURS = { early: '#2e7d32', on_time: '#1d6fd1', late: '#b45309' };
const RECEIVED_COLOUR = '#0b3d6b';
const PROCESSED_COLOUR = '#2e7d32';

const pad = (n) => String(n).padStart(2, '0');

/** A rate or a number the API sends with one decimal ("47.2") in the language's notation. */
function formatTenths(t, text) {
  const n = Number.parseFloat(text);
  return new Intl.NumberFormat(t.locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(
    Number.isFinite(n) ? n : 0,
  );
}
const formatShare = (t, text) => t('common.percent', { value: formatTenths(t, text) });

/** The quick choices: this year, last year, the 12 whole months before this one, this month. */
function quickPeriods() {
  const d = today();
  const y = +d.slice(0, 4);
  const m = +d.slice(5, 7);
  // the 12 whole months before this one
  const endY = m === 1 ? y - 1 : y;
  const endM = m === 1 ? 12 : m - 1;
  const startY = endM === 12 ? endY : endY - 1;
  const startM = endM === 12 ? 1 : endM + 1;
  return [
    { key: 'this_year', period: `${y}` },
    { key: 'last_year', period: `${y - 1}` },
    { key: 'last_12', period: `${startY}-${pad(startM)}-01..${monthEnd(endY, endM)}` },
    { key: 'this_month', period: `${y}-${pad(m)}` },
  ];
}

/** The page's choice read from the URL, with defaults: this year, the caller's scope. */
function choiceOf(query) {
  const year = +today().slice(0, 4);
  const period = query.get('period') || String(year);
  const fields = parsePeriod(period, year) || parsePeriod(String(year), year);
  return { fields, period, unit: query.get('unit') || '' };
}

const serviceHref = (period, unit) => hrefWith('/service', { period, unit });

/** The list of the dossiers behind a figure: its filters, and what it is for the heading. */
function listHref(figure, filters, stats, unit) {
  return hrefWith('/service/list', { figure, period: stats.period, unit, ...filters });
}

// The list filters of each figure of the stats (GET /api/v1/dossiers parameters).
function figureFilters(name, period) {
  switch (name) {
    case 'received':
      return { received: period };
    case 'processed':
      return { result: period };
    case 'early':
    case 'on_time':
    case 'late':
      return { result: period, timeliness: name };
    // the ends are counted on the day they happen, so listed by it
    case 'refused':
    case 'withdrawn':
    case 'stopped':
    case 'returned':
      return { state: name, ended: period };
    case 'guided':
      return { state: 'incomplete', ended: period };
    case 'supplement':
      return { asked: period };
    case 'apology':
      return { apologised: period };
    case 'within_due':
      return { state: 'processing', overdue: '0' };
    case 'overdue':
      return { state: 'processing', overdue: '1' };
    case 'waiting':
      return { state: 'supplement' };
    default:
      return { received: period };
  }
}

// ---- the period and unit picker ----

function Picker({ choice, unit, err }) {
  const { t } = useApp();
  const [f, setF] = useState(choice.fields);
  const [u, setU] = useState(unit);
  const id = useId();

  useEffect(() => setF(choice.fields), [choice.period]);
  useEffect(() => setU(unit), [unit]);

  const setField = (k) => (v) => setF((x) => ({ ...x, [k]: k === 'from' || k === 'to' || k === 'kind' ? v : Number(v) }));
  const submit = (ev) => {
    ev.preventDefault();
    navigate(serviceHref(periodText(f), u ? u.id : ''));
  };
  const periodError = errorsFor(t, err, 'period');

  return html`<form class="panel period-picker" aria-labelledby=${`${id}-h`} onSubmit=${submit} novalidate>
    <h2 id=${`${id}-h`}>${t('service.choose')}</h2>
    <nav class="quick-periods" aria-label=${t('service.quick')}>
      <span class="quick-label" aria-hidden="true">${t('service.quick')}:</span>
      <ul>
        ${quickPeriods().map((q) => {
          const b = periodBounds(parsePeriod(q.period, 2000));
          return html`<li key=${q.key}>
            <${Link}
              href=${serviceHref(q.period, choice.unit)}
              aria-current=${q.period === choice.period ? 'true' : undefined}
              >${t(`service.quick.${q.key}`, { from: formatDate(t, b.from), to: formatDate(t, b.to) })}<//
            >
          </li>`;
        })}
      </ul>
    </nav>
    <div class="filter-grid">
      <${PeriodFields} f=${f} setField=${setField} error=${periodError} />
    </div>
    <${UnitPicker}
      label=${t('service.unit')}
      value=${u}
      onChange=${setU}
      clearable
      error=${errorsFor(t, err, 'unit')}
    />
    <div class="actions">
      <button type="submit" class="primary">${t('service.show')}</button>
    </div>
  </form>`;
}

// ---- figures ----

function Figures({ stats, unit, unitName }) {
  const { t } = useApp();
  const p = stats.period;
  const href = (name) => listHref(name, figureFilters(name, p), stats, unit);
  const count = (name) => formatCount(t, stats[name]);
  // a count of the stats linked to its dossiers; 'more' overrides its value, note, link...
  const figure = (name, more) =>
    html`<${Figure}
      key=${name}
      name=${name}
      value=${count(name)}
      label=${t(`service.fig.${name}`)}
      href=${href(name)}
      ...${more}
    />`;
  return html`<section aria-labelledby="sc-figures-h">
    <h2 id="sc-figures-h">
      ${t('service.figures_title', { period: p, from: formatDate(t, stats.from), to: formatDate(t, stats.to) })}
    </h2>
    <p class="scope-line">${t('service.unit_line', { unit: unitName || t('service.unit_all') })}</p>
    <ul class="figures">
      ${figure('received', {
        note: t('service.fig.online_note', {
          n: formatCount(t, stats.received_online),
          share: formatShare(t, stats.online_share),
        }),
      })}
      ${figure('processed', {
        note: t('service.fig.processed_note', {
          early: count('early'),
          on_time: count('on_time'),
          late: count('late'),
        }),
      })}
      ${figure('average_working_days', {
        value: formatTenths(t, stats.average_working_days),
        label: t('service.fig.avg_days'),
        note: t('service.fig.avg_days_note'),
        href: href('processed'),
      })}
    </ul>
    <ul class="figures small">
      ${TIMELINESS.map((k) =>
        figure(k, { note: t('service.fig.rate_note', { rate: formatShare(t, stats[`${k}_rate`]) }) }),
      )}
      ${['supplement', 'apology', 'guided', 'refused', 'withdrawn', 'stopped', 'returned'].map((k) => figure(k))}
      ${figure('carried_over', {
        note: t('service.fig.carried_over_note', { from: formatDate(t, stats.from) }),
        href: null,
      })}
    </ul>
    <h2 id="sc-now-h">${t('service.now_title')}</h2>
    <p class="scope-line">${t('service.now_hint')}</p>
    <ul class="figures small" aria-labelledby="sc-now-h">
      ${figure('within_due', { value: formatCount(t, stats.now.within_due) })}
      ${figure('overdue', { value: formatCount(t, stats.now.overdue) })}
      ${figure('waiting', { value: formatCount(t, stats.now.waiting_for_papers) })}
    </ul>
  </section>`;
}

// ---- today ----

const TODAY_FIGURES = ['received', 'guided', 'refused', 'processed', 'returned'];

/** Today's intake and results at the desks in scope: the stats of today alone. */
function Today({ unit }) {
  const { t } = useApp();
  const day = today();
  const period = `${day}..${day}`;
  const [stats, err] = useLoaded(() => get('/dossiers/stats', { period, unit }), [period, unit]);

  return html`<section class="service-today" aria-labelledby="sc-today-h" data-period=${period}>
    <h2 id="sc-today-h">${t('service.today_title', { date: formatDate(t, day) })}</h2>
    <${ErrorBox} err=${err} />
    ${!stats && !err && html`<${Loading} />`}
    ${stats &&
    html`<ul class="figures small">
      ${TODAY_FIGURES.map(
        (k) => html`<${Figure}
          key=${k}
          name=${`today-${k}`}
          value=${formatCount(t, stats[k])}
          label=${t(`service.today.${k}`)}
          href=${hrefWith('/service/list', { figure: k, period, unit, ...figureFilters(k, period) })}
        />`,
      )}
    </ul>`}
  </section>`;
}

// ---- by unit and by field ----

/**
 * The share processed on time or early, in tenths of a percent rounded half up as the
 * server rounds its rates (rf_rate_tenths), or null when nothing was processed.
 */
function timelyShare(t, row) {
  if (!row.processed) return null;
  const tenths = Math.floor(((row.early + row.on_time) * 2000 + row.processed) / (2 * row.processed));
  return formatShare(t, (tenths / 10).toFixed(1));
}

// Past this many rows the table scrolls in its own region, its head kept in view.
const BY_SCROLL = 15;

/**
 * The period's figures of each row of GET /dossiers/stats?by=unit|field: received,
 * processed, the share on time or early, late; each count opens its list with the row's
 * filter added (unit=ID, or field=F). A unit's name opens the dashboard of that unit.
 */
function ByTable({ by, rows, stats, unit }) {
  const { t } = useApp();
  const sorted = [...rows].sort((a, b) => b.received - a.received || (a.name || a.key).localeCompare(b.name || b.key));
  const filterOf = (row) => (by === 'unit' ? { unit: row.unit_id } : { field: row.key, unit });
  const href = (row, name) =>
    hrefWith('/service/list', { figure: name, period: stats.period, ...figureFilters(name, stats.period), ...filterOf(row) });
  const label = (row) =>
    by === 'unit'
      ? html`<${Link} href=${serviceHref(stats.period, row.unit_id)}>${row.name || row.key}<//>`
      : fieldText(t, row.key);
  return html`<section class="panel by-panel" aria-labelledby=${`sc-by-${by}-h`} data-by=${by}>
    <h2 id=${`sc-by-${by}-h`}>${t(`service.by.${by}`)}</h2>
    ${by === 'unit' && html`<p class="hint">${t('service.by.unit_hint')}</p>`}
    ${sorted.length === 0
      ? html`<p>${t(`service.by.none_${by}`)}</p>`
      : html`<div
          class=${`table-wrap${sorted.length > BY_SCROLL ? ' by-scroll' : ''}`}
          role="region"
          tabindex="0"
          aria-labelledby=${`sc-by-${by}-h`}
        >
          <${FiguresTable}
            caption=${t(`service.by.${by}`)}
            className="by-table"
            head=${t(`service.by.col_${by}`)}
            columns=${[
              { key: 'received', label: t('service.fig.received') },
              { key: 'processed', label: t('service.fig.processed') },
              { key: 'timely', label: t('service.by.col_timely'), text: (row) => timelyShare(t, row) || '—' },
              { key: 'late', label: t('service.fig.late') },
            ]}
            rows=${sorted}
            rowKey=${(row) => row.key}
            rowHead=${label}
            href=${href}
          />
        </div>`}
  </section>`;
}

// ---- charts ----

function TimelinessChart({ stats, unit }) {
  const { t } = useApp();
  const href = (k) => listHref(k, figureFilters(k, stats.period), stats, unit);
  const config = useMemo(
    () => ({
      type: 'bar',
      data: {
        labels: TIMELINESS.map((k) => t(`service.fig.${k}`)),
        datasets: [
          {
            label: t('service.chart.count'),
            data: TIMELINESS.map((k) => stats[k]),
            backgroundColor: TIMELINESS.map((k) => TIMELINESS_COLOURS[k]),
          },
        ],
      },
      options: {
        ...commonOptions(t),
        plugins: { legend: { display: false } },
        scales: { x: axis(), y: axis({ beginAtZero: true, ticks: { color: INK, precision: 0 } }) },
      },
    }),
    [stats, t],
  );
  const vars = {};
  for (const k of TIMELINESS) {
    vars[k] = formatCount(t, stats[k]);
    vars[`${k}_rate`] = formatShare(t, stats[`${k}_rate`]);
  }
  return html`<section class="panel chart-panel" aria-labelledby="sc-timeliness-h">
    <h2 id="sc-timeliness-h">${t('service.chart.timeliness')}</h2>
    ${stats.processed === 0
      ? html`<p>${t('service.chart.none')}</p>`
      : html`<${ChartCanvas}
            config=${config}
            label=${t('service.chart.timeliness_alt', vars)}
            onPick=${(ds, i) => navigate(href(TIMELINESS[i]))}
          />
          <${TableBox} summary=${t('chart.table')}>
            <${FiguresTable}
              caption=${t('service.chart.timeliness')}
              head=${t('service.list.timeliness')}
              columns=${[
                { key: 'count', label: t('service.chart.count'), n: (k) => stats[k] },
                { key: 'rate', label: t('service.chart.rate'), text: (k) => formatShare(t, stats[`${k}_rate`]) },
              ]}
              rows=${TIMELINESS}
              rowKey=${(k) => k}
              rowHead=${(k) => t(`service.fig.${k}`)}
              href=${href}
            />
          <//>`}
  </section>`;
}

/**
 * The months of [from, to] that have begun by today, the last 12 at most: each as the
 * period to ask for (YYYY-MM when whole, else the part of it inside the range).
 */
function monthsOf(from, to) {
  const now = today();
  const out = [];
  let y = +from.slice(0, 4);
  let m = +from.slice(5, 7);
  for (;;) {
    const start = `${y}-${pad(m)}-01`;
    const end = monthEnd(y, m);
    if (start > to || start > now) break;
    const a = from > start ? from : start;
    const b = to < end ? to : end;
    out.push({ month: `${y}-${pad(m)}`, period: a === start && b === end ? `${y}-${pad(m)}` : `${a}..${b}` });
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return out.slice(-12);
}

function Trend({ stats, unit }) {
  const { t } = useApp();
  const load = () =>
    Promise.all(
      monthsOf(stats.from, stats.to).map((mo) =>
        get('/dossiers/stats', { period: mo.period, unit }).then((s) => ({ ...mo, received: s.received, processed: s.processed })),
      ),
    );
  const monthName = (mo) =>
    new Intl.DateTimeFormat(t.locale, { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(
      new Date(Date.UTC(+mo.slice(0, 4), +mo.slice(5, 7) - 1, 1)),
    );
  const hrefOf = (p, name) =>
    hrefWith('/service/list', { figure: name, period: p.period, unit, ...figureFilters(name, p.period) });
  const config = (points) => ({
    type: 'bar',
    data: {
      labels: points.map((p) => monthName(p.month)),
      datasets: [
        { label: t('service.fig.received'), data: points.map((p) => p.received), backgroundColor: RECEIVED_COLOUR },
        { label: t('service.fig.processed'), data: points.map((p) => p.processed), backgroundColor: PROCESSED_COLOUR },
      ],
    },
    options: {
      ...commonOptions(t),
      scales: { x: axis(), y: axis({ beginAtZero: true, ticks: { color: INK, precision: 0 } }) },
    },
  });
  const label = (points) =>
    t('service.chart.trend_alt', {
      rows: points
        .map((p) =>
          t('service.chart.trend_row', {
            month: monthName(p.month),
            received: formatCount(t, p.received),
            processed: formatCount(t, p.processed),
          }),
        )
        .join('; '),
    });
  return html`<${TrendPanel}
    headingId="sc-trend-h"
    title=${t('service.chart.trend')}
    hint=${t('service.chart.trend_hint')}
    none=${t('service.chart.trend_none')}
    load=${load}
    deps=${[stats, unit]}
    config=${config}
    label=${label}
    onPick=${(p, ds) => navigate(hrefOf(p, ds === 0 ? 'received' : 'processed'))}
    table=${(points) => html`<${FiguresTable}
      caption=${t('service.chart.trend')}
      className="trend-table"
      head=${t('service.chart.month')}
      columns=${[
        { key: 'received', label: t('service.fig.received') }, { key: 'processed', label: t('service.fig.processed') },
      ]}
      rows=${points}
      rowKey=${(p) => p.month}
      rowHead=${(p) => monthName(p.month)}
      rowData=${(p) => ({ 'data-month': p.month })}
      href=${hrefOf}
      nowrap
    />`}
  />`;
}

/** The unit {id, code, name} of the URL's 'unit' (null when none or unreadable). */
function useUnit(id) {
  const load = () => id && get(`/units/${encodeURIComponent(id)}`).catch(() => ({ id: +id, code: '', name: `#${id}` }));
  return useLoaded(load, [id])[0];
}

export function ServicePage({ query }) {
  const { t } = useApp();
  const qs = query.toString();
  const choice = useMemo(() => choiceOf(query), [qs]);
  const unit = useUnit(choice.unit);
  // The figures come with the rows by unit; the rows by field are a second call.
  const [both, err] = useLoaded(() => {
    const q = { period: choice.period, unit: choice.unit };
    return Promise.all([get('/dossiers/stats', { ...q, by: 'unit' }), get('/dossiers/stats', { ...q, by: 'field' })]);
  }, [choice]);
  const [stats, byField] = both || [null, null];

  return html`<div>
    <${PageTitle} title=${t('service.title')}>${t('service.title')}<//>
    <p class="lead">${t('service.intro')}</p>
    <${Picker} choice=${choice} unit=${unit} err=${err} />
    <${Today} unit=${choice.unit} />
    <${ErrorBox} err=${err} text=${err ? formProblemText(t, err) : ''} />
    ${!stats && !err && html`<${Loading} />`}
    ${stats &&
    html`<div class="dashboard service-dashboard" data-period=${stats.period}>
      <${Figures} stats=${stats} unit=${choice.unit} unitName=${unit && unit.name} />
      <${ByTable} by="field" rows=${byField.rows || []} stats=${stats} unit=${choice.unit} />
      <${ByTable} by="unit" rows=${stats.rows || []} stats=${stats} unit=${choice.unit} />
      <div class="columns">
        <${TimelinessChart} stats=${stats} unit=${choice.unit} />
        <${Trend} stats=${stats} unit=${choice.unit} />
      </div>
    </div>`}
  </div>`;
}

// ---- the dossiers behind a figure ----

// The filters of GET /api/v1/dossiers a list's URL passes through, the periods first.
const PERIOD_FILTERS = ['received', 'result', 'ended', 'taken', 'asked', 'apologised'];
const LIST_FILTERS = [...PERIOD_FILTERS, 'state', 'timeliness', 'field', 'level', 'overdue', 'unit'];
const LIST_FIGURES = [
  'received',
  'processed',
  'early',
  'on_time',
  'late',
  'supplement',
  'apology',
  'guided',
  'refused',
  'withdrawn',
  'stopped',
  'returned',
  'within_due',
  'overdue',
  'waiting',
];
const PAGE = 50;

/** Whether a dossier in process is past its due time now. */
const isOverdue = (x) => x.state === 'processing' && !!x.due_at && Date.parse(x.due_at) < Date.now();

export function ServiceListPage({ query }) {
  const { t } = useApp();
  const qs = query.toString();
  const filters = useMemo(() => {
    const f = {};
    for (const k of LIST_FILTERS) if (query.get(k)) f[k] = query.get(k);
    return f;
  }, [qs]);
  const figure = LIST_FIGURES.includes(query.get('figure')) ? query.get('figure') : 'other';
  const period = query.get('period') || PERIOD_FILTERS.map((k) => filters[k]).find(Boolean) || '';
  const unit = useUnit(filters.unit);
  const list = usePagedList('/dossiers', { ...filters, limit: PAGE });
  const { items, next, err } = list;

  const title = t(`service.list.heading.${figure}`, { period });
  return html`<div>
    <p class="no-print"><${Link} href=${serviceHref(query.get('period') || '', filters.unit)}>${t('service.list.back')}<//></p>
    <${PageTitle} title=${title}>${title}<//>
    ${filters.unit && html`<p class="scope-line">${t('service.unit_line', { unit: (unit && unit.name) || `#${filters.unit}` })}</p>`}
    ${filters.field && html`<p class="scope-line">${t('service.field_line', { field: fieldText(t, filters.field) })}</p>`}
    ${['supplement', 'apology'].includes(figure) && html`<p class="hint">${t(`service.list.note.${figure}`)}</p>`}
    <${ErrorBox} err=${err} text=${err ? formProblemText(t, err) : ''} />
    ${!items && !err && html`<${Loading} />`}
    ${items &&
    (items.length === 0
      ? html`<p role="status">${t('service.list.none')}</p>`
      : html`<p class="result-count" role="status">
            ${next ? t('service.list.count_more', { n: items.length }) : t('service.list.count', { n: items.length })}
          </p>
          <${ListTable}
            className="service-list"
            caption=${title}
            columns=${[
              t('dossier.code'), t('dossier.state_label'), t('dossier.received'), t('dossier.due'),
              t('service.list.timeliness'),
            ]}
          >
            ${items.map(
              (x) => html`<tr key=${x.code} data-code=${x.code} data-timeliness=${x.timeliness || ''}>
                <td><${Link} href=${dossierHref(x.code)}><span class="nowrap">${x.code}</span><//></td>
                <td><${StateBadge} state=${x.state} overdue=${isOverdue(x)} /></td>
                <td>${instantText(t, x.received_at)}</td>
                <td>${whenText(t, x.due_local)}</td>
                <td>
                  ${x.timeliness
                    ? html`<span class=${`timeliness timeliness-${x.timeliness}`}>${t(`service.fig.${x.timeliness}`)}</span>`
                    : t('service.list.no_result')}
                </td>
              </tr>`,
            )}
          <//>
          <${ShowMore} list=${list} />`)}
  </div>`;
}
