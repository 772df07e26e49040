// Source documents (Government resolutions, provincial plans, conclusion notices): the
// list with search (GET /api/v1/documents), the secretariat's registration form
// (POST /api/v1/documents) and the document page with its tasks
// (GET /api/v1/tasks?document=ID) and, for the secretariat, a form that adds one task at
// a time (POST /api/v1/tasks with document_id).

import { html, useState, useEffect } from '../lib.js';
import { useApp } from '../context.js';
import { get, post } from '../api.js';
import { Link, navigate, hrefWith } from '../router.js';
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
  useForm,
  useLoaded,
  usePagedList,
  PageLinks,
  ShowMore,
  ListTable,
  LoadFailed,
  FormActions,
} from '../components.js';
import { UnitPicker } from '../pickers.js';
import { BODIES, fieldOptions, bodyName, documentHref, tasksHref } from '../kits/tasks.js';
import { TaskTable } from './tasks.js';

const PAGE_SIZE = 50;
const TASKS_PAGE = 100;

const isSecretariat = (me) => me.roles.includes('secretariat');

function bodyChoices(t, empty) {
  return [{ value: '', label: empty }, ...BODIES.map((b) => ({ value: b, label: t(`body.${b}`) }))];
}

/** The values of a form that are not blank, trimmed: what a create request sends. */
function trimmed(values) {
  const body = {};
  for (const [k, v] of Object.entries(values)) if (v.trim()) body[k] = v.trim();
  return body;
}

