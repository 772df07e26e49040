// The steering committee's dashboard (/dashboard?period=P&as_of=D&assigning_body=B): the
// figures of GET /api/v1/tasks/stats for a period and as of a date, the two completion
// rates each named by what it divides by, and three Chart.js charts (status by assigning
// body, completion by lead unit, the completion rates at each month end of the year).
// Every figure, table cell and chart segment opens the task list filtered to the tasks
// behind it; each chart has a text alternative (its numbers in aria-label) and a table
// with the same numbers and links for keyboard and screen-reader users.

import { html, useState, useEffect, useMemo, useId } from '../lib.js';
import { useApp } from '../context.js';
import { ChartCanvas, Figure, FiguresTable, TableBox, TrendPanel, INK, axis, commonOptions } from '../charts.js';
import { get } from '../api.js';
import { navigate, hrefWith } from '../router.js';
import { today, formatDate } from '../i18n.js';
import { PageTitle, ErrorBox, Loading, Field, SelectField, errorsFor, formProblemText, useLoaded } from '../components.js';
import {
  STATUSES,
  COMPLETED,
  bodyOptions,
  bodyName,
  fieldName,
  formatCount,
  formatRate,
  tasksHref,
} from '../kits/tasks.js';
import { periodText, parsePeriod, periodBounds, minDate, trendDates } from '../period.js';
import { PeriodFields } from '../pickers.js';

// Chart colours: each at least 3:1 against the white background (WCAG 1.4.11); the
// legend, tooltips and tables carry the names, so colour is never the only cue.
const STATUS_COLOURS = {
  done_on_time: '#2e7d32',
  done_late: '#b45309',
  in_progress: '#1d6fd1',
  overdue: '#c62828',
  no_deadline: '#6b7280',
};
const RATE_COLOUR = '#0b3d6b';
const DUE_RATE_COLOUR = '#b45309';

function thisYear() {
  return +today().slice(0, 4);
}

/** The dashboard's choice read from the URL, with defaults: this year, as of today. */
function choiceOf(query) {
  const year = thisYear();
  const fields = parsePeriod(query.get('period'), year) || parsePeriod(String(year), year);
  const { to } = periodBounds(fields);
  return {
    fields,
    period: query.get('period') || periodText(fields),
    asOf: query.get('as_of') || minDate(to, today()),
    scope: query.get('assigning_body') || '',
  };
}

function dashboardHref(period, asOf, scope) {
  return hrefWith('/dashboard', { period, as_of: asOf, assigning_body: scope });
}

// ---- the period picker ----

function PeriodPicker({ choice, err }) {
  const { t } = useApp();
  const [f, setF] = useState(choice.fields);
  const [asOf, setAsOf] = useState(choice.asOf);
  const [asOfTouched, setAsOfTouched] = useState(false);
  const [scope, setScope] = useState(choice.scope);
  const id = useId();

  useEffect(() => {
    setF(choice.fields);
    setAsOf(choice.asOf);
    setAsOfTouched(false);
    setScope(choice.scope);
  }, [choice.period, choice.asOf, choice.scope]);

  // Until the user sets the as-of date, it follows the period: its last day, or today.
  const setField = (k) => (v) => {
    const next = { ...f, [k]: k === 'from' || k === 'to' || k === 'kind' ? v : Number(v) };
    setF(next);
    if (!asOfTouched) {
      const { to } = periodBounds(next);
      if (to && /^\d{4}-\d{2}-\d{2}$/.test(to)) setAsOf(minDate(to, today()));
    }
  };

  const submit = (ev) => {
    ev.preventDefault();
    navigate(dashboardHref(periodText(f), asOf, scope));
  };

  const periodError = errorsFor(t, err, 'period');

  return html`<form class="panel period-picker" aria-labelledby=${`${id}-h`} onSubmit=${submit} novalidate>
    <h2 id=${`${id}-h`}>${t('dashboard.choose')}</h2>
    <div class="filter-grid">
      <${PeriodFields} f=${f} setField=${setField} error=${periodError} />
      <${Field}
        label=${t('dashboard.as_of')}
        name="as_of"
        type="date"
        hint=${t('dashboard.as_of_hint')}
        value=${asOf}
        onInput=${(v) => {
          setAsOf(v);
          setAsOfTouched(true);
        }}
        error=${errorsFor(t, err, 'as_of')}
      />
      <${SelectField}
        label=${t('dashboard.scope')}
        name="assigning_body"
        value=${scope}
        onInput=${setScope}
        options=${bodyOptions(t, t('dashboard.scope_all'))}
        error=${errorsFor(t, err, 'assigning_body')}
      />
    </div>
    <div class="actions">
      <button type="submit" class="primary">${t('dashboard.show')}</button>
    </div>
  </form>`;
}

// ---- figures ----

