// The printable forms of Circular 01/2018/TT-VPCP, laid out as the circular lays them out:
// the agency and the national motto side by side, the place and date line, the title, the
// body, the signature blocks.
//  - 01 "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" (A5): the receipt and appointment slip,
//    with a QR code of the public lookup link;
//  - 02 "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ" (A5): a dossier returned for completion;
//  - 03 "Phiếu từ chối tiếp nhận giải quyết hồ sơ" (A5): a dossier refused;
//  - 04 "Phiếu xin lỗi và hẹn lại ngày trả kết quả" (A4): after an apology;
//  - 05 "Phiếu kiểm soát quá trình giải quyết hồ sơ" (A4): the hand-overs as a table, each
//    step's due time and whether it was met, as the server recorded them;
//  - 06 "Sổ theo dõi hồ sơ" (A4 landscape): the desk's log book.
// Also which of them apply to a dossier, and their links. Each is a section with the class
// "slip" (and "sheet-a4" or "sheet-landscape"): the print rules of style.css print it alone,
// on its paper size. Every text is a catalog key ("slip.*" for Form 01 and the words the
// others share with it, "forms.*").

import { html } from './lib.js';
import { useApp } from './context.js';
import { ListTable } from './components.js';
import { Link } from './router.js';
import { formatDate } from './i18n.js';
import { QrCode } from './qr.js';
import {
  dossierHref,
  localOf,
  stateText,
  wasReceived,
  stepTimeliness,
  currentStepLate,
} from './kits/dossiers.js';
import { allowanceText } from './kits/procedures.js';

/** The page of a printable form (02, 03, 04, 05 of Circular 01/2018/TT-VPCP) of a dossier. */
export const formHref = (code, form) => `${dossierHref(code)}/forms/${form}`;

/**
 * The printable forms that apply to dossier 'd', in order: 02 when returned for completion,
 * 03 when refused (at the desk or later), 04 after an apology, 05 for a received one.
 */
export function formsFor(d) {
  const out = [];
  if (d.state === 'incomplete') out.push('02');
  if (d.state === 'refused') out.push('03');
  if (d.apologies > 0) out.push('04');
  if (wasReceived(d)) out.push('05');
  return out;
}

/** The log book of the desk (Form 06) for a period. */
export const logbookHref = (period) => `/desk/logbook?period=${encodeURIComponent(period)}`;

/** The public lookup link of a dossier, as printed in the slip's QR code. */
export function lookupUrl(code, secret) {
  const q = new URLSearchParams({ code, secret });
  return `${window.location.origin}/lookup?${q.toString()}`;
}

/** A local "YYYY-MM-DD HH:MM" as the parts the slip writes out (hour, minute, day...). */
export function slipTime(t, local) {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})$/.exec(local || '');
  if (!m) return local || '';
  return t('slip.time', { hour: m[4], minute: m[5], day: m[3], month: m[2], year: m[1] });
}

/** The links from a dossier to the forms that apply to it (the dossier page shows them). */
export function FormLinks({ d }) {
  const { t } = useApp();
  const forms = formsFor(d);
  if (!forms.length) return null;
  return html`<nav class="panel form-links" aria-labelledby="dossier-forms-h">
    <h2 id="dossier-forms-h">${t('forms.links')}</h2>
    <ul>
      ${forms.map(
        (f) => html`<li key=${f}>
          <${Link} href=${formHref(d.code, f)} data-form=${f}>${t(`forms.${f}.link`)}<//>
        </li>`,
      )}
    </ul>
  </nav>`;
}

/** The day, month and year of a local "YYYY-MM-DD..." (empty parts when none). */
function dateParts(local) {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(local || '') || [];
  return { day: m[3] || '', month: m[2] || '', year: m[1] || '' };
}

/** A local "YYYY-MM-DD HH:MM" as a short date and time ("29/11/2026 08:15"). */
export function shortTime(t, local) {
  if (!local) return '';
  return t('forms.date_time', { date: formatDate(t, local.slice(0, 10)), time: local.slice(11, 16) });
}

/** A reason typed one item a line, as the items (list marks and numbers typed dropped). */
export function reasonLines(reason) {
  return String(reason || '')
    .split(/\r?\n/)
    .map((s) => s.replace(/^\s*(?:[-–•*]|\d+[.)])\s*/, '').trim())
    .filter(Boolean);
}

/**
 * The head of a form: the agency (and its desk) on the start side, the national name and
 * motto with the place and date line on the end side ('dateKey' names the line's words:
 * Form 01 writes the date without the place).
 */
