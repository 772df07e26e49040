// The legal working calendar (/calendar?year=Y): a year's days off and make-up working days
// (GET /api/v1/calendar/Y, public) as twelve month grids and as a table, with the basis of
// the year (an announcement an admin recorded, the Government's announcement shipped with
// Reform, or the Labour Code's default proposal). Admins record the year's announcement
// (PUT /api/v1/calendar/Y) and the working hours from a date (POST /api/v1/calendar/hours);
// everyone may work out a due time (GET /api/v1/calendar/due).
//
// The grids show each day's status by colour and border style; every exception day is a
// link (its accessible name says the kind, name and lunar date) that moves focus to its row
// of the table, where the name, lunar date and source are written out.

import { html, useState, useEffect, useRef } from '../lib.js';
import { useApp } from '../context.js';
import { get, post, put } from '../api.js';
import { Link, navigate, hrefWith } from '../router.js';
import { today, formatDate, formatInstant, fieldErrorText } from '../i18n.js';
import {
  PageTitle,
  ErrorBox,
  Notice,
  Loading,
  Field,
  SelectField,
  TextAreaField,
  errorsFor,
  formProblemText,
  useAction,
  useForm,
  useLoaded,
  ListTable,
  FormActions,
} from '../components.js';

export const DAY_KINDS = ['holiday', 'compensation', 'swap_off', 'makeup'];
// The statuses a day of the grid may have, in the legend's order.
const STATUSES = ['work', 'weekend', 'holiday', 'compensation', 'swap_off', 'makeup'];
// Monday-first weeks.
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
// The years the API answers (RF_DATE_MIN_YEAR + 1 to RF_DATE_MAX_YEAR).
const FIRST_YEAR = 1901;
const LAST_YEAR = 2199;

const inRange = (year) => year >= FIRST_YEAR && year <= LAST_YEAR;
const isAdmin = (me) => !!me && Array.isArray(me.roles) && me.roles.includes('admin');
const pad2 = (n) => String(n).padStart(2, '0');
const isoOf = (y, m, d) => `${String(y).padStart(4, '0')}-${pad2(m)}-${pad2(d)}`;
const daysInMonth = (y, m) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** 0 (Monday) to 6 (Sunday) for year, month (1-12), day. */
function weekdayOf(y, m, d) {
  return (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
}

/** The weekday index of a YYYY-MM-DD date, or -1 when it is not one. */
function weekdayOfIso(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || '');
  return m ? weekdayOf(+m[1], +m[2], +m[3]) : -1;
}

const weekdayName = (t, iso) => {
  const wd = weekdayOfIso(iso);
  return wd < 0 ? '' : t(`calendar.wd.${WEEKDAYS[wd]}`);
};

/** The year asked for in the URL, or this year. */
function yearOf(query) {
  const q = query.get('year') || '';
  return /^\d{1,4}$/.test(q) ? +q : +today().slice(0, 4);
}

const calendarHref = (year) => hrefWith('/calendar', { year });

/**
 * A lunar date "YYYY-MM-DD" (or "YYYY-MML-DD" in a leap month) as text: 'short' gives the
 * day and month for a grid cell, else with the year.
 */
function lunarText(t, lunar, short) {
  const m = /^(\d{4})-(\d{2})(L?)-(\d{2})$/.exec(lunar || '');
  if (!m) return '';
  const vars = { year: m[1], month: m[2], day: m[4] };
  const leap = m[3] ? '_leap' : '';
  return t(`calendar.lunar_${short ? 'short' : 'full'}${leap}`, vars);
}

/** "2026-02-25 17:00" → its weekday, date and time in the language of 't'. */
function dueText(t, due) {
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2})$/.exec(due || '');
  if (!m) return due || '';
  return t('calendar.due_result', { weekday: weekdayName(t, m[1]), date: formatDate(t, m[1]), time: m[2] });
}

/** Moves focus to the element with 'id' (a table row or a grid day) and shows it. */
function focusId(ev, id) {
  const el = document.getElementById(id);
  if (!el) return;
  ev.preventDefault();
  el.scrollIntoView({ block: 'center' });
  el.focus({ preventScroll: true });
}

