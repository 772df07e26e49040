// Unit page (/units/ID?date=D): the unit as of D with its parent, successor, parents over
// time and children; for admins, forms to rename it (PATCH /api/v1/units/ID) and to add
// a child unit (POST /api/v1/units).

import { html, useState, useEffect } from '../lib.js';
import { useApp } from '../context.js';
import { get, post, patch } from '../api.js';
import { Link, navigate } from '../router.js';
import { formatDate } from '../i18n.js';
import {
  PageTitle,
  ErrorBox,
  Notice,
  Loading,
  Field,
  SelectField,
  GeneratedBadge,
  UNIT_KINDS,
  errorsFor,
  useForm,
  useLoaded,
  ListTable,
  LoadFailed,
  FormActions,
} from '../components.js';
import { unitHref, UnitLine } from './units.js';

// "id|date" -> Promise of a Unit, so that parent and successor names are fetched once.
const refCache = new Map();

function fetchUnit(id, date) {
  const key = `${id}|${date || ''}`;
  if (!refCache.has(key)) {
    const p = get(`/units/${encodeURIComponent(id)}`, { date });
    p.catch(() => refCache.delete(key));
    refCache.set(key, p);
  }
  return refCache.get(key);
}

/** A link to unit 'id', named by 'name' or, when not given, by fetching the unit on 'date'. */
function UnitRef({ id, name, code, date, linkDate }) {
  const [unit, setUnit] = useState(name ? { id, name, code } : null);
  useEffect(() => {
    if (name) {
      setUnit({ id, name, code });
      return undefined;
    }
    let live = true;
    fetchUnit(id, date)
      .then((u) => live && setUnit(u))
      .catch(() => live && setUnit(null));
    return () => {
      live = false;
    };
  }, [id, name, code, date]);
  const label = unit ? unit.name : `#${id}`;
  return html`<${Link} href=${unitHref(id, linkDate || date)}>${label}<//>${
    unit && unit.code ? html` <span class="code">${unit.code}</span>` : ''
  }`;
}

// The API names the fields of a "links" entry (a parent over time); accept the
// plausible spellings so the page survives small contract changes.
function linkParts(link) {
  const parent = link.parent && typeof link.parent === 'object' ? link.parent : {};
  return {
    parentId: link.parent_id ?? parent.id ?? null,
    name: link.parent_name ?? parent.name ?? null,
    code: link.parent_code ?? parent.code ?? null,
    from: link.valid_from ?? link.from ?? null,
    to: link.valid_to ?? link.to ?? null,
  };
}

function defaultChildKind(kind) {
  if (kind === 'province') return 'district';
  if (kind === 'department') return 'department';
  return 'commune';
}

function RenameForm({ unit, onSaved }) {
  const { t } = useApp();
  const [done, setDone] = useState('');
  const { values, setValues, bind, busy, err, submit } = useForm({ name: unit.name }, async () => {
    setDone('');
    const saved = await patch(`/units/${encodeURIComponent(unit.id)}`, { name: values.name.trim() });
    setDone(t('unit.renamed'));
    onSaved(saved);
  });
  useEffect(() => setValues({ name: unit.name }), [unit.id, unit.name]);

  return html`<section class="panel" aria-labelledby="rename-h">
    <h2 id="rename-h">${t('unit.rename')}</h2>
    <${ErrorBox} err=${err} />
    <${Notice} text=${done} />
    <form class="form" onSubmit=${submit} novalidate>
      <${Field} label=${t('unit.name')} required ...${bind('name')} />
      <${FormActions} busy=${busy} label=${t('common.save')} />
    </form>
  </section>`;
}

function AddChildForm({ unit, date, onAdded }) {
  const { t } = useApp();
  const blank = () => ({
    code: '',
    name: '',
    kind: defaultChildKind(unit.kind),
    valid_from: date,
    valid_to: '',
  });
  const [created, setCreated] = useState(null);
  const { values: form, setValues, bind, busy, err, submit } = useForm(blank, async () => {
    setCreated(null);
    const body = {
      code: form.code.trim(),
      name: form.name.trim(),
      kind: form.kind,
      parent_id: unit.id,
      valid_from: form.valid_from,
    };
    if (form.valid_to) body.valid_to = form.valid_to;
    const child = await post('/units', body);
    setCreated(child);
    setValues(blank());
    onAdded(child);
  });

  const other = err && err.fields && err.fields.parent_id ? errorsFor(t, err, 'parent_id') : [];
  return html`<section class="panel" aria-labelledby="add-child-h">
    <h2 id="add-child-h">${t('unit.add_child')}</h2>
    <${ErrorBox} err=${err} />
    ${other.length > 0 && html`<p class="field-error">${other.join(' ')}</p>`}
    ${created &&
    html`<div class="alert alert-ok" role="status">
      ${t('unit.child_created')}${' '}<${Link} href=${unitHref(created.id, date)}>${created.name}<//>
    </div>`}
    <form class="form" onSubmit=${submit} novalidate>
      <${Field} label=${t('unit.code')} required ...${bind('code')} />
      <${Field} label=${t('unit.name')} required ...${bind('name')} />
      <${SelectField}
        label=${t('unit.kind')}
        options=${UNIT_KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }))}
        ...${bind('kind')}
      />
      <${Field} label=${t('unit.valid_from')} type="date" required ...${bind('valid_from')} />
      <${Field} label=${t('unit.valid_to_optional')} type="date" ...${bind('valid_to')} />
      <${FormActions} busy=${busy} label=${t('unit.add_child_submit')} />
    </form>
  </section>`;
}