export function FormHead({ agency, sub, date, dateKey = 'forms.place_date' }) {
  const { t } = useApp();
  return html`<div class="slip-head">
    <div class="slip-agency">
      <p class="slip-unit">${agency}</p>
      ${sub && html`<p class="slip-desk">${sub}</p>`}
    </div>
    <div class="slip-nation">
      <p class="slip-country">${t('slip.country')}</p>
      <p class="slip-motto">${t('slip.motto')}</p>
      <p class="slip-date">${t(dateKey, { place: t('forms.place'), ...dateParts(date) })}</p>
    </div>
  </div>`;
}

/** A signature block: the title, "(sign and write the full name)", room, the name if known. */
export function Signature({ title, hint, name }) {
  const { t } = useApp();
  return html`<div>
    <p class="slip-sign-title">${title}</p>
    <p class="slip-sign-hint">${hint || t('slip.sign_hint')}</p>
    <p class="slip-sign-name">${name || '\u00a0'}</p>
  </div>`;
}

/** The applicant and the request, as the desk's slips write them. */
function Applicant({ d }) {
  const { t } = useApp();
  return html`<dl class="slip-facts">
    <dt>${t('slip.applicant')}</dt>
    <dd>${d.applicant.name}</dd>
    <dt>${t('slip.address')}</dt>
    <dd>${d.applicant.address || '…'}</dd>
    <dt>${t('slip.phone')}</dt>
    <dd>${d.applicant.phone}</dd>
    <dt>${t('slip.request')}</dt>
    <dd>${d.procedure.name} (<span class="slip-proc-code">${d.procedure.code}</span>)</dd>
  </dl>`;
}

/** The line "Mã hồ sơ: CODE" under a slip's head. */
function CodeLine({ code }) {
  const { t } = useApp();
  return html`<p class="slip-code">${t('slip.code')}: <strong class="slip-code-value">${code}</strong></p>`;
}

/**
 * Form 01: the receipt and appointment slip of a dossier just received ('receipt' is the
 * dossier, the procedure and the papers ticked), by the clerk's desk; the QR code holds the
 * public lookup link with the slip's secret, which only this answer carries.
 */
export function Slip({ receipt }) {
  const { t, me } = useApp();
  const { dossier: d, papers, procedure: p } = receipt;
  const url = lookupUrl(d.code, d.secret);
  const receivedLocal = localOf(d.received_at);
  const desk = (me.unit && me.unit.name) || t('procedure.unit.desk');
  return html`<section class="slip" aria-labelledby="slip-h" data-code=${d.code}>
    <${FormHead} agency=${desk} sub=${t('slip.desk')} date=${receivedLocal} dateKey="slip.date" />
    <${CodeLine} code=${d.code} />
    <h2 id="slip-h" class="slip-title">${t('slip.title')}</h2>
    <p>${t('slip.received_from', { desk })}</p>
    <${Applicant} d=${d} />
    <ol class="slip-items">
      <li>
        ${t('slip.papers')}
        ${papers.length
          ? html`<ol class="slip-papers">
              ${papers.map((x, i) => html`<li key=${i}>${x}</li>`)}
            </ol>`
          : html` ${t('slip.papers_none')}`}
      </li>
      <li>${t('slip.sets')}</li>
      <li>${t('slip.allowed', { time: allowanceText(t, p) })}</li>
      <li data-slip="received">${t('slip.received_at', { time: slipTime(t, receivedLocal) })}</li>
      <li data-slip="appointment">
        ${t('slip.appointment', { time: slipTime(t, d.appointment_local) })}
      </li>
      <li>${t('slip.channel', { channel: t(`dossier.channel.${d.channel}`) })}</li>
    </ol>
    <div class="slip-lookup">
      <${QrCode}
        text=${url}
        label=${t('slip.qr_label', { code: d.code })}
        loadingText=${t('common.loading')}
        errorText=${t('slip.qr_failed')}
      />
      <div class="slip-lookup-text">
        <p>${t('slip.lookup', { url: `${window.location.origin}/lookup` })}</p>
        <p>
          ${t('slip.secret')}: <strong class="slip-secret">${d.secret}</strong>
        </p>
        <p class="slip-keep">${t('slip.keep')}</p>
      </div>
    </div>
    <div class="slip-signs">
      <${Signature} title=${t('slip.applicant_sign')} name=${d.applicant.name} />
      <${Signature} title=${t('slip.clerk_sign')} name=${me.full_name} />
    </div>
  </section>`;
}

