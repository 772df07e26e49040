// Reform tasks: the list with its filters (GET /api/v1/tasks; every filter lives in the
// URL so that a dashboard figure can link to it) and the task page (GET /api/v1/tasks/ID)
// with its deadline history, coordinating units, progress timeline and the forms of the
// roles that act on it: progress reports and completion (POST .../reports, .../complete:
// focal points and the secretariat) and deadline extensions (POST .../deadline:
// the secretariat).

import { html, useState, useEffect, useId } from '../lib.js';
import { useApp } from '../context.js';
import { get, post } from '../api.js';
import { Link, navigate } from '../router.js';
import { today, formatDate } from '../i18n.js';
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
  useFields,
  useForm,
  useLoaded,
  usePagedList,
  PageLinks,
  ListTable,
  LoadFailed,
  FormActions,
} from '../components.js';
import { UnitPicker, DocumentPicker } from '../pickers.js';
import {
  StatusBadge,
  statusOptions,
  bodyOptions,
  fieldOptions,
  bodyName,
  statusName,
  fieldName,
  formatCount,
  tasksHref,
  taskHref,
  documentHref,
} from '../kits/tasks.js';

const PAGE_SIZE = 25;

// The list's filters, named as GET /api/v1/tasks names them.
const FILTERS = [
  'status',
  'date',
  'lead_unit',
  'field',
  'assigning_body',
  'deadline_from',
  'deadline_to',
  'assigned_from',
  'assigned_to',
  'document',
  'q',
  'due',
];

function filtersOf(query) {
  const f = {};
  for (const k of FILTERS) f[k] = query.get(k) || '';
  return f;
}

/** Whether any filter other than the date is set. */
function anyFilter(f) {
  return FILTERS.some((k) => k !== 'date' && f[k]);
}

/**
 * Hook: the unit or document ('path' /units or /documents) 'id' of a filter, for its name:
 * null while it loads or when there is none, {id} when it cannot be read; and its setter.
 */
function useNamed(path, id) {
  const load = () => id && get(`${path}/${encodeURIComponent(id)}`).catch(() => ({ id: +id }));
  const [named, , setNamed] = useLoaded(load, [id]);
  return [named, setNamed];
}

/** One line that says which tasks the list shows, for arrivals from a dashboard link. */
function FilterSummary({ f, date, unit, doc }) {
  const { t } = useApp();
  const parts = [];
  if (f.status) parts.push(t('tasks.sum_status', { status: statusName(t, f.status), date: formatDate(t, date) }));
  if (f.assigning_body) parts.push(t('tasks.sum_body', { body: bodyName(t, f.assigning_body) }));
  if (f.lead_unit) {
    parts.push(t('tasks.sum_unit', { unit: (unit && (unit.code || unit.name)) || `#${f.lead_unit}` }));
  }
  if (f.field) parts.push(t('tasks.sum_field', { field: fieldName(t, f.field) }));
  if (f.assigned_from || f.assigned_to) {
    parts.push(
      t('tasks.sum_assigned', {
        from: f.assigned_from ? formatDate(t, f.assigned_from) : '…',
        to: f.assigned_to ? formatDate(t, f.assigned_to) : '…',
      }),
    );
  }
  if (f.deadline_from || f.deadline_to) {
    parts.push(
      t('tasks.sum_deadline', {
        from: f.deadline_from ? formatDate(t, f.deadline_from) : '…',
        to: f.deadline_to ? formatDate(t, f.deadline_to) : '…',
      }),
    );
  }
  if (f.due) parts.push(t('tasks.sum_due'));
  if (f.document) parts.push(t('tasks.sum_document', { number: (doc && doc.number) || `#${f.document}` }));
  if (f.q) parts.push(t('tasks.sum_text', { q: f.q }));
  if (!parts.length) return html`<p class="filter-summary">${t('tasks.sum_all', { date: formatDate(t, date) })}</p>`;
  return html`<p class="filter-summary">${t('tasks.sum_intro')} ${parts.join(' · ')}</p>`;
}

/** The task rows of a list page: title, document, lead unit, deadline, status, percent. */
export function TaskTable({ items, date, caption, showDocument = true }) {
  const { t } = useApp();
  return html`<${ListTable}
    className="tasks"
    caption=${caption}
    columns=${[
      t('task.title'), showDocument && t('task.document'), t('task.lead_unit'), t('task.deadline'),
      t('task.status_on', { date: formatDate(t, date) }), { label: t('task.percent'), num: true },
    ]}
  >
    ${items.map(
      (task) => html`<tr key=${task.id}>
        <td class="task-title">
          <${Link} href=${taskHref(task.id, date)}>${task.title}<//>
          ${task.ref && html` <span class="ref">${task.ref}</span>`}
        </td>
        ${showDocument &&
        html`<td>
          <${Link} href=${documentHref(task.document_id)}>
            <span class="nowrap">${task.document_number}</span>
          <//>
        </td>`}
        <td><span class="code">${task.lead_unit_code}</span></td>
        <td class="nowrap">${task.deadline ? formatDate(t, task.deadline) : t('task.no_deadline')}</td>
        <td><${StatusBadge} status=${task.status} /></td>
        <td class="num">${t('common.percent', { value: task.percent })}</td>
      </tr>`,
    )}
  <//>`;
}

