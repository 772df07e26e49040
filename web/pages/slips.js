// The pages of the printable forms (slips.js), each with a Print button and everything but
// the form marked .no-print:
//  - /dossiers/CODE/forms/02, 03, 04, 05 (those who read dossiers): built from
//    GET /api/v1/dossiers/CODE (Form 05's due times are the server's), the procedure
//    version's steps and the units' names; a form that does not apply to the dossier says so
//    (formsFor of slips.js);
//  - /desk/logbook?period=P (clerks): the desk's log book (Form 06), every dossier taken in
//    at the clerk's desk in the period whatever came of it (GET /api/v1/dossiers?taken=P&unit=,
//    all pages), with the procedures' names.
// Form 01 has no page of its own: the desk shows it once, when it receives the dossier.

import { html, useEffect, useMemo } from '../lib.js';
import { useApp } from '../context.js';
import { getAll } from '../api.js';
import { Link, navigate } from '../router.js';
import { today } from '../i18n.js';
import {
  PageTitle,
  ErrorBox,
  Loading,
  Field,
  errorsFor,
  formProblemText,
  problemText,
  useFields,
  useLoaded,
} from '../components.js';
import { dossierHref, useDossier, useUnits, unitIdsOf, stepCodes, unitText } from '../kits/dossiers.js';
import { useProcedures, useSteps } from '../kits/procedures.js';
import {
  GuideSlip,
  RefusalSlip,
  ApologySlip,
  ControlSlip,
  LogBook,
  controlRows,
  lastEvent,
  formsFor,
  logbookHref,
} from '../slips.js';
import { parsePeriod, periodBounds } from '../period.js';

export const FORMS = ['02', '03', '04', '05'];

/** The Print button (hidden in print, like everything around the form). */
export function PrintButton({ label }) {
  const { t } = useApp();
  return html`<button type="button" class="primary" data-print onClick=${() => window.print()}>
    ${label || t('forms.print')}
  </button>`;
}

/** The name of unit 'id' as the head of a form writes it: its name, else the desk in words. */
function agencyName(t, id, units, me) {
  const u = units.get(id) || (me && me.unit && me.unit.id === id ? me.unit : null);
  return (u && u.name) || t('procedure.unit.desk');
}

export function DossierFormPage({ params }) {
  const { t, me } = useApp();
  const { code, form } = params;
  const [d, err] = useDossier(code);

  // undefined while loading, null when the procedure cannot be read
  const steps = useSteps(d);
  const units = useUnits(unitIdsOf(d));
  const title = t('forms.page_title', { form, code });
  const head = html`<p class="breadcrumb no-print"><${Link} href=${dossierHref(code)}>${t('forms.back', { code })}<//></p>
    <div class="no-print"><${PageTitle} title=${title}>${title}<//></div>`;

  if (!FORMS.includes(form)) {
    return html`<div>${head}<p class="alert alert-error" role="alert">${t('forms.unknown')}</p></div>`;
  }
  if (err && !d) {
    return html`<div>
      ${head}
      <p class="alert alert-error" role="alert">${err.status === 404 ? t('dossier.not_found') : problemText(t, err)}</p>
    </div>`;
  }
  if (!d) return html`<div>${head}<${Loading} /></div>`;
  if (!formsFor(d).includes(form)) {
    return html`<div>${head}<p class="alert alert-error" role="alert">${t(`forms.${form}.not_applicable`)}</p></div>`;
  }

  const codes = stepCodes(d, steps || null);
  const unitOf = (id) => unitText(t, id, d, units, codes);
  const desk = agencyName(t, d.desk_unit_id, units, me);
  const signer = (ev) => (ev && me && ev.actor_id === me.id ? me.full_name : '');
  let body;
  if (form === '02') {
    const ev = lastEvent(d, 'guide');
    body = html`<${GuideSlip} d=${d} reason=${ev ? ev.reason : ''} agency=${desk} clerk=${signer(ev)} />`;
  } else if (form === '03') {
    const ev = lastEvent(d, 'refuse');
    const by = ev && ev.from_unit_id && ev.from_unit_id !== d.desk_unit_id ? agencyName(t, ev.from_unit_id, units, me) : desk;
    body = html`<${RefusalSlip} d=${d} reason=${ev ? ev.reason : ''} agency=${desk} by=${by} clerk=${signer(ev)} />`;
  } else if (form === '04') {
    const ev = lastEvent(d, 'apologise');
    body = ev
      ? html`<${ApologySlip} d=${d} ev=${ev} agency=${agencyName(t, ev.from_unit_id || d.desk_unit_id, units, me)} desk=${desk} />`
      : html`<p>${t('forms.04.not_applicable')}</p>`;
  } else {
    // the steps' names wait for the procedure version; the rows are the server's as they are
    body =
      steps !== undefined
        ? html`<${ControlSlip} d=${d} steps=${steps} rows=${controlRows(d, t)} agency=${desk} unitOf=${unitOf} />`
        : html`<${Loading} />`;
  }
  return html`<div class="form-page" data-form=${form}>
    ${head}
    <div class="actions no-print">
      <${PrintButton} />
      <${Link} class="button" href=${dossierHref(d.code)}>${t('desk.open_dossier')}<//>
    </div>
    ${body}
  </div>`;
}