/** Form 02: the papers to add or complete, one numbered item a line of the reason. */
export function GuideSlip({ d, reason, agency, clerk }) {
  const { t } = useApp();
  const lines = reasonLines(reason);
  return html`<section class="slip form-sheet" aria-labelledby="form-02-h" data-form="02" data-code=${d.code}>
    <${FormHead} agency=${agency} sub=${t('slip.desk')} date=${localOf(d.received_at)} />
    <${CodeLine} code=${d.code} />
    <h2 id="form-02-h" class="slip-title">${t('forms.02.title')}</h2>
    <p>${t('slip.received_from', { desk: agency })}</p>
    <${Applicant} d=${d} />
    <p class="form-lead">${t('forms.02.ask')}</p>
    <ol class="form-reasons" data-reason>
      ${lines.map((x, i) => html`<li key=${i}>${x}</li>`)}
    </ol>
    <p>${t('forms.02.help', { desk: agency })}</p>
    <div class="slip-signs form-signs-end">
      <${Signature} title=${t('forms.02.sign')} name=${clerk} />
    </div>
  </section>`;
}

/** Form 03: the refusal and its reason. 'by' is the unit that refused (the desk, or a step's). */
export function RefusalSlip({ d, reason, agency, by, clerk }) {
  const { t } = useApp();
  return html`<section class="slip form-sheet" aria-labelledby="form-03-h" data-form="03" data-code=${d.code}>
    <${FormHead} agency=${agency} sub=${t('slip.desk')} date=${localOf(d.finished_at || d.received_at)} />
    <${CodeLine} code=${d.code} />
    <h2 id="form-03-h" class="slip-title">${t('forms.03.title')}</h2>
    <p>${t('slip.received_from', { desk: agency })}</p>
    <${Applicant} d=${d} />
    <p class="form-lead">${t('forms.03.lead', { unit: by || agency })}</p>
    <div class="form-reason" data-reason>
      ${reasonLines(reason).map((x, i) => html`<p key=${i}>${x}</p>`)}
    </div>
    <p>${t('forms.03.notice')}</p>
    <div class="slip-signs">
      <${Signature} title=${t('slip.applicant_sign')} name=${d.applicant.name} />
      <${Signature} title=${t('slip.clerk_sign')} name=${clerk} />
    </div>
  </section>`;
}

/** Form 04: the apology of the unit that is late, and the new appointment. */
export function ApologySlip({ d, ev, agency, desk }) {
  const { t } = useApp();
  const received = localOf(d.received_at);
  return html`<section class="slip sheet-a4 form-sheet" aria-labelledby="form-04-h" data-form="04" data-code=${d.code}>
    <${FormHead} agency=${agency} date=${localOf(ev.at)} />
    <${CodeLine} code=${d.code} />
    <h2 id="form-04-h" class="slip-title">${t('forms.04.title')}</h2>
    <p class="form-to">${t('forms.04.to', { name: d.applicant.name })}</p>
    <p>
      ${t('forms.04.received', {
        ...dateParts(received),
        desk,
        name: d.applicant.name,
        procedure: d.procedure.name,
        code: d.code,
      })}
    </p>
    <p data-form04="due">${t('forms.04.due', { time: slipTime(t, d.due_local) })}</p>
    <p data-reason>${t('forms.04.reason', { unit: agency, reason: ev.reason })}</p>
    <p>${t('forms.04.sorry', { unit: agency })}</p>
    <p class="form-appointment" data-form04="appointment">
      ${t('forms.04.appointment', { time: slipTime(t, d.appointment_local) })}
    </p>
    <p>${t('forms.04.thanks')}</p>
    <div class="slip-signs">
      <div class="form-recipients">
        <p class="slip-sign-title">${t('forms.04.recipients')}</p>
        <p>${t('forms.04.recipient_applicant')}</p>
        <p>${t('forms.04.recipient_desk', { desk })}</p>
        <p>${t('forms.04.recipient_file')}</p>
      </div>
      <${Signature} title=${t('forms.04.sign')} hint=${t('forms.04.sign_hint')} />
    </div>
  </section>`;
}

/** The last event of 'action' of a dossier, or null. */
export function lastEvent(d, action) {
  const xs = (d.events || []).filter((e) => e.action === action);
  return xs.length ? xs[xs.length - 1] : null;
}

const ENDS = ['refuse', 'stop', 'withdraw'];

/**
 * The rows of Form 05 from a dossier's events: the receipt, each hand-over (the step handed
 * over, its due time and whether it was met), the step in hand now, the end or the return of
 * the result. The due times are the server's: a hand-over's own (the event's step_due_local
 * and step_late), the step in hand's the dossier's step_due_local (none while it waits for
 * papers). Notes: the papers asked and supplied, the apologies, the reason of an end.
 */