export function TasksPage({ query }) {
  const { t } = useApp();
  const qs = query.toString();
  const f = filtersOf(query);
  const cursor = query.get('cursor') || '';
  const date = f.date || today();
  const [unit, setUnit] = useNamed('/units', f.lead_unit);
  const [doc, setDoc] = useNamed('/documents', f.document);
  const { items, next, err } = usePagedList('/tasks', { ...f, date, limit: PAGE_SIZE }, { cursor });
  const { values: form, setValues: setForm, bind } = useFields(f, err);

  // The form follows the URL (links, back and forward).
  useEffect(() => setForm(filtersOf(query)), [qs]);

  const submit = (ev) => {
    ev.preventDefault();
    navigate(
      tasksHref({
        ...form,
        lead_unit: unit ? unit.id : '',
        document: doc ? doc.id : '',
      }),
    );
  };

  const anyText = t('tasks.any');

  return html`<div>
    <${PageTitle} title=${t('tasks.title')}>${t('tasks.title')}<//>
    <details class="filter-box" open=${!anyFilter(f) || !!(err && err.fields && Object.keys(err.fields).length)}>
      <summary>${t('tasks.filters')}</summary>
      <form class="filters" role="search" aria-label=${t('tasks.filters')} onSubmit=${submit} novalidate>
        <div class="filter-grid">
          <${SelectField} label=${t('tasks.status')} options=${statusOptions(t)} ...${bind('status')} />
          <${Field} label=${t('tasks.date')} type="date" ...${bind('date')} value=${form.date || date} />
          <${SelectField}
            label=${t('task.assigning_body')}
            options=${bodyOptions(t, anyText)}
            ...${bind('assigning_body')}
          />
          <${SelectField} label=${t('task.field')} options=${fieldOptions(t, anyText)} ...${bind('field')} />
          <${Field} label=${t('tasks.deadline_from')} type="date" ...${bind('deadline_from')} />
          <${Field} label=${t('tasks.deadline_to')} type="date" ...${bind('deadline_to')} />
          <${Field} label=${t('tasks.assigned_from')} type="date" ...${bind('assigned_from')} />
          <${Field} label=${t('tasks.assigned_to')} type="date" ...${bind('assigned_to')} />
          <${Field} label=${t('tasks.text')} type="search" ...${bind('q')} />
        </div>
        <div class="filter-grid wide">
          <${UnitPicker}
            label=${t('tasks.lead_unit')}
            value=${unit}
            onChange=${setUnit}
            clearable
            error=${errorsFor(t, err, 'lead_unit')}
          />
          <${DocumentPicker}
            label=${t('tasks.document')}
            value=${doc}
            onChange=${setDoc}
            clearable
            error=${errorsFor(t, err, 'document')}
          />
        </div>
        <div class="actions">
          <button type="submit" class="primary">${t('tasks.apply')}</button>
          <${Link} href="/tasks">${t('tasks.clear')}<//>
        </div>
      </form>
    </details>
    <${FilterSummary} f=${f} date=${date} unit=${unit} doc=${doc} />
    <${ErrorBox} err=${err} text=${err ? formProblemText(t, err) : ''} />
    ${!items && !err && html`<${Loading} />`}
    ${items &&
    (items.length === 0
      ? html`<p role="status">${t('tasks.none')}</p>`
      : html`<p class="result-count" role="status">${t('tasks.count', { count: formatCount(t, items.length) })}</p>
          <${TaskTable} items=${items} date=${date} caption=${t('tasks.title')} />`)}
    <${PageLinks} first=${cursor && tasksHref(f)} next=${next && tasksHref({ ...f, cursor: next })} />
  </div>`;
}

// ---- the task page ----

const canReport = (me) => me.roles.includes('focal') || me.roles.includes('secretariat');
const canManage = (me) => me.roles.includes('secretariat');

/** The message of a refusal that names no field: "only the lead unit completes" and the like. */
function refusalText(t, err) {
  const codes = ((err && err.problem && err.problem.errors) || []).map((e) => e.code);
  if (codes.includes('not_lead')) return t('task.not_lead');
  return formProblemText(t, err);
}