/** The filters of the tasks counted in a tally, as list filters (see tasksHref). */
function baseFilters(stats, scope) {
  return {
    date: stats.as_of,
    assigned_from: stats.from,
    // a task assigned after the as-of date is not counted yet
    assigned_to: minDate(stats.to, stats.as_of),
    assigning_body: scope,
  };
}

/** The list filters of a figure: 'assigned', 'completed', 'due' or a status. */
function figureFilters(key) {
  if (key === 'assigned') return {};
  if (key === 'completed') return { status: COMPLETED };
  if (key === 'due') return { due: '1' };
  return { status: key };
}

/** The words of a figure: 'assigned', 'completed', 'due', a rate or a status. */
function figureLabel(t, key) {
  return STATUSES.includes(key) ? t(`status.${key}`) : t(`figure.${key}`);
}

/**
 * The columns of a figures table: each count of 'keys' (a figure of figureFilters) linked to
 * its tasks, the two rates ('completion_rate', 'due_completion_rate') as text.
 */
function taskColumns(t, keys) {
  return keys.map((key) =>
    key.endsWith('_rate')
      ? { key, label: t(`figure.${key}_short`), text: (r) => formatRate(t, r[key]) }
      : { key, label: figureLabel(t, key) },
  );
}

function Headline({ stats, scope }) {
  const { t } = useApp();
  const total = stats.total;
  const base = baseFilters(stats, scope);
  const href = (key) => tasksHref({ ...base, ...figureFilters(key) });
  // a count, or a rate ('value') with what it divides ('note'), linked to the tasks it counts
  const figure = (key, more) =>
    html`<${Figure}
      key=${key}
      name=${key}
      value=${formatCount(t, total[key])}
      label=${figureLabel(t, key)}
      href=${href(key)}
      ...${more}
    />`;
  const of = (completed, all) => ({ completed: formatCount(t, total[completed]), of: formatCount(t, total[all]) });
  return html`<section aria-labelledby="figures-h">
    <h2 id="figures-h">
      ${t('dashboard.figures_title', {
        period: stats.period,
        from: formatDate(t, stats.from),
        to: formatDate(t, stats.to),
        date: formatDate(t, stats.as_of),
      })}
    </h2>
    <p class="scope-line">${t('dashboard.scope_line', { scope: scope ? bodyName(t, scope) : t('dashboard.scope_all') })}</p>
    <ul class="figures">
      ${figure('assigned', { big: true })}
      ${figure('completed', { big: true })}
      ${figure('completion_rate', {
        big: true,
        value: formatRate(t, total.completion_rate),
        note: t('figure.rate_of', of('completed', 'assigned')),
        href: href('assigned'),
      })}
      ${figure('due_completion_rate', {
        big: true,
        value: formatRate(t, total.due_completion_rate),
        note: t('figure.due_rate_of', of('completed_due', 'due')),
        href: href('due'),
      })}
    </ul>
    <ul class="figures small">
      ${STATUSES.map((s) => figure(s))}
      ${figure('due')}
    </ul>
  </section>`;
}

// ---- charts ----


/** The columns of the chart's table: the status columns say their status (data-status). */
function bodyColumns(t) {
  return taskColumns(t, ['assigned', ...STATUSES, 'completion_rate', 'due_completion_rate']).map((c) =>
    STATUSES.includes(c.key) ? { ...c, attrs: { 'data-status': c.key } } : c,
  );
}