export function controlRows(d, t) {
  const rows = [];
  const notes = new Map();
  const note = (i, text) => notes.set(i, [...(notes.get(i) || []), text]);
  let waiting = null;
  for (const e of d.events || []) {
    const at = localOf(e.at);
    switch (e.action) {
      case 'receive':
        rows.push({ kind: 'receive', at, from: null, to: e.to_unit_id || d.desk_unit_id, notes: [] });
        break;
      case 'hand_over':
        rows.push({
          kind: 'hand_over',
          step: e.step,
          at,
          from: e.from_unit_id,
          to: e.to_unit_id,
          due: e.step_due_local || null,
          timeliness: stepTimeliness(e),
          notes: notes.get(e.step) || [],
        });
        break;
      case 'ask':
        waiting = e.step;
        note(e.step, t('forms.05.note_ask', { time: shortTime(t, at), reason: e.reason }));
        break;
      case 'supplied':
        note(waiting !== null ? waiting : e.step, t('forms.05.note_supplied', { time: shortTime(t, at) }));
        waiting = null;
        break;
      case 'apologise':
        note(e.step, t('forms.05.note_apology', { time: shortTime(t, at), reason: e.reason }));
        break;
      case 'notify':
        if (rows.length) {
          const last = rows[rows.length - 1];
          last.notes = [...last.notes, t('forms.05.note_notify', { time: shortTime(t, at) })];
        }
        break;
      case 'return':
        rows.push({
          kind: 'return',
          at,
          from: e.from_unit_id || d.desk_unit_id,
          to: null,
          due: d.appointment_local,
          timeliness: d.timeliness,
          notes: [],
        });
        break;
      default:
        if (ENDS.includes(e.action)) {
          rows.push({
            kind: 'end',
            action: e.action,
            step: e.step,
            at,
            from: e.from_unit_id || d.desk_unit_id,
            to: null,
            notes: [...(notes.get(e.step) || []), e.reason ? t('forms.05.note_reason', { reason: e.reason }) : ''].filter(Boolean),
          });
        }
    }
  }
  // The step in hand now: its due time, and "late" once it has passed.
  if (d.step && (d.state === 'processing' || d.state === 'supplement')) {
    const i = d.step.index;
    rows.push({
      kind: 'current',
      step: i,
      at: null,
      from: d.step.unit_id,
      to: null,
      due: d.step_due_local || null,
      timeliness: currentStepLate(d) ? 'late' : null,
      notes: notes.get(i) || [],
    });
  }
  return rows;
}

/** Form 05: the hand-overs of a received dossier as a table with room for signatures. */
export function ControlSlip({ d, steps, rows, agency, unitOf }) {
  const { t } = useApp();
  const stepName = (i) => (steps && steps[i] ? steps[i].name : '');
  // The units the steps went to, other than the desk's; the desk's own when it did it all.
  const others = (d.events || [])
    .filter((e) => e.action === 'hand_over' && e.to_unit_id && e.to_unit_id !== d.desk_unit_id)
    .map((e) => e.to_unit_id);
  const handlers = [...new Set(others.length ? others : [d.desk_unit_id])].map(unitOf);
  const what = (r) => {
    switch (r.kind) {
      case 'receive':
        return t('forms.05.row_receive');
      case 'return':
        return t('forms.05.row_return');
      case 'end':
        return t(`dossier.event.${r.action}`);
      case 'current':
        return t('forms.05.row_current', { n: r.step + 1, name: stepName(r.step) });
      default:
        return t('forms.05.row_step', { n: r.step + 1, name: stepName(r.step) });
    }
  };
  const party = (id) => (id ? unitOf(id) : t('forms.05.applicant', { name: d.applicant.name }));
  return html`<section class="slip sheet-a4 form-sheet" aria-labelledby="form-05-h" data-form="05" data-code=${d.code}>
    <${FormHead} agency=${agency} sub=${t('slip.desk')} date=${localOf(d.received_at)} />
    <h2 id="form-05-h" class="slip-title">${t('forms.05.title')}</h2>
    <p class="form-center">${t('slip.code')}: <strong class="slip-code-value">${d.code}</strong></p>
    <p class="form-center form-note">${t('forms.05.with_slip', { code: d.code })}</p>
    <p>${t('forms.05.handlers', { units: handlers.length ? handlers.join('; ') : '…' })}</p>
    <p>${t('forms.05.partners')}</p>
    <${ListTable}
      className="form-table control-table"
      wrapClass="form-table-wrap"
      caption=${t('forms.05.title')}
      columns=${[
        t('forms.05.col_step'), t('forms.05.col_from'), t('forms.05.col_to'), t('forms.05.col_time'),
        t('forms.05.col_due'), t('forms.05.col_result'), t('forms.05.col_signs'), t('forms.05.col_note'),
      ]}
    >
      ${rows.map(
        (r, i) => html`<tr key=${i} data-row=${r.kind} data-step=${r.step === undefined ? '' : r.step}>
          <th scope="row">${what(r)}</th>
          <td>${r.kind === 'current' ? unitOf(r.from) : party(r.from)}</td>
          <td>${r.kind === 'current' ? '' : party(r.to)}</td>
          <td>${r.at ? shortTime(t, r.at) : t('forms.05.in_hand')}</td>
          <td data-col="due">${r.due ? shortTime(t, r.due) : ''}</td>
          <td data-col="result" data-timeliness=${r.timeliness || ''}>
            ${r.timeliness ? t(`forms.timeliness.${r.timeliness}`) : ''}
          </td>
          <td class="form-sign-cell">
            ${r.kind !== 'current' &&
            html`<span>${t('forms.05.giver')}</span><span class="form-sign-room"></span
              ><span>${t('forms.05.taker')}</span><span class="form-sign-room"></span>`}
          </td>
          <td>${r.notes.map((n, k) => html`<p key=${k}>${n}</p>`)}</td>
        </tr>`,
      )}
    <//>
  </section>`;
}

