// Users: the list with search and cursor paging (GET /api/v1/users, admin and leader),
// the "add user" form (POST /api/v1/users, admin) and the user page with its edit form
// (PATCH /api/v1/users/ID, admin). Field errors from the problem body appear under the
// field they name.

import { html, useState } from '../lib.js';
import { useApp } from '../context.js';
import { get, post, patch } from '../api.js';
import { Link, navigate, hrefWith } from '../router.js';
import { formatInstant } from '../i18n.js';
import { UnitPicker } from '../pickers.js';
import {
  PageTitle,
  ErrorBox,
  Notice,
  Loading,
  Field,
  RoleChecks,
  errorsFor,
  useForm,
  useLoaded,
  usePagedList,
  ListTable,
  LoadFailed,
  FormActions,
} from '../components.js';

const PAGE_SIZE = 50;

function rolesText(t, roles) {
  return (roles || []).map((r) => t(`role.${r}`)).join(', ');
}

export function UsersPage({ query }) {
  const { t, me } = useApp();
  const isAdmin = me.roles.includes('admin');
  const [q, setQ] = useState('');
  const [asked, setAsked] = useState('');
  // cursors[i] is the cursor of page i (null for the first page)
  const [cursors, setCursors] = useState([null]);
  const pageIndex = cursors.length - 1;
  const created = query.get('created');
  const { items, next, err } = usePagedList(
    '/users',
    { q: asked, limit: PAGE_SIZE },
    { cursor: cursors[pageIndex], tick: cursors, keep: true },
  );

  const submit = (ev) => {
    ev.preventDefault();
    setAsked(q.trim());
    setCursors([null]);
  };

  return html`<div>
    <${PageTitle} title=${t('users.title')}>${t('users.title')}<//>
    <${Notice} text=${created ? t('users.created', { username: created }) : ''} />
    <div class="toolbar">
      <form class="inline-form" role="search" onSubmit=${submit}>
        <div class="field">
          <label for="user-q">${t('users.search_label')}</label>
          <input id="user-q" type="search" value=${q} onInput=${(e) => setQ(e.currentTarget.value)} />
        </div>
        <button type="submit">${t('common.search')}</button>
      </form>
      ${isAdmin && html`<${Link} class="button primary" href="/users/new">${t('users.add')}<//>`}
    </div>
    <${ErrorBox} err=${err} />
    ${!items && !err && html`<${Loading} />`}
    ${items &&
    (items.length === 0
      ? html`<p role="status">${t('users.none')}</p>`
      : html`<${ListTable}
          className="users"
          caption=${t('users.title')}
          columns=${[t('user.username'), t('user.full_name'), t('user.unit'), t('user.roles'), t('user.status')]}
        >
          ${items.map(
            (u) => html`<tr key=${u.id}>
              <td><${Link} href=${`/users/${encodeURIComponent(u.id)}`}>${u.username}<//></td>
              <td>${u.full_name}</td>
              <td><span class="code">${u.unit_code}</span></td>
              <td>${rolesText(t, u.roles)}</td>
              <td>${u.disabled ? t('user.disabled') : t('user.active')}</td>
            </tr>`,
          )}
        <//>`)}
    <nav class="pager" aria-label=${t('common.pages')}>
      <button
        type="button"
        disabled=${pageIndex === 0}
        onClick=${() => setCursors((c) => c.slice(0, -1))}
      >
        ${t('common.previous')}
      </button>
      <span>${t('common.page', { n: pageIndex + 1 })}</span>
      <button
        type="button"
        disabled=${!next}
        onClick=${() => setCursors((c) => [...c, next])}
      >
        ${t('common.next')}
      </button>
    </nav>
  </div>`;
}

export function UserNewPage() {
  const { t } = useApp();
  const [unit, setUnit] = useState(null);
  const initial = { username: '', full_name: '', roles: [], password: '' };
  const { values: form, bind, busy, err, submit } = useForm(initial, async () => {
    const body = {
      username: form.username.trim(),
      full_name: form.full_name.trim(),
      roles: form.roles,
      password: form.password,
    };
    // Left out rather than null when none is chosen: the server then reports it as
    // "required" together with the other fields' errors.
    if (unit) body.unit_id = unit.id;
    const user = await post('/users', body);
    navigate(hrefWith('/users', { created: user.username }));
  });

  return html`<div>
    <p class="breadcrumb"><${Link} href="/users">${t('users.title')}<//></p>
    <${PageTitle} title=${t('users.add')}>${t('users.add')}<//>
    <${ErrorBox} err=${err} />
    <form class="form" onSubmit=${submit} novalidate>
      <${Field}
        label=${t('user.username')}
        autocomplete="off"
        autocapitalize="none"
        spellcheck=${false}
        required
        ...${bind('username')}
      />
      <${Field} label=${t('user.full_name')} autocomplete="off" required ...${bind('full_name')} />
      <${UnitPicker} value=${unit} onChange=${setUnit} error=${errorsFor(t, err, 'unit_id')} />
      <${RoleChecks} ...${bind('roles')} />
      <${Field}
        label=${t('user.password')}
        type="password"
        autocomplete="new-password"
        required
        hint=${t('user.password_hint')}
        ...${bind('password')}
      />
      <${FormActions} busy=${busy} label=${t('users.add_submit')}>
        <${Link} href="/users">${t('common.cancel')}<//>
      <//>
    </form>
  </div>`;
}

function UserEditForm({ user, onSaved }) {
  const { t } = useApp();
  const [unit, setUnit] = useState(null);
  const [done, setDone] = useState('');
  const initial = { full_name: user.full_name, roles: user.roles || [], disabled: !!user.disabled };
  const { values: form, bind, busy, err, submit } = useForm(initial, async () => {
    setDone('');
    const body = { full_name: form.full_name.trim(), roles: form.roles, disabled: form.disabled };
    if (unit) body.unit_id = unit.id;
    const saved = await patch(`/users/${encodeURIComponent(user.id)}`, body);
    setDone(t('user.saved'));
    setUnit(null);
    onSaved(saved);
  });

  return html`<section class="panel" aria-labelledby="user-edit-h">
    <h2 id="user-edit-h">${t('user.edit')}</h2>
    <${ErrorBox} err=${err} />
    <${Notice} text=${done} />
    <form class="form" onSubmit=${submit} novalidate>
      <${Field} label=${t('user.full_name')} required ...${bind('full_name')} />
      <${UnitPicker}
        label=${t('user.unit_change')}
        value=${unit}
        onChange=${setUnit}
        error=${errorsFor(t, err, 'unit_id')}
      />
      <${RoleChecks} ...${bind('roles')} />
      <${Field} label=${t('user.disabled_label')} type="checkbox" ...${bind('disabled')} />
      <${FormActions} busy=${busy} label=${t('common.save')} />
    </form>
  </section>`;
}

export function UserPage({ params }) {
  const { t, me } = useApp();
  const isAdmin = me.roles.includes('admin');
  const [user, err, setUser] = useLoaded(() => get(`/users/${encodeURIComponent(params.id)}`), [params.id]);

  if (err) {
    return html`<${LoadFailed} title=${t('user.title')} err=${err} notFound=${t('user.not_found')}>
      <${Link} href="/users">${t('users.title')}<//>
    <//>`;
  }
  if (!user) return html`<${Loading} />`;

  return html`<div>
    <p class="breadcrumb"><${Link} href="/users">${t('users.title')}<//></p>
    <${PageTitle} title=${user.full_name}>${user.full_name}<//>
    <section class="panel" aria-labelledby="user-facts-h">
      <h2 id="user-facts-h">${t('user.facts')}</h2>
      <dl class="facts">
        <dt>${t('user.username')}</dt>
        <dd>${user.username}</dd>
        <dt>${t('user.unit')}</dt>
        <dd>
          <${Link} href=${`/units/${encodeURIComponent(user.unit_id)}`}>
            <span class="code">${user.unit_code}</span>
          <//>
        </dd>
        <dt>${t('user.roles')}</dt>
        <dd>${rolesText(t, user.roles)}</dd>
        <dt>${t('user.status')}</dt>
        <dd>${user.disabled ? t('user.disabled') : t('user.active')}</dd>
        <dt>${t('user.created_at')}</dt>
        <dd>${formatInstant(t, user.created_at)}</dd>
        <dt>${t('user.updated_at')}</dt>
        <dd>${formatInstant(t, user.updated_at)}</dd>
      </dl>
    </section>
    ${isAdmin && html`<${UserEditForm} user=${user} onSaved=${setUser} />`}
  </div>`;
}