function ReportForm({ task, onDone }) {
  const { t } = useApp();
  const initial = { reported_on: today(), percent: String(task.percent || 0), note: '' };
  const { values: form, setValues, bind, busy, err, submit } = useForm(initial, async () => {
    const body = { reported_on: form.reported_on, note: form.note.trim() };
    const percent = Number.parseInt(form.percent, 10);
    // Left out when not a number: the server then names the field.
    if (Number.isFinite(percent) && String(percent) === form.percent.trim()) body.percent = percent;
    await post(`/tasks/${encodeURIComponent(task.id)}/reports`, body);
    setValues((x) => ({ ...x, note: '' }));
    onDone(t('task.reported'));
  });

  return html`<section class="panel" aria-labelledby="report-h">
    <h2 id="report-h">${t('task.report_title')}</h2>
    <${ErrorBox} err=${err} text=${err ? refusalText(t, err) : ''} />
    <form class="form" onSubmit=${submit} novalidate>
      <${Field} label=${t('task.reported_on')} type="date" max=${today()} required ...${bind('reported_on')} />
      <${Field}
        label=${t('task.percent_label')}
        type="number"
        min="0"
        max="100"
        step="1"
        inputmode="numeric"
        required
        ...${bind('percent')}
      />
      <${TextAreaField} label=${t('task.note')} rows="3" required ...${bind('note')} />
      <${FormActions} busy=${busy} label=${t('task.report_submit')} />
    </form>
  </section>`;
}

function CompleteForm({ task, onDone }) {
  const { t } = useApp();
  const { values, bind, busy, err, submit } = useForm({ completed_on: today() }, async () => {
    await post(`/tasks/${encodeURIComponent(task.id)}/complete`, values);
    onDone(t('task.completed_done'));
  });

  return html`<section class="panel" aria-labelledby="complete-h">
    <h2 id="complete-h">${t('task.complete_title')}</h2>
    <p class="hint">${t('task.complete_hint')}</p>
    <${ErrorBox} err=${err} text=${err ? refusalText(t, err) : ''} />
    <form class="form" onSubmit=${submit} novalidate>
      <${Field} label=${t('task.completed_on')} type="date" max=${today()} required ...${bind('completed_on')} />
      <${FormActions} busy=${busy} label=${t('task.complete_submit')} />
    </form>
  </section>`;
}

function ExtendForm({ task, onDone }) {
  const { t } = useApp();
  const initial = { deadline: task.deadline || '', reason: '', decided_on: '' };
  const { values: form, setValues, bind, busy, err, submit } = useForm(initial, async () => {
    await post(`/tasks/${encodeURIComponent(task.id)}/deadline`, {
      // a cleared date makes the task a standing task: null says so, "" is refused
      deadline: form.deadline || null,
      reason: form.reason.trim(),
      decided_on: form.decided_on || null,
    });
    setValues((x) => ({ ...x, reason: '', decided_on: '' }));
    onDone(t('task.extended'));
  });

  return html`<section class="panel" aria-labelledby="extend-h">
    <h2 id="extend-h">${t('task.extend_title')}</h2>
    <${ErrorBox} err=${err} text=${err ? refusalText(t, err) : ''} />
    <form class="form" onSubmit=${submit} novalidate>
      <${Field}
        label=${t('task.new_deadline')}
        type="date"
        hint=${t('task.new_deadline_hint')}
        ...${bind('deadline')}
      />
      <${TextAreaField} label=${t('task.reason')} rows="2" required ...${bind('reason')} />
      <${Field}
        label=${t('task.decided_on')}
        type="date"
        hint=${t('task.decided_on_hint')}
        ...${bind('decided_on')}
      />
      <${FormActions} busy=${busy} label=${t('task.extend_submit')} />
    </form>
  </section>`;
}

function StatusDate({ date, onChange }) {
  const { t } = useApp();
  const id = useId();
  const [value, setValue] = useState(date);
  useEffect(() => setValue(date), [date]);
  const submit = (ev) => {
    ev.preventDefault();
    if (value) onChange(value);
  };
  return html`<form class="inline-form status-date" onSubmit=${submit}>
    <div class="field">
      <label for=${id}>${t('task.status_date')}</label>
      <input id=${id} type="date" value=${value} onInput=${(e) => setValue(e.currentTarget.value)} />
    </div>
    <button type="submit">${t('task.status_show')}</button>
  </form>`;
}

