// Units page: the unit hierarchy as of a chosen date, starting at the user's scope unit,
// and a search over the units of the user's scope (GET /api/v1/units?q=&date=).

import { html, useState, useEffect } from '../lib.js';
import { useApp } from '../context.js';
import { get } from '../api.js';
import { navigate, Link, hrefWith } from '../router.js';
import { PageTitle, ErrorBox, GeneratedBadge, Loading, useAction } from '../components.js';
import { UnitTree } from '../tree.js';

export function unitHref(id, date) {
  return hrefWith(`/units/${encodeURIComponent(id)}`, { date });
}

/** One line of a unit list: name as a link, then code, kind and the badge. */
export function UnitLine({ unit, date }) {
  const { t } = useApp();
  return html`<${Link} href=${unitHref(unit.id, date)}>${unit.name}<//>
    ${' '}<span class="code">${unit.code}</span>
    ${' '}<span class="kind">${t(`kind.${unit.kind}`)}</span>
    ${unit.generated && html`${' '}<${GeneratedBadge} />`}`;
}

function UnitSearch({ date }) {
  const { t } = useApp();
  const [q, setQ] = useState('');
  const [asked, setAsked] = useState(null); // the query whose results are shown
  const [items, setItems] = useState([]);
  const [next, setNext] = useState(null);
  const { busy, err, run } = useAction(async (query, cursor) => {
    const page = await get('/units', { q: query, date, limit: 50, cursor });
    setItems((prev) => (cursor ? [...prev, ...page.items] : page.items));
    setNext(page.next || null);
    setAsked(query);
  });

  // A new date re-runs the shown search, since the units in force differ.
  useEffect(() => {
    if (asked) run(asked, null);
  }, [date]);

  const submit = (ev) => {
    ev.preventDefault();
    const query = q.trim();
    if (!query) {
      setAsked(null);
      setItems([]);
      setNext(null);
      return;
    }
    run(query, null);
  };

  return html`<section class="panel" aria-labelledby="unit-search-h">
    <h2 id="unit-search-h">${t('units.search')}</h2>
    <form class="inline-form" role="search" onSubmit=${submit}>
      <div class="field">
        <label for="unit-q">${t('units.search_label')}</label>
        <input id="unit-q" type="search" value=${q} onInput=${(e) => setQ(e.currentTarget.value)} />
      </div>
      <button type="submit" disabled=${busy}>${t('common.search')}</button>
    </form>
    <${ErrorBox} err=${err} />
    ${asked &&
    html`<p role="status" class="result-count">
      ${items.length ? t('units.results', { count: items.length, q: asked }) : t('units.no_results', { q: asked })}
    </p>`}
    ${items.length > 0 &&
    html`<ul class="unit-list">
      ${items.map((u) => html`<li key=${u.id}><${UnitLine} unit=${u} date=${date} /></li>`)}
    </ul>`}
    ${next &&
    html`<button type="button" disabled=${busy} onClick=${() => run(asked, next)}>
      ${t('common.more')}
    </button>`}
  </section>`;
}

export function UnitsPage() {
  const { t, me, treeDate, setTreeDate } = useApp();
  const [dateInput, setDateInput] = useState(treeDate);
  useEffect(() => setDateInput(treeDate), [treeDate]);

  const onDate = (value) => {
    setDateInput(value);
    // Only a complete date reloads the tree; a half-typed one is ignored.
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) setTreeDate(value);
  };

  if (!me) return html`<${Loading} />`;
  return html`<div>
    <${PageTitle} title=${t('units.title')}>${t('units.title')}<//>
    <div class="columns">
      <section class="panel" aria-labelledby="unit-date-h">
        <h2 id="unit-date-h">${t('units.when')}</h2>
        <div class="field">
          <label for="tree-date">${t('units.date')}</label>
          <input
            id="tree-date"
            type="date"
            value=${dateInput}
            aria-describedby="tree-date-hint"
            onInput=${(e) => onDate(e.currentTarget.value)}
            onChange=${(e) => onDate(e.currentTarget.value)}
          />
          <p class="hint" id="tree-date-hint">${t('units.date_hint')}</p>
        </div>
      </section>
      <${UnitSearch} date=${treeDate} />
    </div>
    <section class="panel tree-panel" aria-labelledby="unit-tree-h">
      <h2 id="unit-tree-h">${t('units.tree')}</h2>
      <p class="hint" id="tree-help">${t('tree.help')}</p>
      <${UnitTree}
        rootId=${me.scope_unit_id}
        date=${treeDate}
        describedBy="tree-help"
        onOpen=${(u) => navigate(unitHref(u.id, treeDate))}
      />
    </section>
  </div>`;
}
