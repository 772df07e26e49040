// The worklist (/worklist: clerks, officers, leaders): the dossiers whose current step the
// caller's unit holds (GET /api/v1/dossiers/worklist), the overdue first, each with the
// working time left as the server counts it, and a box that opens a dossier by its code.

import { html, useState } from '../lib.js';
import { useApp } from '../context.js';
import { get } from '../api.js';
import { Link, navigate } from '../router.js';
import { PageTitle, ErrorBox, Loading, useLoaded, ListTable } from '../components.js';
import { dossierHref, whenText, StateBadge } from '../kits/dossiers.js';

/** A number of working minutes as hours and minutes ("12 giờ 30 phút", "3 giờ", "45 phút"). */
function workingDuration(t, minutes) {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h && m) return t('worklist.hours_minutes', { h, m });
  return h ? t('worklist.hours', { h }) : t('worklist.minutes', { m });
}

/**
 * The working time left before a dossier's due time, as the server counts it on the legal
 * calendar (working_minutes_left): "còn ... làm việc", "quá hạn ... làm việc" when negative,
 * or on hold while the dossier waits for papers (null).
 */
function workingLeftText(t, minutes) {
  if (minutes === null || minutes === undefined) return t('worklist.on_hold');
  return minutes < 0
    ? t('worklist.overdue_by', { time: workingDuration(t, -minutes) })
    : t('worklist.left', { time: workingDuration(t, minutes) });
}

/** A box that opens a dossier by its code (the citizen brings the slip). */
function OpenByCode() {
  const { t } = useApp();
  const [code, setCode] = useState('');
  const submit = (ev) => {
    ev.preventDefault();
    const c = code.trim().toUpperCase();
    if (c) navigate(dossierHref(c));
  };
  return html`<form class="inline-form open-dossier" role="search" aria-label=${t('worklist.open')} onSubmit=${submit}>
    <div class="field">
      <label for="open-code">${t('worklist.open_code')}</label>
      <input
        id="open-code"
        type="search"
        autocapitalize="characters"
        spellcheck=${false}
        value=${code}
        onInput=${(e) => setCode(e.currentTarget.value)}
      />
    </div>
    <button type="submit">${t('worklist.open_submit')}</button>
  </form>`;
}

export function WorklistPage() {
  const { t, me } = useApp();
  const [page, err] = useLoaded(() => get('/dossiers/worklist', { limit: 500 }), []);

  // The overdue first, then by due time (the server's order; kept if it ever changes).
  const items = page
    ? [...page.items].sort((a, b) =>
        a.overdue !== b.overdue ? (a.overdue ? -1 : 1) : a.due_at < b.due_at ? -1 : a.due_at > b.due_at ? 1 : 0,
      )
    : [];
  const overdue = items.filter((x) => x.overdue).length;
  return html`<div>
    <${PageTitle} title=${t('worklist.title')}>${t('worklist.title')}<//>
    <p class="lead">${t('worklist.intro', { unit: (me.unit && me.unit.name) || '' })}</p>
    <${OpenByCode} />
    <${ErrorBox} err=${err} />
    ${!page && !err && html`<${Loading} />`}
    ${page &&
    (items.length === 0
      ? html`<p role="status">${t('worklist.none')}</p>`
      : html`<p class="result-count" role="status">
            ${overdue
              ? t('worklist.count_overdue', { count: items.length, overdue })
              : t('worklist.count', { count: items.length })}
          </p>
          <${ListTable}
            className="worklist"
            caption=${t('worklist.title')}
            columns=${[
              t('dossier.code'), t('dossier.state_label'), t('dossier.step'), t('dossier.due'), t('worklist.time_left'),
            ]}
          >
            ${items.map(
              (x) => html`<tr key=${x.code} class=${x.overdue ? 'overdue' : undefined} data-code=${x.code}>
                <td><${Link} href=${dossierHref(x.code)}><span class="nowrap">${x.code}</span><//></td>
                <td><${StateBadge} state=${x.state} overdue=${x.overdue} /></td>
                <td class="nowrap">${x.step >= 0 ? t('dossier.step_n', { n: x.step + 1 }) : '—'}</td>
                <td>${whenText(t, x.due_local)}</td>
                <td data-col="left">${workingLeftText(t, x.working_minutes_left)}</td>
              </tr>`,
            )}
          <//>`)}
  </div>`;
}
