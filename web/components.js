// Small shared widgets and hooks: headings that take focus after navigation, labelled form
// fields that show their server-side errors, a form's submit row, alerts, badges, the role
// checkboxes, list tables with their paging, and the page of a record that could not be
// loaded; the hooks that load what a page shows (useLoaded), page a list by its cursor
// (usePagedList), run a form's request with its busy flag and error (useAction) and bind a
// form's fields to its values and errors by name (useFields, useForm).

import { html, useState, useEffect, useRef, useId } from './lib.js';
import { useApp } from './context.js';
import { get } from './api.js';
import { fieldErrorText } from './i18n.js';
import { Link, consumeHeadingFocus } from './router.js';

export const ROLES = ['admin', 'leader', 'secretariat', 'focal', 'clerk', 'officer', 'inspector'];
export const UNIT_KINDS = [
  'province',
  'department',
  'city',
  'town',
  'district',
  'ward',
  'commune',
  'township',
];

/** The page's <h1>; it receives focus after a navigation so screen readers announce it. */
export function PageTitle({ children, title }) {
  const { t } = useApp();
  const ref = useRef(null);
  useEffect(() => {
    document.title = `${title || ''}${title ? ' – ' : ''}${t('app.name')}`;
  }, [title, t]);
  useEffect(() => {
    if (ref.current && consumeHeadingFocus()) ref.current.focus();
  });
  return html`<h1 tabindex="-1" ref=${ref}>${children}</h1>`;
}

/**
 * Hook: the busy flag and the error of an API request run by a form or a button.
 * 'run(...args)' clears the error, sets busy, awaits 'action(...args)', keeps what it
 * throws as 'err' and clears busy; 'submit(ev)' is run() as a form's onSubmit, with the
 * browser's own submission prevented. What to do on success stays in 'action'.
 */
export function useAction(action) {
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState(null);
  const run = async (...args) => {
    setBusy(true);
    setErr(null);
    try {
      await action(...args);
    } catch (e) {
      setErr(e);
    } finally {
      setBusy(false);
    }
  };
  const submit = (ev) => {
    ev.preventDefault();
    return run();
  };
  return { busy, err, setErr, run, submit };
}

/**
 * Hook: what 'load()' resolves to, loaded again whenever 'deps' change: [data, err, setData].
 * 'data' is null until the answer comes, and again while the next load runs unless 'keep'
 * (the page then shows what it had until the new answer replaces it); 'err' is what the last
 * load threw. A 'load' that returns nothing loads nothing. An answer that comes after the
 * deps changed again is dropped.
 */
export function useLoaded(load, deps, keep = false) {
  const [data, setData] = useState(null);
  const [err, setErr] = useState(null);
  useEffect(() => {
    let live = true;
    setErr(null);
    if (!keep) setData(null);
    const loading = load();
    if (loading) loading.then((x) => live && setData(x)).catch((e) => live && setErr(e));
    return () => {
      live = false;
    };
  }, deps);
  return [data, err, setData];
}

/**
 * Hook: a list the API gives a page at a time (GET 'path' with 'params', answering
 * {items, next}), loaded again whenever they change or 'tick' moves ('path' null: no list).
 * Two ways to page it: a list whose cursor is in its URL opens at 'cursor' and links to the
 * next page (PageLinks); otherwise 'more.run()' appends the next page to the items ("show
 * more": ShowMore), with more.busy and more.err of its own. 'items' is null while the list
 * loads (the list shown stays until the new one comes when 'keep'); 'next' is the cursor of
 * the page after, null at the end.
 */
export function usePagedList(path, params, { cursor, tick, keep } = {}) {
  const load = () => path && get(path, { ...params, cursor }).then((p) => ({ items: p.items || [], next: p.next }));
  const [page, err, setPage] = useLoaded(load, [path, JSON.stringify(params), cursor, tick], keep);
  const more = useAction(async () => {
    const p = await get(path, { ...params, cursor: page.next });
    setPage((x) => ({ items: [...x.items, ...(p.items || [])], next: p.next }));
  });
  return { items: page ? page.items : null, next: (page && page.next) || null, err, more };
}

/** Field errors of 'err' (an ApiError) for 'name', as text lines. */
export function errorsFor(t, err, name) {
  if (!err || !err.fields) return [];
  return (err.fields[name] || []).map((e) => fieldErrorText(t, { ...e, field: name }));
}

/**
 * Hook: a form's values, from 'initial' (or the function that gives them), and their binding
 * to its fields: 'bind(name)' gives a Field, SelectField, TextAreaField or RoleChecks its
 * name, its value, an onInput that sets it, and the errors 'err' (an ApiError) names for it.
 * A field whose value or errors come from elsewhere says so after the binding (the later
 * attribute wins). 'set(name)' is the setter of one value, 'setValues' of them all.
 */
export function useFields(initial, err) {
  const { t } = useApp();
  const [values, setValues] = useState(initial);
  const set = (name) => (value) => setValues((x) => ({ ...x, [name]: value }));
  const bind = (name) => ({ name, value: values[name], onInput: set(name), error: errorsFor(t, err, name) });
  return { values, setValues, set, bind };
}