// ---- the year: picker, basis, grids, table ----

function YearPicker({ year }) {
  const { t } = useApp();
  const [value, setValue] = useState(String(year));
  useEffect(() => setValue(String(year)), [year]);
  const submit = (ev) => {
    ev.preventDefault();
    const v = value.trim();
    if (v) navigate(calendarHref(v));
  };
  return html`<form class="inline-form cal-year-picker" onSubmit=${submit} aria-label=${t('calendar.year_picker')}>
    ${inRange(year - 1) &&
    html`<${Link} class="button" href=${calendarHref(year - 1)} rel="prev">
      ${t('calendar.prev_year', { year: year - 1 })}
    <//>`}
    <div class="field">
      <label for="cal-year">${t('calendar.year')}</label>
      <input
        id="cal-year"
        type="number"
        min=${FIRST_YEAR}
        max=${LAST_YEAR}
        step="1"
        inputmode="numeric"
        value=${value}
        onInput=${(e) => setValue(e.currentTarget.value)}
      />
    </div>
    <button type="submit">${t('calendar.show')}</button>
    ${inRange(year + 1) &&
    html`<${Link} class="button" href=${calendarHref(year + 1)} rel="next">
      ${t('calendar.next_year', { year: year + 1 })}
    <//>`}
  </form>`;
}

function basisText(t, data) {
  if (data.basis === 'recorded') {
    return t('calendar.basis_recorded', {
      at: formatInstant(t, data.recorded_at),
      source: data.source || '',
    });
  }
  if (data.basis === 'shipped') return t('calendar.basis_shipped');
  return t('calendar.basis_proposal');
}

/** The working hours in force from each date ("1900-01-01": since always). */
function HoursList({ hours }) {
  const { t } = useApp();
  if (!hours || !hours.length) return null;
  return html`<ul class="cal-hours">
    ${hours.map(
      (h) => html`<li key=${h.from}>
        ${h.from <= '1900-01-01'
          ? t('calendar.hours_default', { periods: h.periods.replace(/,/g, ', ') })
          : t('calendar.hours_from', { date: formatDate(t, h.from), periods: h.periods.replace(/,/g, ', ') })}
      </li>`,
    )}
  </ul>`;
}

function Summary({ data }) {
  const { t } = useApp();
  return html`<section class="panel cal-summary" aria-labelledby="cal-summary-h">
    <h2 id="cal-summary-h">${t('calendar.summary', { year: data.year })}</h2>
    <dl class="facts">
      <dt>${t('calendar.basis')}</dt>
      <dd class=${`cal-basis cal-basis-${data.basis}`} data-basis=${data.basis}>${basisText(t, data)}</dd>
      <dt>${t('calendar.working_days')}</dt>
      <dd class="cal-working-days" data-count=${data.working_days}>
        ${t('calendar.working_days_count', { count: data.working_days })}
      </dd>
      <dt>${t('calendar.hours')}</dt>
      <dd><${HoursList} hours=${data.hours} /></dd>
    </dl>
  </section>`;
}

function Legend() {
  const { t } = useApp();
  return html`<ul class="cal-legend" aria-label=${t('calendar.legend')}>
    ${STATUSES.map(
      (s) => html`<li key=${s}>
        <span class=${`cal-swatch cal-${s}`} aria-hidden="true"></span>
        ${t(`calendar.status.${s}`)}
      </li>`,
    )}
  </ul>`;
}

function DayCell({ year, month, day, weekday, exception, todayIso }) {
  const { t } = useApp();
  const iso = isoOf(year, month, day);
  const status = exception ? exception.kind : weekday >= 5 ? 'weekend' : 'work';
  const isToday = iso === todayIso;
  const cls = `cal-day cal-${status}${isToday ? ' cal-today' : ''}`;
  if (!exception) {
    return html`<td class=${cls} data-date=${iso} data-status=${status} aria-current=${isToday ? 'date' : undefined}>
      <span class="cal-num">${day}</span>
    </td>`;
  }
  const lunar = lunarText(t, exception.lunar, false);
  const label = t(lunar ? 'calendar.day_label_lunar' : 'calendar.day_label', {
    date: formatDate(t, iso),
    weekday: t(`calendar.wd.${WEEKDAYS[weekday]}`),
    kind: t(`calendar.kind.${status}`),
    name: exception.name,
    lunar,
  });
  return html`<td class=${cls} data-date=${iso} data-status=${status} aria-current=${isToday ? 'date' : undefined}>
    <a
      id=${`cal-cell-${iso}`}
      class="cal-link"
      href=${`#cal-day-${iso}`}
      aria-label=${label}
      title=${`${label}\n${t('calendar.source')}: ${exception.source}`}
      onClick=${(ev) => focusId(ev, `cal-day-${iso}`)}
    >
      <span class="cal-num">${day}</span>
      <span class="cal-lunar" aria-hidden="true">${lunarText(t, exception.lunar, true)}</span>
    </a>
  </td>`;
}

function MonthGrid({ year, month, byDate, todayIso }) {
  const { t } = useApp();
  const first = weekdayOf(year, month, 1);
  const n = daysInMonth(year, month);
  const cells = [];
  for (let i = 0; i < first; i++) cells.push(0);
  for (let d = 1; d <= n; d++) cells.push(d);
  while (cells.length % 7) cells.push(0);
  const weeks = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  return html`<table class="cal-month" data-month=${month}>
    <caption>${t('calendar.month_caption', { month: t(`calendar.month.${MONTHS[month - 1]}`), year })}</caption>
    <thead>
      <tr>
        ${WEEKDAYS.map(
          (w, i) => html`<th scope="col" key=${w} class=${i >= 5 ? 'cal-we' : undefined}>
            <span aria-hidden="true">${t(`calendar.wd_short.${w}`)}</span>
            <span class="sr-only">${t(`calendar.wd.${w}`)}</span>
          </th>`,
        )}
      </tr>
    </thead>
    <tbody>
      ${weeks.map(
        (week, wi) => html`<tr key=${wi}>
          ${week.map((d, i) =>
            d
              ? html`<${DayCell}
                  key=${i}
                  year=${year}
                  month=${month}
                  day=${d}
                  weekday=${i}
                  exception=${byDate.get(isoOf(year, month, d))}
                  todayIso=${todayIso}
                />`
              : html`<td key=${i} class="cal-pad"></td>`,
          )}
        </tr>`,
      )}
    </tbody>
  </table>`;
}

function YearGrids({ data }) {
  const { t } = useApp();
  const byDate = new Map(data.days.map((d) => [d.date, d]));
  const todayIso = today();
  return html`<section class="cal-year" aria-labelledby="cal-grid-h">
    <h2 id="cal-grid-h">${t('calendar.months', { year: data.year })}</h2>
    <p class="hint">${t('calendar.months_hint')}</p>
    <${Legend} />
    <div class="cal-months">
      ${MONTHS.map(
        (m, i) => html`<div class="cal-month-box" key=${m}>
          <${MonthGrid} year=${data.year} month=${i + 1} byDate=${byDate} todayIso=${todayIso} />
        </div>`,
      )}
    </div>
  </section>`;
}

function DaysTable({ data }) {
  const { t } = useApp();
  // The section is left unnamed: the table's scrolling region below carries the heading's
  // name, and two landmarks of one name would be ambiguous.
  return html`<section class="cal-list">
    <h2 id="cal-list-h">${t('calendar.days_title', { year: data.year })}</h2>
    <p class="hint">${t('calendar.days_hint')}</p>
    ${data.days.length === 0
      ? html`<p>${t('calendar.days_none')}</p>`
      : html`<${ListTable}
          className="cal-days"
          wrapClass="cal-table-wrap"
          region="cal-list-h"
          caption=${t('calendar.days_title', { year: data.year })}
          columns=${[
            t('calendar.col_date'), t('calendar.col_weekday'), t('calendar.col_lunar'), t('calendar.col_kind'),
            t('calendar.col_name'), t('calendar.source'),
          ]}
        >
          ${data.days.map(
            (d) => html`<tr
              key=${d.date}
              id=${`cal-day-${d.date}`}
              tabindex="-1"
              data-date=${d.date}
              data-kind=${d.kind}
            >
              <td class="nowrap">
                <a
                  href=${`#cal-cell-${d.date}`}
                  title=${t('calendar.show_in_grid')}
                  onClick=${(ev) => focusId(ev, `cal-cell-${d.date}`)}
                  ><time datetime=${d.date}>${formatDate(t, d.date)}</time></a
                >
              </td>
              <td class="nowrap">${weekdayName(t, d.date)}</td>
              <td class="nowrap">${lunarText(t, d.lunar, false)}</td>
              <td><span class=${`cal-kind cal-${d.kind}`}>${t(`calendar.kind.${d.kind}`)}</span></td>
              <td><div class="cal-name">${d.name}</div></td>
              <td><div class="cal-source">${d.source}</div></td>
            </tr>`,
          )}
        <//>`}
  </section>`;
}

// ---- admin: the year's announcement ----

let rowSeq = 0;
const newRow = (d = {}) => ({
  key: ++rowSeq,
  date: d.date || '',
  kind: d.kind || '',
  name: d.name || '',
  source: d.source || '',
});

/**
 * Why the server refused a day as a whole (field "days[i]", code "invalid"), worked out
 * from what was sent so that it can be said in the reader's language; null when the
 * rule is not one the page knows (the server's own message is shown then).
 */
function dayProblem(year, days, i) {
  const d = days[i];
  if (!d) return null;
  if (!d.date.startsWith(`${String(year).padStart(4, '0')}-`)) return 'not_in_year';
  const wd = weekdayOfIso(d.date);
  if (d.kind === 'makeup' && wd >= 0 && wd < 5) return 'makeup_weekday';
  if (d.kind !== 'makeup' && wd >= 5) return 'off_weekend';
  if (days.findIndex((x) => x.date === d.date) !== i) return 'twice';
  return null;
}

/** The texts of the errors the server named for day i ('part': date, kind, name, source). */
function dayErrors(t, err, sent, i, part) {
  if (!err || !err.fields || i < 0) return [];
  const field = part ? `days[${i}].${part}` : `days[${i}]`;
  return (err.fields[field] || []).map((e) => {
    if (!part && e.code === 'invalid') {
      const why = dayProblem(sent.year, sent.days, i);
      if (why) return t(`calendar.invalid.${why}`, { year: sent.year });
    }
    const key = `field_error.day_${part || 'row'}.${e.code}`;
    if (t.has(key)) return t(key);
    return fieldErrorText(t, { ...e, field });
  });
}

function ChangesNotice({ saved }) {
  const { t } = useApp();
  if (!saved) return null;
  const changes = saved.changes || [];
  return html`<div class="alert alert-ok cal-changes">
    <p>
      ${t('calendar.saved', { year: saved.year })}
      ${' '}
      ${changes.length === 0
        ? t('calendar.changes_none')
        : t(changes.length === 1 ? 'calendar.changes_one' : 'calendar.changes_many', { count: changes.length })}
    </p>
    ${changes.length > 0 &&
    html`<ul>
      ${changes.map(
        (c) => html`<li key=${c.date} data-date=${c.date} data-now=${c.now}>
          ${t('calendar.change_item', {
            date: formatDate(t, c.date),
            weekday: weekdayName(t, c.date),
            was: t(`calendar.day_state.${c.was}`),
            now: t(`calendar.day_state.${c.now}`),
          })}
        </li>`,
      )}
    </ul>`}
  </div>`;
}

function DayRow({ row, n, year, errors, onChange, onRemove }) {
  const { t } = useApp();
  const bind = (k) => ({ name: k, value: row[k], onInput: (v) => onChange(row.key, k, v), error: errors[k] });
  const rowError = errors.row;
  const errId = `cal-row-${row.key}-error`;
  return html`<fieldset
    class=${`cal-row${rowError.length ? ' has-error' : ''}`}
    data-row=${row.key}
    aria-describedby=${rowError.length ? errId : undefined}
  >
    <legend>${t('calendar.row', { n })}</legend>
    <div class="cal-row-fields">
      <${Field}
        label=${t('calendar.col_date')}
        type="date"
        min=${isoOf(year, 1, 1)}
        max=${isoOf(year, 12, 31)}
        required
        ...${bind('date')}
      />
      <${SelectField}
        label=${t('calendar.col_kind')}
        required
        options=${[
          { value: '', label: t('common.choose') },
          ...DAY_KINDS.map((k) => ({ value: k, label: t(`calendar.kind.${k}`) })),
        ]}
        ...${bind('kind')}
      />
      <${Field} label=${t('calendar.col_name')} required ...${bind('name')} />
      <${Field} label=${t('calendar.source')} required ...${bind('source')} />
      <button type="button" class="cal-remove" onClick=${() => onRemove(row.key)}>
        ${t('calendar.remove_row')}<span class="sr-only">${' '}${t('calendar.row', { n })}</span>
      </button>
    </div>
    ${rowError.length > 0 && html`<p class="field-error" id=${errId}>${rowError.join(' ')}</p>`}
  </fieldset>`;
}

function EditForm({ data, saved, onSaved, onSubmitting }) {
  const { t } = useApp();
  const year = data.year;
  const [source, setSource] = useState(data.basis === 'recorded' ? data.source || '' : '');
  const [rows, setRows] = useState(() => data.days.map((d) => newRow(d)));
  // The keys of the rows as sent (a refusal's errors name days by their index) and the
  // body that was sent, kept with the refusal 'err'.
  const [sent, setSent] = useState({ keys: [], year, days: [] });
  const { busy, err, setErr, submit } = useAction(async () => {
    onSubmitting();
    const days = rows.map((r) => ({
      date: r.date,
      kind: r.kind,
      name: r.name.trim(),
      source: r.source.trim(),
    }));
    try {
      onSaved(await put(`/calendar/${encodeURIComponent(year)}`, { source: source.trim(), days }));
    } catch (e) {
      setSent({ keys: rows.map((r) => r.key), year, days });
      throw e;
    }
  });
  const [focusTarget, setFocusTarget] = useState(null);
  const addRef = useRef(null);

  useEffect(() => {
    if (focusTarget === null) return;
    const el =
      focusTarget === 'add'
        ? addRef.current
        : document.querySelector(`fieldset[data-row="${focusTarget}"] input`);
    if (el) el.focus();
    setFocusTarget(null);
  }, [focusTarget]);

  const change = (key, k, v) => setRows((rs) => rs.map((r) => (r.key === key ? { ...r, [k]: v } : r)));
  const add = () => {
    // A new day most often comes from the same announcement.
    const row = newRow({ source: source.trim() });
    setRows((rs) => [...rs, row]);
    setFocusTarget(row.key);
  };
  const remove = (key) => {
    const i = rows.findIndex((r) => r.key === key);
    const next = rows[i + 1] || rows[i - 1];
    setRows((rs) => rs.filter((r) => r.key !== key));
    setFocusTarget(next ? next.key : 'add');
  };
  const reset = () => {
    setSource(data.basis === 'recorded' ? data.source || '' : '');
    setRows(data.days.map((d) => newRow(d)));
    setErr(null);
  };
  // Once saved, the form holds the year as recorded (the server sorts the days).
  const recorded = `${data.basis}|${data.recorded_at || ''}`;
  const firstRecorded = useRef(recorded);
  useEffect(() => {
    if (firstRecorded.current === recorded) return;
    firstRecorded.current = recorded;
    reset();
  }, [recorded]);

  const errorsOf = (row) => {
    const i = err ? sent.keys.indexOf(row.key) : -1;
    return {
      row: dayErrors(t, err, sent, i, ''),
      date: dayErrors(t, err, sent, i, 'date'),
      kind: dayErrors(t, err, sent, i, 'kind'),
      name: dayErrors(t, err, sent, i, 'name'),
      source: dayErrors(t, err, sent, i, 'source'),
    };
  };
  const daysErrors = errorsFor(t, err, 'days');

  return html`<section class="panel cal-edit" aria-labelledby="cal-edit-h">
    <h2 id="cal-edit-h">${t('calendar.edit_title', { year })}</h2>
    <p class="hint">${t('calendar.edit_hint')}</p>
    <div class="cal-saved" role="status"><${ChangesNotice} saved=${saved} /></div>
    <${ErrorBox} err=${err} text=${err ? formProblemText(t, err) : ''} />
    <form class="cal-edit-form" onSubmit=${submit} novalidate>
      <${TextAreaField}
        label=${t('calendar.announcement_source')}
        hint=${t('calendar.announcement_source_hint')}
        name="source"
        rows="2"
        required
        value=${source}
        onInput=${setSource}
        error=${errorsFor(t, err, 'source')}
      />
      <div class="cal-rows">
        ${rows.map(
          (row, i) => html`<${DayRow}
            key=${row.key}
            row=${row}
            n=${i + 1}
            year=${year}
            errors=${errorsOf(row)}
            onChange=${change}
            onRemove=${remove}
          />`,
        )}
        ${rows.length === 0 && html`<p>${t('calendar.rows_none')}</p>`}
      </div>
      ${daysErrors.length > 0 && html`<p class="field-error">${daysErrors.join(' ')}</p>`}
      <div class="actions">
        <button type="button" ref=${addRef} onClick=${add}>${t('calendar.add_row')}</button>
        <button type="submit" class="primary" disabled=${busy}>${t('calendar.save')}</button>
        <button type="button" onClick=${reset}>${t('calendar.reset')}</button>
      </div>
    </form>
  </section>`;
}

// ---- admin: working hours ----

function HoursForm({ data, onSaved }) {
  const { t } = useApp();
  const last = data.hours && data.hours.length ? data.hours[data.hours.length - 1].periods : '';
  const [done, setDone] = useState('');
  const { values: form, bind, busy, err, submit } = useForm({ from: '', periods: last }, async () => {
    setDone('');
    const h = await post('/calendar/hours', { from: form.from, periods: form.periods.trim() });
    setDone(t('calendar.hours_saved', { date: formatDate(t, h.from), periods: h.periods }));
    onSaved();
  });

  return html`<section class="panel cal-hours-panel" aria-labelledby="cal-hours-h">
    <h2 id="cal-hours-h">${t('calendar.hours_title')}</h2>
    <p class="hint">${t('calendar.hours_hint')}</p>
    <${Notice} text=${done} />
    <${ErrorBox} err=${err} text=${err ? formProblemText(t, err) : ''} />
    <form class="form" onSubmit=${submit} novalidate>
      <${Field} label=${t('calendar.hours_from_label')} type="date" required ...${bind('from')} />
      <${Field}
        label=${t('calendar.hours_periods')}
        hint=${t('calendar.hours_periods_hint')}
        required
        autocomplete="off"
        spellcheck=${false}
        ...${bind('periods')}
      />
      <${FormActions} busy=${busy} label=${t('calendar.hours_submit')} />
    </form>
  </section>`;
}

// ---- everyone: the due date calculator ----

function DueCalculator() {
  const { t } = useApp();
  const [answer, setAnswer] = useState(null);
  const initial = { date: today(), time: '08:00', unit: 'days', amount: '', cutoff: '' };
  const { values: form, set, bind, busy, err, submit } = useForm(initial, async () => {
    setAnswer(null);
    const from = form.date && form.time ? `${form.date} ${form.time}` : `${form.date}${form.time}`;
    const query = { from, cutoff: form.cutoff };
    query[form.unit] = form.amount.trim();
    setAnswer(await get('/calendar/due', query));
  });

  const days = form.unit === 'days';
  return html`<section class="panel cal-due-panel" aria-labelledby="cal-due-h">
    <h2 id="cal-due-h">${t('calendar.due_title')}</h2>
    <p class="hint">${t('calendar.due_hint')}</p>
    <${ErrorBox} err=${err} text=${err ? formProblemText(t, err) : ''} />
    <form class="form cal-due-form" onSubmit=${submit} novalidate>
      <div class="cal-due-received">
        <${Field}
          label=${t('calendar.due_date')}
          type="date"
          required
          ...${bind('date')}
          error=${errorsFor(t, err, 'from')}
        />
        <${Field} label=${t('calendar.due_time')} type="time" required ...${bind('time')} />
      </div>
      <fieldset class="field cal-due-unit">
        <legend>${t('calendar.due_unit')}</legend>
        <div class="checks">
          ${['days', 'hours'].map(
            (u) => html`<div class="field-check" key=${u}>
              <input
                type="radio"
                id=${`cal-due-unit-${u}`}
                name="due-unit"
                value=${u}
                checked=${form.unit === u}
                onChange=${() => set('unit')(u)}
              />
              <label for=${`cal-due-unit-${u}`}>${t(`calendar.due_unit_${u}`)}</label>
            </div>`,
          )}
        </div>
      </fieldset>
      <${Field}
        label=${t(days ? 'calendar.due_days' : 'calendar.due_hours')}
        hint=${t(days ? 'calendar.due_days_hint' : 'calendar.due_hours_hint')}
        type="number"
        min=${days ? '1' : '0'}
        step=${days ? '1' : 'any'}
        inputmode=${days ? 'numeric' : 'decimal'}
        required
        ...${bind('amount')}
        error=${[...errorsFor(t, err, 'days'), ...errorsFor(t, err, 'hours')]}
      />
      <${Field} label=${t('calendar.due_cutoff')} hint=${t('calendar.due_cutoff_hint')} type="time" ...${bind('cutoff')} />
      <${FormActions} busy=${busy} label=${t('calendar.due_submit')} />
    </form>
    <div class="cal-due-answer" role="status">
      ${answer &&
      html`<p class="cal-due" data-due=${answer.due}>
        <strong>${dueText(t, answer.due)}</strong>
      </p>`}
    </div>
  </section>`;
}

// ---- the page ----

export function CalendarPage({ query }) {
  const { t, me } = useApp();
  const year = yearOf(query);
  const admin = isAdmin(me);
  const [version, setVersion] = useState(0);
  const [saved, setSaved] = useState(null);
  // read again after a change (version) with the year still shown; another year starts afresh
  const load = () => inRange(year) && get(`/calendar/${encodeURIComponent(year)}`);
  const [data, err, setData] = useLoaded(load, [year, version], true);

  useEffect(() => {
    setData(null);
    setSaved(null);
  }, [year]);

  const onSaved = (answer) => {
    const { changes, ...rest } = answer;
    setSaved({ year: answer.year, changes: changes || [] });
    setData(rest);
    setVersion((v) => v + 1);
  };

  const shown = data && data.year === year ? data : null;
  const title = t('calendar.title_year', { year });
  return html`<div class="calendar-page">
    <${PageTitle} title=${title}>${title}<//>
    <p class="lead">${t('calendar.lead')}</p>
    <${YearPicker} year=${year} />
    ${(err || !inRange(year)) &&
    html`<div class="alert alert-error" role="alert">
      ${!inRange(year) ? t('field_error.year.range') : errorsFor(t, err, 'year').join(' ') || formProblemText(t, err)}
    </div>`}
    ${!shown && !err && inRange(year) && html`<${Loading} />`}
    ${shown &&
    html`<${Summary} data=${shown} />
      <${YearGrids} data=${shown} />
      <${DaysTable} data=${shown} />
      ${admin &&
      html`<${EditForm}
        key=${shown.year}
        data=${shown}
        saved=${saved}
        onSaved=${onSaved}
        onSubmitting=${() => setSaved(null)}
      />`}
      ${admin && html`<${HoursForm} key=${shown.year} data=${shown} onSaved=${() => setVersion((v) => v + 1)} />`}`}
    <${DueCalculator} />
  </div>`;
}