export function DocumentsPage({ query }) {
  const { t, me } = useApp();
  const asked = query.get('q') || '';
  const cursor = query.get('cursor') || '';
  const [q, setQ] = useState(asked);
  const list = usePagedList('/documents', { q: asked, limit: PAGE_SIZE }, { cursor });
  const { items, next, err } = list;

  useEffect(() => setQ(asked), [asked]);

  const submit = (ev) => {
    ev.preventDefault();
    navigate(hrefWith('/documents', { q: q.trim() }));
  };

  return html`<div>
    <${PageTitle} title=${t('documents.title')}>${t('documents.title')}<//>
    <div class="toolbar">
      <form class="inline-form" role="search" onSubmit=${submit}>
        <div class="field">
          <label for="doc-q">${t('documents.search_label')}</label>
          <input id="doc-q" type="search" value=${q} onInput=${(e) => setQ(e.currentTarget.value)} />
        </div>
        <button type="submit">${t('common.search')}</button>
      </form>
      ${isSecretariat(me) &&
      html`<${Link} class="button primary" href="/documents/new">${t('documents.add')}<//>`}
    </div>
    <${ErrorBox} err=${err} />
    ${!items && !err && html`<${Loading} />`}
    ${items &&
    (items.length === 0
      ? html`<p role="status">${asked ? t('documents.no_results', { q: asked }) : t('documents.none')}</p>`
      : html`<${ListTable}
          className="documents"
          caption=${t('documents.title')}
          columns=${[
            t('document.number'), t('document.issued_on'), t('document.title_label'), t('document.issuer'),
            { label: t('document.tasks'), num: true },
          ]}
        >
          ${items.map(
            (d) => html`<tr key=${d.id}>
              <td class="nowrap"><${Link} href=${documentHref(d.id)}>${d.number}<//></td>
              <td class="nowrap">${formatDate(t, d.issued_on)}</td>
              <td>${d.title}</td>
              <td>${d.issuer}</td>
              <td class="num">${d.tasks}</td>
            </tr>`,
          )}
        <//>`)}
    <${PageLinks}
      first=${cursor && hrefWith('/documents', { q: asked })}
      next=${next && hrefWith('/documents', { q: asked, cursor: next })}
    />
  </div>`;
}

const EMPTY_DOCUMENT = { number: '', issuer: '', issued_on: '', title: '', assigning_body: '' };

export function DocumentNewPage() {
  const { t } = useApp();
  const { values, bind, busy, err, submit } = useForm(EMPTY_DOCUMENT, async () => {
    const d = await post('/documents', trimmed(values));
    navigate(hrefWith(documentHref(d.id), { created: '1' }));
  });

  return html`<div>
    <p class="breadcrumb"><${Link} href="/documents">${t('documents.title')}<//></p>
    <${PageTitle} title=${t('documents.add')}>${t('documents.add')}<//>
    <${ErrorBox} err=${err} text=${err ? formProblemText(t, err) : ''} />
    <form class="form" onSubmit=${submit} novalidate>
      <${Field}
        label=${t('document.number')}
        hint=${t('document.number_hint')}
        autocomplete="off"
        required
        ...${bind('number')}
      />
      <${Field} label=${t('document.issuer')} required ...${bind('issuer')} />
      <${Field} label=${t('document.issued_on')} type="date" required ...${bind('issued_on')} />
      <${TextAreaField} label=${t('document.title_label')} rows="3" required ...${bind('title')} />
      <${SelectField}
        label=${t('document.assigning_body')}
        required
        options=${bodyChoices(t, t('common.choose'))}
        ...${bind('assigning_body')}
      />
      <${FormActions} busy=${busy} label=${t('documents.add_submit')}>
        <${Link} href="/documents">${t('common.cancel')}<//>
      <//>
    </form>
  </div>`;
}

const EMPTY_TASK = { title: '', ref: '', field: '', assigning_body: '', assigned_on: '', deadline: '' };

function AddTaskForm({ doc, onAdded }) {
  const { t } = useApp();
  const [lead, setLead] = useState(null);
  const [coord, setCoord] = useState([]);
  const [notice, setNotice] = useState('');

  const addCoord = (u) => setCoord((list) => (list.some((x) => x.id === u.id) ? list : [...list, u]));
  const dropCoord = (id) => setCoord((list) => list.filter((x) => x.id !== id));

  const { values, setValues, bind, busy, err, submit } = useForm(EMPTY_TASK, async () => {
    setNotice('');
    const body = { document_id: doc.id, ...trimmed(values) };
    if (lead) body.lead_unit_id = lead.id;
    if (coord.length) body.coordinating_units = coord.map((u) => u.id);
    const task = await post('/tasks', body);
    setValues(EMPTY_TASK);
    setLead(null);
    setCoord([]);
    setNotice(t('document.task_added', { title: task.title }));
    onAdded(task);
  });

  return html`<section class="panel" aria-labelledby="add-task-h">
    <h2 id="add-task-h">${t('document.add_task')}</h2>
    <${Notice} text=${notice} />
    <${ErrorBox} err=${err} text=${err ? formProblemText(t, err) : ''} />
    <form class="form" onSubmit=${submit} novalidate>
      <${TextAreaField} label=${t('task.title')} rows="2" required ...${bind('title')} />
      <${Field} label=${t('task.ref_optional')} hint=${t('task.ref_hint')} autocomplete="off" ...${bind('ref')} />
      <${UnitPicker}
        label=${t('task.lead_unit')}
        value=${lead}
        onChange=${setLead}
        error=${errorsFor(t, err, 'lead_unit_id')}
      />
      <div class="coord">
        <${UnitPicker}
          label=${t('task.coordinating_optional')}
          hideChosen
          value=${null}
          onChange=${addCoord}
          error=${errorsFor(t, err, 'coordinating_units')}
        />
        ${coord.length > 0 &&
        html`<ul class="chips" aria-label=${t('task.coordinating_units')}>
          ${coord.map(
            (u) => html`<li key=${u.id}>
              ${u.name} <span class="code">${u.code}</span>
              <button
                type="button"
                class="link-like"
                aria-label=${t('task.coord_remove', { name: u.name })}
                onClick=${() => dropCoord(u.id)}
              >
                ${t('common.remove')}
              </button>
            </li>`,
          )}
        </ul>`}
      </div>
      <${SelectField}
        label=${t('task.field')}
        required
        options=${fieldOptions(t, t('common.choose'))}
        ...${bind('field')}
      />
      <${SelectField}
        label=${t('task.assigning_body')}
        options=${bodyChoices(t, t('document.body_default', { body: bodyName(t, doc.assigning_body) }))}
        ...${bind('assigning_body')}
      />
      <${Field}
        label=${t('task.assigned_on_optional')}
        type="date"
        hint=${t('task.assigned_on_hint', { date: formatDate(t, doc.issued_on) })}
        ...${bind('assigned_on')}
      />
      <${Field}
        label=${t('task.deadline_optional')}
        type="date"
        hint=${t('task.deadline_hint')}
        ...${bind('deadline')}
      />
      <${FormActions} busy=${busy} label=${t('document.add_task_submit')} />
    </form>
  </section>`;
}

export function DocumentPage({ params, query }) {
  const { t, me } = useApp();
  const created = query.get('created');
  const [version, setVersion] = useState(0);
  const date = today();
  const [doc, err] = useLoaded(() => get(`/documents/${encodeURIComponent(params.id)}`), [params.id, version], true);
  const list = usePagedList('/tasks', { document: params.id, date, limit: TASKS_PAGE }, { tick: version, keep: true });
  const tasks = list.items;

  if (err) {
    return html`<${LoadFailed} title=${t('document.page_title')} err=${err} notFound=${t('document.not_found')}>
      <${Link} href="/documents">${t('documents.title')}<//>
    <//>`;
  }
  if (!doc) return html`<${Loading} />`;

  return html`<div>
    <p class="breadcrumb"><${Link} href="/documents">${t('documents.title')}<//></p>
    <${PageTitle} title=${doc.number}>${doc.number}<//>
    <${Notice} text=${created ? t('documents.created', { number: doc.number }) : ''} />
    <p class="lead">${doc.title}</p>
    <section class="panel" aria-labelledby="doc-facts-h">
      <h2 id="doc-facts-h">${t('document.facts')}</h2>
      <dl class="facts">
        <dt>${t('document.number')}</dt>
        <dd>${doc.number}</dd>
        <dt>${t('document.issuer')}</dt>
        <dd>${doc.issuer}</dd>
        <dt>${t('document.issued_on')}</dt>
        <dd>${formatDate(t, doc.issued_on)}</dd>
        <dt>${t('document.assigning_body')}</dt>
        <dd>${bodyName(t, doc.assigning_body)}</dd>
        <dt>${t('document.tasks')}</dt>
        <dd>${doc.tasks}</dd>
      </dl>
    </section>
    <section class="panel" aria-labelledby="doc-tasks-h">
      <h2 id="doc-tasks-h">${t('document.tasks_title')}</h2>
      <${ErrorBox} err=${list.err} />
      ${tasks === null && !list.err && html`<${Loading} />`}
      ${tasks &&
      (tasks.length === 0
        ? html`<p>${t('document.no_tasks')}</p>`
        : html`<${TaskTable}
              items=${tasks}
              date=${date}
              caption=${t('document.tasks_title')}
              showDocument=${false}
            />
            <p>
              <${Link} href=${tasksHref({ document: doc.id })}>${t('document.tasks_filter')}<//>
            </p>`)}
      <${ShowMore} list=${list} />
    </section>
    ${isSecretariat(me) && html`<${AddTaskForm} doc=${doc} onAdded=${() => setVersion((v) => v + 1)} />`}
  </div>`;
}
