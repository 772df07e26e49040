// Units page: the unit hierarchy as of a chosen date, starting at the user's scope unit,
// and a search over the units of the user's scope (GET /api/v1/units?q=&date=).

import { html, useState, useEffect } from '../lib.js';
import { useApp } from '../context.js';
import { navigate, Link, hrefWith } from '../router.js';
import { PageTitle, ErrorBox, GeneratedBadge, Loading, ShowMore, usePagedList } from '../components.js';
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
  // the search asked (null: none), run again on each search and for a new date, since the
  // units in force differ
  const [search, setSearch] = useState({ asked: null, tick: 0 });
  const { asked, tick } = search;
  const list = usePagedList(asked && '/units', { q: asked, date, limit: 50 }, { tick });
  const { items, err } = list;
  const busy = !!asked && !items && !err;

  const submit = (ev) => {
    ev.preventDefault();
    setSearch((x) => ({ asked: q.trim() || null, tick: x.tick + 1 }));
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
    ${items &&
    html`<p role="status" class="result-count">
      ${items.length ? t('units.results', { count: items.length, q: asked }) : t('units.no_results', { q: asked })}
    </p>`}
    ${items &&
    items.length > 0 &&
    html`<ul class="unit-list">
      ${items.map((u) => html`<li key=${u.id}><${UnitLine} unit=${u} date=${date} /></li>`)}
    </ul>`}
    <${ShowMore} list=${list} />
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