/**
 * Hook: a form that sends a request, useAction(action) and useFields(initial) in one, the
 * fields bound to the errors of the request.
 */
export function useForm(initial, action) {
  const act = useAction(action);
  return { ...act, ...useFields(initial, act.err) };
}

/**
 * Whether a field with 'error' (its messages) has errors, and the ids that describe its
 * control: its hint's and its errors' (undefined when none), 'id' being the control's.
 */
function described(id, hint, error) {
  const hasError = !!error && error.length > 0;
  const ids = [hint ? `${id}-hint` : '', hasError ? `${id}-error` : ''].filter(Boolean).join(' ');
  return { hasError, describedBy: ids || undefined };
}

/**
 * A labelled input with its error text below it. 'error' is the list of messages for
 * this field; the input is then marked aria-invalid and described by them.
 */
export function Field({ label, hint, error, type = 'text', value, onInput, name, ...rest }) {
  const id = useId();
  const { hasError, describedBy } = described(id, hint, error);
  const input =
    type === 'checkbox'
      ? html`<input
          id=${id}
          type="checkbox"
          name=${name}
          checked=${!!value}
          onChange=${(e) => onInput(e.currentTarget.checked)}
          aria-invalid=${hasError ? 'true' : undefined}
          aria-describedby=${describedBy}
          ...${rest}
        />`
      : html`<input
          id=${id}
          type=${type}
          name=${name}
          value=${value}
          onInput=${(e) => onInput(e.currentTarget.value)}
          aria-invalid=${hasError ? 'true' : undefined}
          aria-describedby=${describedBy}
          ...${rest}
        />`;
  return html`<div class=${`field${type === 'checkbox' ? ' field-check' : ''}${hasError ? ' has-error' : ''}`}>
    ${type === 'checkbox'
      ? html`${input}<label for=${id}>${label}</label>`
      : html`<label for=${id}>${label}</label>${input}`}
    ${hint && html`<p class="hint" id=${`${id}-hint`}>${hint}</p>`}
    ${hasError &&
    html`<p class="field-error" id=${`${id}-error`}>
      ${error.map((m, i) => html`${i > 0 && html`<br />`}${m}`)}
    </p>`}
  </div>`;
}

/** A labelled <textarea> with its error text below it, like Field. */
export function TextAreaField({ label, hint, error, value, onInput, name, ...rest }) {
  const id = useId();
  const { hasError, describedBy } = described(id, hint, error);
  return html`<div class=${`field${hasError ? ' has-error' : ''}`}>
    <label for=${id}>${label}</label>
    <textarea
      id=${id}
      name=${name}
      value=${value}
      onInput=${(e) => onInput(e.currentTarget.value)}
      aria-invalid=${hasError ? 'true' : undefined}
      aria-describedby=${describedBy}
      ...${rest}
    ></textarea>
    ${hint && html`<p class="hint" id=${`${id}-hint`}>${hint}</p>`}
    ${hasError && html`<p class="field-error" id=${`${id}-error`}>${error.join(' ')}</p>`}
  </div>`;
}

/** A labelled <select>; 'options' is a list of {value, label}. */
export function SelectField({ label, error, value, onInput, options, name, ...rest }) {
  const id = useId();
  const hasError = error && error.length > 0;
  return html`<div class=${`field${hasError ? ' has-error' : ''}`}>
    <label for=${id}>${label}</label>
    <select
      id=${id}
      name=${name}
      value=${value}
      onChange=${(e) => onInput(e.currentTarget.value)}
      aria-invalid=${hasError ? 'true' : undefined}
      aria-describedby=${hasError ? `${id}-error` : undefined}
      ...${rest}
    >
      ${options.map(
        (o) => html`<option value=${o.value} selected=${o.value === value}>${o.label}</option>`,
      )}
    </select>
    ${hasError && html`<p class="field-error" id=${`${id}-error`}>${error.join(' ')}</p>`}
  </div>`;
}

/** A group of role checkboxes in a fieldset; 'value' is the list of chosen roles. */
export function RoleChecks({ value, onInput, error, legend }) {
  const { t } = useApp();
  const id = useId();
  const hasError = error && error.length > 0;
  const toggle = (role, on) => {
    const set = new Set(value);
    if (on) set.add(role);
    else set.delete(role);
    onInput(ROLES.filter((r) => set.has(r)));
  };
  return html`<fieldset
    class=${`field roles${hasError ? ' has-error' : ''}`}
    aria-describedby=${hasError ? `${id}-error` : undefined}
  >
    <legend>${legend || t('user.roles')}</legend>
    <div class="checks">
      ${ROLES.map(
        (role) => html`<div class="field-check">
          <input
            type="checkbox"
            id=${`${id}-${role}`}
            name="roles"
            value=${role}
            checked=${value.includes(role)}
            onChange=${(e) => toggle(role, e.currentTarget.checked)}
          />
          <label for=${`${id}-${role}`}>${t(`role.${role}`)}</label>
        </div>`,
      )}
    </div>
    ${hasError && html`<p class="field-error" id=${`${id}-error`}>${error.join(' ')}</p>`}
  </fieldset>`;
}

