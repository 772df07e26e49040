// Choosers that search the API instead of listing everything: a unit by code or name
// (GET /api/v1/units?q=), a source document by number or title (GET /api/v1/documents?q=)
// and a procedure in force by code or name (GET /api/v1/procedures?q=); and the fields of a
// period, shared by the dashboards' period pickers.
// Both are fieldsets with a search box whose Enter key searches instead of submitting the
// surrounding form, a polite "chosen" line, and the results as buttons.

import { html, useState, useId } from './lib.js';
import { useApp } from './context.js';
import { get } from './api.js';
import { today } from './i18n.js';
import { ErrorBox, Field, SelectField, useAction } from './components.js';
import { PERIOD_KINDS } from './period.js';

/**
 * The shared search-and-pick fieldset. 'search(q)' resolves to a list of items; 'exact'
 * (optional) picks one of them at once; 'itemText(item)' renders an item; 'chosenText'
 * is the line that says what is chosen ('' hides it); 'onChange(item)' takes the choice,
 * 'value' is the one made; 'clearable' adds a button that removes it (onChange(null)).
 */
function SearchPicker({
  className,
  legend,
  findLabel,
  resultsLabel,
  noResults,
  chosenText,
  search,
  exact,
  itemText,
  value,
  onChange,
  clearable,
  error,
}) {
  const { t } = useApp();
  const onClear = clearable && value ? () => onChange(null) : null;
  const [q, setQ] = useState('');
  const [results, setResults] = useState(null);
  const id = useId();
  const hasError = error && error.length > 0;

  const { busy, err, run } = useAction(async (query) => {
    const items = await search(query);
    const hit = exact ? items.find((item) => exact(item, query)) : null;
    if (hit) {
      onChange(hit);
      setResults(null);
    } else {
      setResults(items);
    }
  });
  const find = () => {
    const query = q.trim();
    if (query) run(query);
  };

  const onKeyDown = (ev) => {
    // Enter searches instead of submitting the whole form.
    if (ev.key === 'Enter') {
      ev.preventDefault();
      find();
    }
  };

  return html`<fieldset class=${`field ${className}${hasError ? ' has-error' : ''}`}>
    <legend>${legend}</legend>
    ${chosenText !== '' &&
    html`<p class="chosen" id=${`${id}-chosen`} aria-live="polite">
      ${chosenText}
      ${onClear &&
      html` <button type="button" class="link-like" onClick=${onClear}>${t('common.remove')}</button>`}
    </p>`}
    <div class="inline-form">
      <div class="field">
        <label for=${`${id}-find`}>${findLabel}</label>
        <input
          id=${`${id}-find`}
          type="search"
          value=${q}
          aria-describedby=${hasError ? `${id}-error` : chosenText !== '' ? `${id}-chosen` : undefined}
          onInput=${(e) => setQ(e.currentTarget.value)}
          onKeyDown=${onKeyDown}
        />
      </div>
      <button type="button" onClick=${find} disabled=${busy}>${t('common.search')}</button>
    </div>
    ${hasError && html`<p class="field-error" id=${`${id}-error`}>${error.join(' ')}</p>`}
    <${ErrorBox} err=${err} />
    ${results &&
    (results.length === 0
      ? html`<p role="status">${noResults(q.trim())}</p>`
      : html`<ul class="pick-list" aria-label=${resultsLabel}>
          ${results.map(
            (item) => html`<li key=${item.id}>
              <button
                type="button"
                class="link-like"
                onClick=${() => {
                  onChange(item);
                  setResults(null);
                  setQ('');
                }}
              >
                ${itemText(item)}
              </button>
            </li>`,
          )}
        </ul>`)}
  </fieldset>`;
}

/**
 * Chooses a unit by code or by searching names (GET /api/v1/units?q=). 'value' is the
 * chosen unit {id, code, name} or null; an exact code match is chosen at once.
 * 'clearable' adds a "remove" button (for optional choices such as a list filter);
 * 'hideChosen' leaves out the "chosen" line (when the caller lists the choices itself).
 * 'onChange' and 'error' are SearchPicker's, as in the pickers below.
 */
export function UnitPicker({ value, label, hideChosen, ...rest }) {
  const { t } = useApp();
  let chosenText = value
    ? t('user.unit_chosen', { name: value.name || `#${value.id}`, code: value.code || '' })
    : t('user.unit_none');
  if (hideChosen) chosenText = '';
  return html`<${SearchPicker}
    ...${rest}
    value=${value}
    className="unit-picker"
    legend=${label || t('user.unit')}
    findLabel=${t('user.unit_find')}
    resultsLabel=${t('user.unit_results')}
    noResults=${(q) => t('units.no_results', { q })}
    chosenText=${chosenText}
    search=${async (q) => (await get('/units', { q, date: today(), limit: 20 })).items || []}
    exact=${(u, q) => u.code.toLowerCase() === q.toLowerCase()}
    itemText=${(u) => html`${u.name} <span class="code">${u.code}</span>`}
  />`;
}