export function TaskPage({ params, query }) {
  const { t, me } = useApp();
  const date = query.get('date') || today();
  const [notice, setNotice] = useState('');
  const [version, setVersion] = useState(0);
  const [task, err] = useLoaded(() => get(`/tasks/${encodeURIComponent(params.id)}`, { date }), [params.id, date, version], true);

  const done = (text) => {
    setNotice(text);
    setVersion((v) => v + 1);
  };

  if (err && !task) {
    return html`<${LoadFailed} title=${t('task.page_title')} err=${err} notFound=${t('task.not_found')}>
      <${Link} href="/tasks">${t('tasks.title')}<//>
    <//>`;
  }
  if (!task) return html`<${Loading} />`;

  const open = !task.completed_on;
  const reports = [...(task.reports || [])].sort((a, b) =>
    a.reported_on === b.reported_on ? a.id - b.id : a.reported_on < b.reported_on ? -1 : 1,
  );
  return html`<div>
    <p class="breadcrumb">
      <${Link} href="/tasks">${t('tasks.title')}<//>
      ${' › '}
      <${Link} href=${documentHref(task.document_id)}>${task.document_number}<//>
    </p>
    <${PageTitle} title=${task.title}>${task.title}<//>
    <${Notice} text=${notice} />
    <${ErrorBox} err=${err} />
    <div class="status-line">
      <p>
        ${t('task.status_on', { date: formatDate(t, task.date) })}: <${StatusBadge} status=${task.status} />
        ${task.due && html` <span class="hint">${t('task.is_due')}</span>`}
      </p>
      <${StatusDate} date=${task.date} onChange=${(d) => navigate(taskHref(task.id, d))} />
    </div>
    <div class="columns">
      <section class="panel" aria-labelledby="task-facts-h">
        <h2 id="task-facts-h">${t('task.facts')}</h2>
        <dl class="facts">
          ${task.ref && html`<dt>${t('task.ref')}</dt><dd><span class="code">${task.ref}</span></dd>`}
          <dt>${t('task.document')}</dt>
          <dd><${Link} href=${documentHref(task.document_id)}>${task.document_number}<//></dd>
          <dt>${t('task.assigning_body')}</dt>
          <dd>${bodyName(t, task.assigning_body)}</dd>
          <dt>${t('task.lead_unit')}</dt>
          <dd>
            <${Link} href=${`/units/${encodeURIComponent(task.lead_unit_id)}`}>
              <span class="code">${task.lead_unit_code}</span>
            <//>
          </dd>
          <dt>${t('task.coordinating_units')}</dt>
          <dd>
            ${task.coordinating_units && task.coordinating_units.length
              ? html`<ul class="inline-list">
                  ${task.coordinating_units.map(
                    (u) => html`<li key=${u.id}>
                      <${Link} href=${`/units/${encodeURIComponent(u.id)}`}><span class="code">${u.code}</span><//>
                    </li>`,
                  )}
                </ul>`
              : t('task.none')}
          </dd>
          <dt>${t('task.field')}</dt>
          <dd>${fieldName(t, task.field)}</dd>
          <dt>${t('task.assigned_on')}</dt>
          <dd>${formatDate(t, task.assigned_on)}</dd>
          <dt>${t('task.deadline')}</dt>
          <dd>${task.deadline ? formatDate(t, task.deadline) : t('task.no_deadline')}</dd>
          <dt>${t('task.completed_on')}</dt>
          <dd>${task.completed_on ? formatDate(t, task.completed_on) : t('task.not_completed')}</dd>
          <dt>${t('task.percent')}</dt>
          <dd>${t('common.percent', { value: task.percent })}</dd>
        </dl>
      </section>
      <section class="panel" aria-labelledby="task-deadlines-h">
        <h2 id="task-deadlines-h">${t('task.deadlines')}</h2>
        <${ListTable}
          className="deadlines"
          caption=${t('task.deadlines')}
          columns=${[t('task.set_on'), t('task.deadline'), t('task.reason')]}
        >
          ${(task.deadlines || []).map(
            (d, i) => html`<tr key=${i}>
              <td class="nowrap">${formatDate(t, d.set_on)}</td>
              <td class="nowrap">${d.deadline ? formatDate(t, d.deadline) : t('task.no_deadline')}</td>
              <td>${d.reason || (i === 0 ? t('task.first_deadline') : '')}</td>
            </tr>`,
          )}
        <//>
      </section>
    </div>
    <section class="panel timeline-panel" aria-labelledby="task-reports-h">
      <h2 id="task-reports-h">${t('task.reports')}</h2>
      ${reports.length === 0
        ? html`<p>${t('task.no_reports')}</p>`
        : html`<ol class="timeline">
            ${reports.map(
              (r) => html`<li key=${r.id}>
                <p class="timeline-head">
                  <time datetime=${r.reported_on}>${formatDate(t, r.reported_on)}</time>
                  <span class="code">${r.unit_code}</span>
                  <span class="percent">${t('common.percent', { value: r.percent })}</span>
                </p>
                <p class="timeline-note">${r.note}</p>
              </li>`,
            )}
          </ol>`}
    </section>
    ${canReport(me) &&
    open &&
    html`<div class="columns">
      <${ReportForm} task=${task} onDone=${done} />
      <${CompleteForm} task=${task} onDone=${done} />
    </div>`}
    ${canManage(me) && open && html`<${ExtendForm} task=${task} onDone=${done} />`}
  </div>`;
}