// ---- the log book (Form 06) ----

function LogbookPicker({ period, bounds, err }) {
  const { t } = useApp();
  const day = today();
  const { values, setValues, bind } = useFields(bounds || { from: day, to: day }, err);
  useEffect(() => {
    if (bounds) setValues({ from: bounds.from, to: bounds.to });
  }, [bounds && bounds.from, bounds && bounds.to]);
  const submit = (ev) => {
    ev.preventDefault();
    navigate(logbookHref(`${values.from}..${values.to}`));
  };
  return html`<form class="panel logbook-picker no-print" aria-labelledby="logbook-picker-h" onSubmit=${submit} novalidate>
    <h2 id="logbook-picker-h">${t('logbook.choose')}</h2>
    <nav class="quick-periods" aria-label=${t('service.quick')}>
      <span class="quick-label" aria-hidden="true">${t('service.quick')}:</span>
      <ul>
        ${[
          { key: 'today', period: `${day}..${day}` },
          { key: 'this_month', period: day.slice(0, 7) },
        ].map(
          (q) => html`<li key=${q.key}>
            <${Link} href=${logbookHref(q.period)} aria-current=${q.period === period ? 'true' : undefined}>
              ${t(`logbook.${q.key}`)}
            <//>
          </li>`,
        )}
      </ul>
    </nav>
    <div class="filter-grid">
      <${Field} label=${t('dashboard.from')} type="date" ...${bind('from')} error=${errorsFor(t, err, 'taken')} />
      <${Field} label=${t('dashboard.to')} type="date" ...${bind('to')} />
    </div>
    <div class="actions">
      <button type="submit">${t('logbook.show')}</button>
    </div>
  </form>`;
}

export function LogbookPage({ query }) {
  const { t, me } = useApp();
  const day = today();
  const period = query.get('period') || `${day}..${day}`;
  const bounds = useMemo(() => {
    const f = parsePeriod(period, +day.slice(0, 4));
    return f ? periodBounds(f) : null;
  }, [period]);
  const unit = me && me.unit ? me.unit.id : '';
  const [items, err] = useLoaded(() => getAll('/dossiers', { taken: period, unit }), [period, unit]);
  const names = useProcedures(items ? items.map((x) => x.procedure_id) : []);
  const nameMap = useMemo(() => {
    const m = new Map();
    for (const [id, p] of (names || new Map()).entries()) m.set(id, p.name);
    return m;
  }, [names]);

  const title = t('logbook.title');
  const agency = (me && me.unit && me.unit.name) || t('procedure.unit.desk');
  return html`<div class="logbook-page">
    <p class="breadcrumb no-print"><${Link} href="/desk">${t('logbook.back')}<//></p>
    <div class="no-print">
      <${PageTitle} title=${title}>${title}<//>
      <p class="lead">${t('logbook.intro')}</p>
    </div>
    <${LogbookPicker} period=${period} bounds=${bounds} err=${err} />
    <div class="no-print">
      <${ErrorBox} err=${err} text=${err ? formProblemText(t, err) : ''} />
    </div>
    ${!items && !err && html`<${Loading} />`}
    ${items &&
    html`<div class="no-print">
        <p class="result-count" role="status">${t('logbook.count', { n: items.length })}</p>
        <div class="actions">
          <${PrintButton} label=${t('logbook.print')} />
        </div>
      </div>
      ${names
        ? html`<${LogBook}
            items=${items}
            names=${nameMap}
            agency=${agency}
            from=${bounds ? bounds.from : ''}
            to=${bounds ? bounds.to : ''}
            today=${day}
          />`
        : html`<${Loading} />`}`}
  </div>`;
}