export function UnitPage({ params, query }) {
  const { t, me, treeDate } = useApp();
  // Without ?date= the server picks the date (today, or the last day in force of a
  // unit that has ended) and says which in its answer.
  const askedDate = query.get('date');
  const id = params.id;
  const [reload, setReload] = useState(0);
  const isAdmin = me && me.roles.includes('admin');
  const loadUnit = () => get(`/units/${encodeURIComponent(id)}`, { date: askedDate });
  const [unit, unitErr, setUnit] = useLoaded(loadUnit, [id, askedDate]);

  const date = askedDate || (unit && unit.date) || treeDate;

  const unitId = unit ? unit.id : null;
  const loadChildren = () =>
    unitId != null && get('/units', { parent: unitId, date, limit: 1000 }).then((p) => p.items || []);
  const [children, childrenErr] = useLoaded(loadChildren, [unitId, date, reload]);
  const err = unitErr || childrenErr;

  if (err) {
    return html`<${LoadFailed}
      title=${t('unit.title')}
      err=${err}
      notFound=${t('unit.not_found', { date: formatDate(t, date) })}
    >
      <${Link} href="/units">${t('unit.back')}<//>
    <//>`;
  }
  if (!unit) return html`<${Loading} />`;

  const links = Array.isArray(unit.links) ? unit.links.map(linkParts) : [];
  const changeDate = (value) => {
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) navigate(unitHref(id, value), { replace: true });
  };

  return html`<div>
    <p class="breadcrumb"><${Link} href="/units">${t('nav.units')}<//></p>
    <${PageTitle} title=${unit.name}>
      ${unit.name}${unit.generated && html`${' '}<${GeneratedBadge} />`}
    <//>
    <div class="toolbar">
      <div class="field">
        <label for="unit-date">${t('units.date')}</label>
        <input
          id="unit-date"
          type="date"
          value=${date}
          onChange=${(e) => changeDate(e.currentTarget.value)}
        />
      </div>
    </div>
    <section class="panel" aria-labelledby="unit-facts-h">
      <h2 id="unit-facts-h">${t('unit.facts')}</h2>
      <dl class="facts">
        <dt>${t('unit.code')}</dt>
        <dd><span class="code">${unit.code}</span></dd>
        <dt>${t('unit.kind')}</dt>
        <dd>${t(`kind.${unit.kind}`)}</dd>
        <dt>${t('unit.valid_from')}</dt>
        <dd>${formatDate(t, unit.valid_from)}</dd>
        <dt>${t('unit.valid_to')}</dt>
        <dd>${unit.valid_to ? formatDate(t, unit.valid_to) : t('unit.still_valid')}</dd>
        <dt>${t('unit.parent')}</dt>
        <dd>
          ${unit.parent_id != null
            ? html`<${UnitRef} id=${unit.parent_id} date=${date} />`
            : t('unit.none')}
        </dd>
        <dt>${t('unit.successor')}</dt>
        <dd>
          ${unit.successor_id != null
            ? html`<${UnitRef}
                id=${unit.successor_id}
                date=${unit.valid_to || date}
                linkDate=${unit.valid_to || date}
              />`
            : t('unit.none')}
        </dd>
        <dt>${t('unit.children_count')}</dt>
        <dd>${children ? children.length : unit.children}</dd>
      </dl>
    </section>

    <section class="panel" aria-labelledby="unit-links-h">
      <h2 id="unit-links-h">${t('unit.links')}</h2>
      ${links.length === 0
        ? html`<p>${t('unit.no_links')}</p>`
        : html`<${ListTable} caption=${t('unit.links')} columns=${[t('unit.parent'), t('unit.from'), t('unit.to')]}>
            ${links.map(
              (l, i) => html`<tr key=${i}>
                <td>
                  ${l.parentId != null
                    ? html`<${UnitRef}
                        id=${l.parentId}
                        name=${l.name}
                        code=${l.code}
                        date=${l.from || date}
                        linkDate=${l.from || date}
                      />`
                    : t('unit.none')}
                </td>
                <td>${formatDate(t, l.from)}</td>
                <td>${l.to ? formatDate(t, l.to) : t('unit.still_valid')}</td>
              </tr>`,
            )}
          <//>`}
    </section>

    <section class="panel" aria-labelledby="unit-children-h">
      <h2 id="unit-children-h">${t('unit.children', { date: formatDate(t, date) })}</h2>
      ${children === null
        ? html`<${Loading} />`
        : children.length === 0
          ? html`<p>${t('unit.no_children')}</p>`
          : html`<ul class="unit-list">
              ${children.map((c) => html`<li key=${c.id}><${UnitLine} unit=${c} date=${date} /></li>`)}
            </ul>`}
    </section>

    ${isAdmin &&
    html`<div class="columns">
      <${RenameForm}
        unit=${unit}
        onSaved=${(saved) => {
          refCache.clear();
          setUnit((u) => ({ ...u, ...saved, links: saved.links || u.links }));
        }}
      />
      <${AddChildForm} unit=${unit} date=${date} onAdded=${() => setReload((n) => n + 1)} />
    </div>`}
  </div>`;
}