/** The log book's note for a dossier: what came of it (turned away, ended, returned...). */
export function logbookNote(t, x) {
  const parts = [];
  if (x.state === 'incomplete') parts.push(t('forms.06.guided'));
  else if (x.state === 'refused' && !wasReceived(x)) parts.push(t('forms.06.refused_desk'));
  else if (x.state === 'returned' && x.timeliness) {
    parts.push(t('forms.06.returned', { timeliness: t(`dossier.timeliness.${x.timeliness}`) }));
  } else parts.push(stateText(t, x.state));
  if (x.apologies > 0) parts.push(t('forms.06.apologised', { n: x.apologies }));
  if (x.channel && x.channel !== 'desk') parts.push(t(`dossier.channel.${x.channel}`));
  return parts.join('; ');
}

/** Form 06: the desk's log book of a period (A4 landscape). */
export function LogBook({ items, names, agency, from, to, today }) {
  const { t } = useApp();
  return html`<section class="slip sheet-landscape form-sheet" aria-labelledby="form-06-h" data-form="06">
    <${FormHead} agency=${agency} sub=${t('slip.desk')} date=${today} />
    <h2 id="form-06-h" class="slip-title">${t('forms.06.title')}</h2>
    <p class="form-center">${t('forms.06.period', { from: formatDate(t, from), to: formatDate(t, to) })}</p>
    <${ListTable}
      className="form-table logbook"
      wrapClass="form-table-wrap"
      caption=${t('forms.06.caption', { from: formatDate(t, from), to: formatDate(t, to) })}
      columns=${[
        t('forms.06.col_no'), t('forms.06.col_code'), t('forms.06.col_procedure'), t('forms.06.col_applicant'),
        t('forms.06.col_received'), t('forms.06.col_appointment'), t('forms.06.col_result'), t('forms.06.col_returned'),
        t('forms.06.col_note'),
      ]}
    >
      ${items.length === 0 &&
      html`<tr>
        <td colspan="9">${t('forms.06.none')}</td>
      </tr>`}
      ${items.map(
        (x, i) => html`<tr key=${x.code} data-code=${x.code} data-state=${x.state}>
          <td class="num">${i + 1}</td>
          <th scope="row"><${Link} href=${dossierHref(x.code)}><span class="nowrap">${x.code}</span><//></th>
          <td>${names.get(x.procedure_id) || `#${x.procedure_id}`}</td>
          <td>
            <span class="logbook-name">${x.applicant.name}</span>
            ${x.applicant.address && html`<br />${x.applicant.address}`}
            <br />${x.applicant.phone}
          </td>
          <td>${shortTime(t, localOf(x.received_at))}</td>
          <td>${shortTime(t, x.appointment_local)}</td>
          <td>${shortTime(t, localOf(x.result_at))}</td>
          <td>${x.state === 'returned' ? shortTime(t, localOf(x.finished_at)) : ''}</td>
          <td data-col="note">${logbookNote(t, x)}</td>
        </tr>`,
      )}
    <//>
  </section>`;
}