/** The text for an ApiError that is not about one field. */
export function problemText(t, err) {
  if (!err) return '';
  switch (err.status) {
    case 0:
      return t('error.network');
    case 401:
      return t('error.unauthorized');
    case 403:
      return t('error.forbidden');
    case 404:
      return t('error.not_found');
    case 409:
      return t('error.conflict');
    case 413:
      return t('error.too_large');
    case 429:
      if (!err.retryAfter) return t('error.too_many');
      if (err.retryAfter >= 120) {
        return t('error.too_many_retry_min', { minutes: Math.ceil(err.retryAfter / 60) });
      }
      return t('error.too_many_retry', { seconds: err.retryAfter });
    default:
      if (err.status >= 500) return t('error.server');
      if (err.fields && Object.keys(err.fields).length) return t('error.check_fields');
      return (err.problem && err.problem.detail) || t('error.generic');
  }
}

/**
 * The text above a form that the server refused: "correct the fields below" when the
 * problem names fields (whatever its status), else the status's text.
 */
export function formProblemText(t, err) {
  if (err && err.fields && Object.keys(err.fields).some((f) => f !== '')) {
    return t('error.check_fields');
  }
  return problemText(t, err);
}

/** An error box (role=alert) for 'err', or nothing. */
export function ErrorBox({ err, text }) {
  const { t } = useApp();
  if (!err && !text) return null;
  return html`<div class="alert alert-error" role="alert">${text || problemText(t, err)}</div>`;
}

/** A success notice (role=status). */
export function Notice({ text }) {
  if (!text) return null;
  return html`<div class="alert alert-ok" role="status">${text}</div>`;
}

/** A notice (role=status) that takes focus when it appears, so keyboard users land on it. */
export function FocusNotice({ text }) {
  const ref = useRef(null);
  useEffect(() => {
    if (text && ref.current) ref.current.focus();
  }, [text]);
  if (!text) return null;
  return html`<div class="alert alert-ok" role="status" tabindex="-1" ref=${ref}>${text}</div>`;
}

/** The links of a list paged by the cursor in its URL: to the first page and to the next. */
export function PageLinks({ first, next }) {
  const { t } = useApp();
  if (!first && !next) return null;
  return html`<nav class="pager" aria-label=${t('common.pages')}>
    ${first && html`<${Link} class="button" href=${first}>${t('common.first')}<//>`}
    ${next && html`<${Link} class="button" href=${next} rel="next">${t('common.next')}<//>`}
  </nav>`;
}

/** The "show more" button of a list of usePagedList while it has a next page, and its error. */
export function ShowMore({ list }) {
  const { t } = useApp();
  if (!list.next) return null;
  return html`<${ErrorBox} err=${list.more.err} />
    <div class="pager">
      <button type="button" onClick=${() => list.more.run()} disabled=${list.more.busy}>${t('common.more')}</button>
    </div>`;
}

/**
 * A table of rows in its scrolling box: the caption (for screen readers), a column head for
 * each entry of 'columns' (a label, or {label, num} for a column of numbers; a falsy entry
 * is left out), and 'children' as the rows. 'region' is the id of the heading that names a
 * box scrolling on its own (a focusable region then); 'wrapClass' adds to the box's class.
 */
export function ListTable({ className, caption, columns, region, wrapClass, children }) {
  return html`<div
    class=${wrapClass ? `table-wrap ${wrapClass}` : 'table-wrap'}
    role=${region ? 'region' : undefined}
    tabindex=${region ? '0' : undefined}
    aria-labelledby=${region}
  >
    <table class=${className}>
      <caption class="sr-only">${caption}</caption>
      <thead>
        <tr>
          ${columns
            .filter(Boolean)
            .map(
              (c, i) => html`<th scope="col" key=${i} class=${c.num ? 'num' : undefined}>${c.num ? c.label : c}</th>`,
            )}
        </tr>
      </thead>
      <tbody>
        ${children}
      </tbody>
    </table>
  </div>`;
}

/** The row under a form's fields: its submit button, disabled while 'busy', then 'children'. */
export function FormActions({ busy, label, children }) {
  return html`<div class="actions">
    <button type="submit" class="primary" disabled=${busy}>${label}</button>
    ${children}
  </div>`;
}

/**
 * What a page shows when what it shows could not be loaded: its title, 'notFound' for a 404
 * or else the problem in words, and 'children' (the link back) under them.
 */
export function LoadFailed({ title, err, notFound, children }) {
  const { t } = useApp();
  return html`<div>
    <${PageTitle} title=${title}>${title}<//>
    <p class="alert alert-error" role="alert">${err.status === 404 ? notFound : problemText(t, err)}</p>
    <p>${children}</p>
  </div>`;
}

/** A "loading" line announced politely to screen readers. */
export function Loading() {
  const { t } = useApp();
  return html`<p class="loading" role="status">${t('common.loading')}</p>`;
}

/** The "generated demo data" badge of a unit row. */
export function GeneratedBadge() {
  const { t } = useApp();
  return html`<span class="badge" title=${t('unit.generated_hint')}>${t('unit.generated')}</span>`;
}