/**
 * Chooses a source document by number or title (GET /api/v1/documents?q=); an exact
 * number match is chosen at once. 'value' is the chosen document {id, number, title}.
 */
export function DocumentPicker({ value, label, ...rest }) {
  const { t } = useApp();
  return html`<${SearchPicker}
    ...${rest}
    value=${value}
    className="document-picker"
    legend=${label || t('document.title')}
    findLabel=${t('documents.search_label')}
    resultsLabel=${t('documents.results')}
    noResults=${(q) => t('documents.no_results', { q })}
    chosenText=${value
      ? t('documents.chosen', { number: value.number || `#${value.id}` })
      : t('documents.none_chosen')}
    search=${async (q) => (await get('/documents', { q, limit: 20 })).items || []}
    exact=${(d, q) => d.number.toLowerCase() === q.toLowerCase()}
    itemText=${(d) => html`<span class="code">${d.number}</span> ${d.title}`}
  />`;
}

/**
 * Chooses a procedure in force by code or name (GET /api/v1/procedures?q=, the name
 * searched without diacritics); a code that matches exactly one version is chosen at once.
 * 'value' is the chosen procedure {id, code, name, level} or null.
 */
export function ProcedurePicker({ value, label, ...rest }) {
  const { t } = useApp();
  let last = [];
  const level = (p) => (t.has(`procedure.level.${p.level}`) ? t(`procedure.level.${p.level}`) : p.level);
  return html`<${SearchPicker}
    ...${rest}
    value=${value}
    className="procedure-picker"
    legend=${label || t('desk.procedure')}
    findLabel=${t('desk.procedure_find')}
    resultsLabel=${t('desk.procedure_results')}
    noResults=${(q) => t('desk.procedure_none', { q })}
    chosenText=${value
      ? t('desk.procedure_chosen', { code: value.code, name: value.name })
      : t('desk.procedure_none_chosen')}
    search=${async (q) => {
      last = (await get('/procedures', { q, limit: 30 })).items || [];
      return last;
    }}
    exact=${(p, q) =>
      p.code.toLowerCase() === q.toLowerCase() && last.filter((x) => x.code === p.code).length === 1}
    itemText=${(p) => html`<span class="code">${p.code}</span> ${p.name}${' '}<span class="kind">(${level(p)})</span>`}
  />`;
}

/**
 * The fields of a period (the kinds of DESIGN.md): its kind, then the year, quarter, half,
 * month or the two dates that kind needs. 'f' holds their values, 'setField(name)' gives the
 * setter of one, 'error' is shown at the year or at the first date of a range.
 */
export function PeriodFields({ f, setField, error }) {
  const { t } = useApp();
  const bind = (name) => ({ name, value: String(f[name]), onInput: setField(name) });
  const months = Array.from({ length: 12 }, (_, i) => ({
    value: String(i + 1),
    label: new Intl.DateTimeFormat(t.locale, { month: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2000, i, 1))),
  }));

  return html`
    <${SelectField}
      label=${t('dashboard.period_kind')}
      options=${PERIOD_KINDS.map((k) => ({ value: k, label: t(`period.${k}`) }))}
      ...${bind('kind')}
    />
    ${f.kind !== 'range' &&
    html`<${Field}
      label=${t('dashboard.year')}
      type="number"
      min="2000"
      max="2100"
      step="1"
      inputmode="numeric"
      ...${bind('year')}
      error=${error}
    />`}
    ${f.kind === 'quarter' &&
    html`<${SelectField}
      label=${t('dashboard.quarter')}
      options=${[1, 2, 3, 4].map((q) => ({ value: String(q), label: t('period.quarter_n', { n: q }) }))}
      ...${bind('quarter')}
    />`}
    ${f.kind === 'half' &&
    html`<${SelectField}
      label=${t('dashboard.half')}
      options=${[1, 2].map((h) => ({ value: String(h), label: t(`period.half_${h}`) }))}
      ...${bind('half')}
    />`}
    ${f.kind === 'month' && html`<${SelectField} label=${t('dashboard.month')} options=${months} ...${bind('month')} />`}
    ${f.kind === 'range' &&
    html`<${Field} label=${t('dashboard.from')} type="date" ...${bind('from')} error=${error} />
      <${Field} label=${t('dashboard.to')} type="date" ...${bind('to')} />`}`;
}