function StatusByBody({ stats, scope }) {
  const { t } = useApp();
  const rows = stats.by_assigning_body || [];
  const base = baseFilters(stats, scope);
  const config = useMemo(
    () => ({
      type: 'bar',
      data: {
        labels: rows.map((r) => bodyName(t, r.key)),
        datasets: STATUSES.map((s) => ({
          label: t(`status.${s}`),
          data: rows.map((r) => r[s]),
          backgroundColor: STATUS_COLOURS[s],
          borderColor: '#ffffff',
          borderWidth: 1,
        })),
      },
      options: {
        ...commonOptions(t),
        scales: {
          x: axis({ stacked: true }),
          y: axis({ stacked: true, beginAtZero: true, ticks: { color: INK, precision: 0 } }),
        },
      },
    }),
    [stats, t],
  );
  const label = t('chart.by_body_alt', {
    rows: rows
      .map(
        (r) =>
          `${bodyName(t, r.key)}: ${t('chart.status_counts', {
            assigned: r.assigned,
            done_on_time: r.done_on_time,
            done_late: r.done_late,
            in_progress: r.in_progress,
            overdue: r.overdue,
            no_deadline: r.no_deadline,
          })}`,
      )
      .join('; '),
  });
  return html`<section class="panel chart-panel" aria-labelledby="by-body-h">
    <h2 id="by-body-h">${t('chart.by_body')}</h2>
    ${rows.length === 0
      ? html`<p>${t('dashboard.no_tasks')}</p>`
      : html`<${ChartCanvas}
            config=${config}
            label=${label}
            onPick=${(ds, i) =>
              navigate(tasksHref({ ...base, assigning_body: rows[i].key, status: STATUSES[ds] }))}
          />
          <${TableBox} summary=${t('chart.table')}>
            <${FiguresTable}
              caption=${t('chart.by_body')}
              head=${t('task.assigning_body')}
              columns=${bodyColumns(t)}
              rows=${rows}
              rowKey=${(r) => r.key}
              rowHead=${(r) => bodyName(t, r.key)}
              href=${(r, key) => tasksHref({ ...base, assigning_body: r.key, ...figureFilters(key) })}
            />
          <//>`}
  </section>`;
}

const UNIT_FIGURES = [
  'assigned',
  'completed',
  'done_late',
  'overdue',
  'completion_rate',
  'due',
  'due_completion_rate',
];

const shorten = (s, n) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function CompletionByUnit({ stats, scope }) {
  const { t } = useApp();
  const base = baseFilters(stats, scope);
  const rows = useMemo(
    () =>
      [...(stats.by_lead_unit || [])].sort(
        (a, b) =>
          Number.parseFloat(b.completion_rate) - Number.parseFloat(a.completion_rate) ||
          b.assigned - a.assigned ||
          (a.code < b.code ? -1 : 1),
      ),
    [stats],
  );
  const config = useMemo(
    () => ({
      type: 'bar',
      data: {
        labels: rows.map((r) => r.name || r.code),
        datasets: [
          {
            label: t('figure.completion_rate'),
            data: rows.map((r) => Number.parseFloat(r.completion_rate)),
            backgroundColor: RATE_COLOUR,
          },
        ],
      },
      options: {
        ...commonOptions(t),
        indexAxis: 'y',
        plugins: {
          ...commonOptions(t).plugins,
          legend: { display: false },
          tooltip: {
            callbacks: {
              title: (items) => (items.length ? `${rows[items[0].dataIndex].name} (${rows[items[0].dataIndex].code})` : ''),
              label: (item) => {
                const r = rows[item.dataIndex];
                return t('chart.unit_tip', {
                  rate: formatRate(t, r.completion_rate),
                  completed: r.completed,
                  assigned: r.assigned,
                  due_rate: formatRate(t, r.due_completion_rate),
                  completed_due: r.completed_due,
                  due: r.due,
                });
              },
            },
          },
        },
        scales: {
          x: axis({ min: 0, max: 100, ticks: { color: INK, callback: (v) => `${v}%` } }),
          y: axis({
            ticks: {
              color: INK,
              autoSkip: false,
              // names shortened to what the width leaves room for; the tooltip and the
              // table give them whole
              callback(value, index) {
                return shorten(rows[index].name || rows[index].code, this.chart.width < 480 ? 16 : 30);
              },
            },
          }),
        },
      },
    }),
    [rows, t],
  );
  const label = t('chart.by_unit_alt', {
    rows: rows
      .map((r) => `${r.name} (${r.code}): ${formatRate(t, r.completion_rate)}, ${r.completed}/${r.assigned}`)
      .join('; '),
  });
  const size = rows.length > 24 ? 'tallest' : rows.length > 10 ? 'tall' : '';
  return html`<section class="panel chart-panel" aria-labelledby="by-unit-h">
    <h2 id="by-unit-h">${t('chart.by_unit')}</h2>
    <p class="hint">${t('chart.by_unit_hint')}</p>
    ${rows.length === 0
      ? html`<p>${t('dashboard.no_tasks')}</p>`
      : html`<${ChartCanvas}
            config=${config}
            label=${label}
            size=${size}
            onPick=${(ds, i) => navigate(tasksHref({ ...base, lead_unit: rows[i].unit_id }))}
          />
          <${TableBox} summary=${t('chart.table')}>
            <${FiguresTable}
              caption=${t('chart.by_unit')}
              head=${t('task.lead_unit')}
              columns=${taskColumns(t, UNIT_FIGURES)}
              rows=${rows}
              rowKey=${(r) => r.unit_id}
              rowHead=${(r) => html`${r.name} <span class="code">${r.code}</span>`}
              href=${(r, key) => tasksHref({ ...base, lead_unit: r.unit_id, ...figureFilters(key) })}
            />
          <//>`}
  </section>`;
}

function ByField({ stats, scope }) {
  const { t } = useApp();
  const rows = stats.by_field || [];
  const base = baseFilters(stats, scope);
  if (rows.length === 0) return null;
  return html`<section class="panel" aria-labelledby="by-field-h">
    <h2 id="by-field-h">${t('chart.by_field')}</h2>
    <div class="table-wrap">
      <${FiguresTable}
        caption=${t('chart.by_field')}
        head=${t('task.field')}
        columns=${taskColumns(t, ['assigned', 'completed', 'overdue', 'completion_rate', 'due_completion_rate'])}
        rows=${rows}
        rowKey=${(r) => r.key}
        rowHead=${(r) => fieldName(t, r.key)}
        href=${(r, key) => tasksHref({ ...base, field: r.key, ...figureFilters(key) })}
      />
    </div>
  </section>`;
}

/** The completion rates at each month end of the period's year, up to the as-of date. */
function Trend({ stats, choice }) {
  const { t } = useApp();
  const year = choice.fields.kind === 'range' ? +stats.from.slice(0, 4) : choice.fields.year;
  const load = () =>
    Promise.all(
      trendDates(year, stats.as_of).map((d) =>
        get('/tasks/stats', { period: stats.period, as_of: d, assigning_body: choice.scope }).then((s) => ({
          date: d,
          ...s.total,
        })),
      ),
    );
  // the tasks of a point: assigned in the period up to its date, with their status on it
  const linkOf = (p, key) =>
    tasksHref({
      date: p.date,
      assigned_from: stats.from,
      assigned_to: minDate(stats.to, p.date),
      assigning_body: choice.scope,
      ...figureFilters(key),
    });
  const config = (points) => ({
    type: 'line',
    data: {
      labels: points.map((p) => formatDate(t, p.date)),
      datasets: [
        {
          label: t('figure.completion_rate'),
          data: points.map((p) => Number.parseFloat(p.completion_rate)),
          borderColor: RATE_COLOUR,
          backgroundColor: RATE_COLOUR,
          pointRadius: 4,
          pointHoverRadius: 6,
        },
        {
          label: t('figure.due_completion_rate'),
          data: points.map((p) => Number.parseFloat(p.due_completion_rate)),
          borderColor: DUE_RATE_COLOUR,
          backgroundColor: DUE_RATE_COLOUR,
          borderDash: [6, 4],
          pointStyle: 'rectRot',
          pointRadius: 5,
          pointHoverRadius: 7,
        },
      ],
    },
    options: {
      ...commonOptions(t),
      scales: {
        x: axis(),
        y: axis({ min: 0, max: 100, ticks: { color: INK, callback: (v) => `${v}%` } }),
      },
    },
  });
  const label = (points) =>
    t('chart.trend_alt', {
      rows: points
        .map(
          (p) =>
            `${formatDate(t, p.date)}: ${formatRate(t, p.completion_rate)} (${p.completed}/${p.assigned}), ${formatRate(
              t,
              p.due_completion_rate,
            )} (${p.completed_due}/${p.due})`,
        )
        .join('; '),
    });
  return html`<${TrendPanel}
    headingId="trend-h"
    title=${t('chart.trend', { year })}
    hint=${t('chart.trend_hint')}
    none=${t('chart.trend_none')}
    load=${load}
    deps=${[stats, year, choice.scope]}
    config=${config}
    label=${label}
    onPick=${(p, ds) => navigate(linkOf(p, ds === 1 ? 'due' : 'assigned'))}
    table=${(points) => html`<${FiguresTable}
      caption=${t('chart.trend', { year })}
      head=${t('chart.month_end')}
      columns=${taskColumns(t, ['assigned', 'completed', 'completion_rate', 'due', 'due_completion_rate'])}
      rows=${points}
      rowKey=${(p) => p.date}
      rowHead=${(p) => formatDate(t, p.date)}
      href=${linkOf}
      nowrap
    />`}
  />`;
}

export function DashboardPage({ query }) {
  const { t } = useApp();
  const qs = query.toString();
  const choice = useMemo(() => choiceOf(query), [qs]);
  const [stats, err] = useLoaded(
    () => get('/tasks/stats', { period: choice.period, as_of: choice.asOf, assigning_body: choice.scope }),
    [choice],
  );

  return html`<div>
    <${PageTitle} title=${t('dashboard.title')}>${t('dashboard.title')}<//>
    <p class="lead">${t('dashboard.intro')}</p>
    <${PeriodPicker} choice=${choice} err=${err} />
    <${ErrorBox} err=${err} text=${err ? formProblemText(t, err) : ''} />
    ${!stats && !err && html`<${Loading} />`}
    ${stats &&
    html`<div class="dashboard" data-period=${stats.period} data-as-of=${stats.as_of}>
      <${Headline} stats=${stats} scope=${choice.scope} />
      <div class="columns">
        <${StatusByBody} stats=${stats} scope=${choice.scope} />
        <${Trend} stats=${stats} choice=${choice} />
      </div>
      <${CompletionByUnit} stats=${stats} scope=${choice.scope} />
      <${ByField} stats=${stats} scope=${choice.scope} />
    </div>`}
  </div>`;
}
