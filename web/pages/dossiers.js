// One-stop dossiers (ho so mot cua), the staff's screens:
//  - the desk (/desk, clerks): pick a procedure (GET /api/v1/procedures, .../ID for its
//    steps), tick the papers received, the applicant and the channel, and what comes of the
//    intake (POST /api/v1/dossiers 'outcome'): received, it shows the receipt and
//    appointment slip (Form 01 of Circular 01/2018/TT-VPCP) with a QR code of the public
//    lookup link, printable on A5; returned for completion or refused (a reason required),
//    the slip of Form 02 or 03 (forms.js). A link opens the desk's log book (Form 06);
//  - the worklist (/worklist): the dossiers whose current step the caller's unit holds
//    (GET /api/v1/dossiers/worklist), the overdue first, each with the working time left
//    as the server counts it, and a box that opens a dossier by its code;
//  - the dossier page (/dossiers/CODE, GET /api/v1/dossiers/CODE): the summary (with the
//    step in hand's due time), the internal process, the tracking slip's timeline (Form 05,
//    each hand-over with its step's due time and lateness as the server recorded them), the
//    links to the printable forms that apply (pages/forms.js) and the moves the caller may
//    make (POST /api/v1/dossiers/CODE/actions with the version shown).

import { html, useState, useEffect, useRef } from '../lib.js';
import { useApp } from '../context.js';
import { get, post } from '../api.js';
import { Link, navigate } from '../router.js';
import {
  PageTitle,
  ErrorBox,
  Loading,
  Field,
  SelectField,
  TextAreaField,
  errorsFor,
  problemText,
  formProblemText,
  useAction,
} from '../components.js';
import { ProcedurePicker } from '../pickers.js';
import { QrCode } from '../qr.js';
import { GuideSlip, RefusalSlip } from '../forms.js';
import { FormLinks } from './forms.js';
import { today } from '../i18n.js';
import {
  CHANNELS,
  OUTCOMES,
  FINISHED,
  actionsFor,
  atDesk,
  atStep,
  dossierHref,
  useDossier,
  lookupUrl,
  localOf,
  whenText,
  instantText,
  slipTime,
  allowanceText,
  feeText,
  papersOf,
  stepUnitText,
  StepUnit,
  fieldText,
  levelText,
  stateText,
  StateBadge,
  isStale,
  actionProblemText,
  formHref,
  logbookHref,
  wasReceived,
  procedureOf,
  useSteps,
  useUnits,
  unitIdsOf,
  stepCodes,
  unitText,
  stepTimeliness,
  currentStepLate,
} from '../dossierkit.js';

/** A notice (role=status) that takes focus when it appears, so keyboard users land on it. */
function FocusNotice({ text }) {
  const ref = useRef(null);
  useEffect(() => {
    if (text && ref.current) ref.current.focus();
  }, [text]);
  if (!text) return null;
  return html`<div class="alert alert-ok" role="status" tabindex="-1" ref=${ref}>${text}</div>`;
}

// ---- the desk ----

/** The chosen procedure: its facts, its internal process and the papers as a checklist. */
function ProcedureCard({ p, ticked, onTick }) {
  const { t } = useApp();
  const papers = papersOf(p);
  return html`<div class="procedure-card">
    <h3 class="procedure-name">${p.name}</h3>
    <dl class="facts">
      <dt>${t('procedure.code')}</dt>
      <dd><span class="code">${p.code}</span></dd>
      <dt>${t('procedure.field_label')}</dt>
      <dd>${fieldText(t, p.field)}</dd>
      <dt>${t('procedure.level_label')}</dt>
      <dd>${levelText(t, p.level)}</dd>
      <dt>${t('procedure.time')}</dt>
      <dd data-fact="time">${allowanceText(t, p)}</dd>
      <dt>${t('procedure.fee')}</dt>
      <dd data-fact="fee">${feeText(t, p.fee)}</dd>
      <dt>${t('procedure.online')}</dt>
      <dd>${t(`procedure.online_${p.online === 'full' || p.online === 'partial' ? p.online : 'none'}`)}</dd>
    </dl>
    ${p.steps &&
    p.steps.length > 0 &&
    html`<details class="procedure-steps">
      <summary>${t('procedure.steps', { n: p.steps.length })}</summary>
      <ol>
        ${p.steps.map(
          (s, i) => html`<li key=${i}>
            ${s.name} — <${StepUnit} unit=${s.unit} />
          </li>`,
        )}
      </ol>
    </details>`}
    ${papers.length > 0 &&
    html`<fieldset class="field papers">
      <legend>${t('desk.papers')}</legend>
      <p class="hint">${t('desk.papers_hint', { n: ticked.length, total: papers.length })}</p>
      <ul class="paper-list">
        ${papers.map(
          (paper, i) => html`<li key=${i} class="field-check">
            <input
              type="checkbox"
              id=${`paper-${i}`}
              checked=${ticked.includes(i)}
              onChange=${(e) => onTick(i, e.currentTarget.checked)}
            />
            <label for=${`paper-${i}`}>${paper}</label>
          </li>`,
        )}
      </ul>
    </fieldset>`}
  </div>`;
}

/**
 * The receipt and appointment slip (Form 01, Circular 01/2018/TT-VPCP), laid out as the form
 * and printed alone on A5 (see the print rules of style.css); the QR code holds the public
 * lookup link with the slip's secret.
 */
function Slip({ receipt }) {
  const { t, me } = useApp();
  const { dossier: d, papers, procedure: p } = receipt;
  const url = lookupUrl(d.code, d.secret);
  const receivedLocal = localOf(d.received_at);
  const desk = (me.unit && me.unit.name) || t('procedure.unit.desk');
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(receivedLocal) || [];
  return html`<section class="slip" aria-labelledby="slip-h" data-code=${d.code}>
    <div class="slip-head">
      <div class="slip-agency">
        <p class="slip-unit">${desk}</p>
        <p class="slip-desk">${t('slip.desk')}</p>
      </div>
      <div class="slip-nation">
        <p class="slip-country">${t('slip.country')}</p>
        <p class="slip-motto">${t('slip.motto')}</p>
        <p class="slip-date">${t('slip.date', { day: m[3] || '', month: m[2] || '', year: m[1] || '' })}</p>
      </div>
    </div>
    <p class="slip-code">${t('slip.code')}: <strong class="slip-code-value">${d.code}</strong></p>
    <h2 id="slip-h" class="slip-title">${t('slip.title')}</h2>
    <p>${t('slip.received_from', { desk })}</p>
    <dl class="slip-facts">
      <dt>${t('slip.applicant')}</dt>
      <dd>${d.applicant.name}</dd>
      <dt>${t('slip.address')}</dt>
      <dd>${d.applicant.address || '…'}</dd>
      <dt>${t('slip.phone')}</dt>
      <dd>${d.applicant.phone}</dd>
      <dt>${t('slip.request')}</dt>
      <dd>${d.procedure.name} (<span class="slip-proc-code">${d.procedure.code}</span>)</dd>
    </dl>
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
      <div>
        <p class="slip-sign-title">${t('slip.applicant_sign')}</p>
        <p class="slip-sign-hint">${t('slip.sign_hint')}</p>
        <p class="slip-sign-name">${d.applicant.name}</p>
      </div>
      <div>
        <p class="slip-sign-title">${t('slip.clerk_sign')}</p>
        <p class="slip-sign-hint">${t('slip.sign_hint')}</p>
        <p class="slip-sign-name">${me.full_name}</p>
      </div>
    </div>
  </section>`;
}

const EMPTY_APPLICANT = { applicant_name: '', applicant_phone: '', applicant_address: '', channel: 'desk' };
const EMPTY_REASONS = { guide: '', refuse: '' };

/** The reason's errors at the desk; "required" in the words of the outcome chosen. */
function deskReasonErrors(t, err, outcome) {
  if (!err || !err.fields || !err.fields.reason) return [];
  return err.fields.reason.map((e) =>
    e.code === 'required' || e.code === 'too_long'
      ? t(`desk.reason_${e.code}.${outcome}`)
      : errorsFor(t, { fields: { reason: [e] } }, 'reason')[0],
  );
}

/**
 * What comes of the intake: received (Form 01), returned for completion with the papers to
 * add or complete (Form 02), or refused with the reason (Form 03). The reasons typed are kept
 * per outcome, so switching back and forth loses nothing.
 */
function OutcomeChoice({ outcome, onOutcome, reasons, onReason, missing, err }) {
  const { t } = useApp();
  const reasonError = deskReasonErrors(t, err, outcome);
  const addMissing = () => {
    const have = reasons.guide.trim();
    onReason('guide', [have, ...missing].filter(Boolean).join('\n'));
  };
  return html`<fieldset class="field outcome-choice">
      <legend>${t('desk.outcome')}</legend>
      ${OUTCOMES.map(
        (o) => html`<div class="field-check" key=${o}>
          <input
            type="radio"
            id=${`outcome-${o}`}
            name="outcome"
            value=${o}
            checked=${outcome === o}
            onChange=${() => onOutcome(o)}
          />
          <label for=${`outcome-${o}`}>${t(`desk.outcome.${o}`)}</label>
        </div>`,
      )}
      ${errorsFor(t, err, 'outcome').map((m, i) => html`<p class="field-error" key=${i}>${m}</p>`)}
    </fieldset>
    ${outcome !== 'receive' &&
    html`<div class="outcome-reason" data-outcome=${outcome}>
      <${TextAreaField}
        key=${outcome}
        label=${t(`desk.reason.${outcome}`)}
        hint=${t(`desk.reason_hint.${outcome}`)}
        name="reason"
        rows="5"
        maxlength="4000"
        required
        value=${reasons[outcome]}
        onInput=${(v) => onReason(outcome, v)}
        error=${reasonError}
      />
      ${outcome === 'guide' &&
      missing.length > 0 &&
      html`<div class="actions">
        <button type="button" onClick=${addMissing}>${t('desk.add_missing', { n: missing.length })}</button>
      </div>`}
    </div>`}`;
}

/** After a dossier is returned for completion or refused: its slip (Form 02 or 03) to print. */
function TurnedAway({ done, onAgain }) {
  const { t, me } = useApp();
  const { dossier: d, reason } = done;
  const guided = d.state === 'incomplete';
  const form = guided ? '02' : '03';
  const desk = (me.unit && me.unit.name) || t('procedure.unit.desk');
  return html`<div class="desk-page">
    <div class="no-print">
      <${PageTitle} title=${t('desk.title')}>${t('desk.title')}<//>
      <${FocusNotice} text=${t(guided ? 'desk.guided' : 'desk.refused', { code: d.code })} />
      <div class="actions slip-actions">
        <button type="button" class="primary" onClick=${() => window.print()}>${t(`desk.print_${form}`)}</button>
        <${Link} class="button" href=${formHref(d.code, form)}>${t('desk.open_form', { form })}<//>
        <${Link} class="button" href=${dossierHref(d.code)}>${t('desk.open_dossier')}<//>
        <button type="button" onClick=${onAgain}>${t('desk.another')}</button>
      </div>
    </div>
    ${guided
      ? html`<${GuideSlip} d=${d} reason=${reason} agency=${desk} clerk=${me.full_name} />`
      : html`<${RefusalSlip} d=${d} reason=${reason} agency=${desk} by=${desk} clerk=${me.full_name} />`}
  </div>`;
}

export function DeskPage() {
  const { t } = useApp();
  const [proc, setProc] = useState(null);
  const [detail, setDetail] = useState(null);
  const [detailErr, setDetailErr] = useState(null);
  const [ticked, setTicked] = useState([]);
  const [form, setForm] = useState(EMPTY_APPLICANT);
  const [outcome, setOutcome] = useState('receive');
  const [reasons, setReasons] = useState(EMPTY_REASONS);
  const [receipt, setReceipt] = useState(null);
  const [turned, setTurned] = useState(null);
  const set = (k) => (v) => setForm((x) => ({ ...x, [k]: v }));

  useEffect(() => {
    let live = true;
    setDetail(null);
    setDetailErr(null);
    setTicked([]);
    if (!proc) return undefined;
    procedureOf(proc.id)
      .then((p) => live && setDetail(p))
      .catch((e) => live && setDetailErr(e));
    return () => {
      live = false;
    };
  }, [proc && proc.id]);

  const tick = (i, on) =>
    setTicked((xs) => (on ? [...xs.filter((x) => x !== i), i].sort((a, b) => a - b) : xs.filter((x) => x !== i)));

  const { busy, err, submit } = useAction(async () => {
    const body = {
      procedure_code: proc ? proc.code : '',
      applicant_name: form.applicant_name.trim(),
      applicant_phone: form.applicant_phone.trim(),
      channel: form.channel,
    };
    if (form.applicant_address.trim()) body.applicant_address = form.applicant_address.trim();
    if (outcome !== 'receive') {
      body.outcome = outcome;
      body.reason = reasons[outcome].trim();
    }
    const d = await post('/dossiers', body);
    if (outcome !== 'receive') {
      setTurned({ dossier: d, reason: body.reason });
      return;
    }
    const p = detail || proc;
    setReceipt({ dossier: d, procedure: p, papers: papersOf(p).filter((_, i) => ticked.includes(i)) });
  });

  const again = () => {
    setReceipt(null);
    setTurned(null);
    setProc(null);
    setForm(EMPTY_APPLICANT);
    setOutcome('receive');
    setReasons(EMPTY_REASONS);
    navigate('/desk', { replace: true });
  };

  if (turned) return html`<${TurnedAway} done=${turned} onAgain=${again} />`;

  if (receipt) {
    const d = receipt.dossier;
    return html`<div class="desk-page">
      <div class="no-print">
        <${PageTitle} title=${t('desk.title')}>${t('desk.title')}<//>
        <${FocusNotice} text=${t('desk.received', { code: d.code })} />
        <p class="hint">${t('desk.secret_once')}</p>
        <div class="actions slip-actions">
          <button type="button" class="primary" onClick=${() => window.print()}>${t('desk.print')}</button>
          <${Link} class="button" href=${dossierHref(d.code)}>${t('desk.open_dossier')}<//>
          <button type="button" onClick=${again}>${t('desk.another')}</button>
        </div>
      </div>
      <${Slip} receipt=${receipt} />
    </div>`;
  }

  const day = today();
  const missing = detail ? papersOf(detail).filter((_, i) => !ticked.includes(i)) : [];
  const channelOptions = CHANNELS.map((c) => ({ value: c, label: t(`dossier.channel.${c}`) }));
  return html`<div class="desk-page">
    <${PageTitle} title=${t('desk.title')}>${t('desk.title')}<//>
    <p class="lead">${t('desk.intro')}</p>
    <p class="desk-links">
      <${Link} href=${logbookHref(`${day}..${day}`)}>${t('desk.logbook')}<//>
    </p>
    <${ErrorBox} err=${err} text=${err ? formProblemText(t, err) : ''} />
    <form class="form desk-form" onSubmit=${submit} novalidate>
      <section class="panel" aria-labelledby="desk-proc-h">
        <h2 id="desk-proc-h">${t('desk.step_procedure')}</h2>
        <${ProcedurePicker}
          value=${proc}
          onChange=${setProc}
          onClear=${() => setProc(null)}
          error=${errorsFor(t, err, 'procedure_code')}
        />
        <${ErrorBox} err=${detailErr} />
        ${proc && !detail && !detailErr && html`<${Loading} />`}
        ${detail && html`<${ProcedureCard} p=${detail} ticked=${ticked} onTick=${tick} />`}
      </section>
      <section class="panel" aria-labelledby="desk-applicant-h">
        <h2 id="desk-applicant-h">${t('desk.step_applicant')}</h2>
        <div class="form">
          <${Field}
            label=${t('desk.applicant_name')}
            name="applicant_name"
            autocomplete="off"
            required
            value=${form.applicant_name}
            onInput=${set('applicant_name')}
            error=${errorsFor(t, err, 'applicant_name')}
          />
          <${Field}
            label=${t('desk.applicant_phone')}
            name="applicant_phone"
            type="tel"
            inputmode="tel"
            autocomplete="off"
            required
            value=${form.applicant_phone}
            onInput=${set('applicant_phone')}
            error=${errorsFor(t, err, 'applicant_phone')}
          />
          <${Field}
            label=${t('desk.applicant_address')}
            name="applicant_address"
            autocomplete="off"
            value=${form.applicant_address}
            onInput=${set('applicant_address')}
            error=${errorsFor(t, err, 'applicant_address')}
          />
          <${SelectField}
            label=${t('desk.channel')}
            name="channel"
            value=${form.channel}
            onInput=${set('channel')}
            options=${channelOptions}
            error=${errorsFor(t, err, 'channel')}
          />
        </div>
      </section>
      <section class="panel" aria-labelledby="desk-outcome-h">
        <h2 id="desk-outcome-h">${t('desk.step_outcome')}</h2>
        <div class="form">
          <${OutcomeChoice}
            outcome=${outcome}
            onOutcome=${setOutcome}
            reasons=${reasons}
            onReason=${(o, v) => setReasons((x) => ({ ...x, [o]: v }))}
            missing=${missing}
            err=${err}
          />
        </div>
      </section>
      <div class="actions">
        <button type="submit" class="primary" disabled=${busy}>
          ${outcome === 'receive' ? t('desk.receive') : t(`desk.submit.${outcome}`)}
        </button>
      </div>
    </form>
  </div>`;
}

// ---- the worklist ----

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
  const [page, setPage] = useState(null);
  const [err, setErr] = useState(null);

  useEffect(() => {
    let live = true;
    get('/dossiers/worklist', { limit: 500 })
      .then((p) => live && setPage(p))
      .catch((e) => live && setErr(e));
    return () => {
      live = false;
    };
  }, []);

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
          <div class="table-wrap">
            <table class="worklist">
              <caption class="sr-only">${t('worklist.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">${t('dossier.code')}</th>
                  <th scope="col">${t('dossier.state_label')}</th>
                  <th scope="col">${t('dossier.step')}</th>
                  <th scope="col">${t('dossier.due')}</th>
                  <th scope="col">${t('worklist.time_left')}</th>
                </tr>
              </thead>
              <tbody>
                ${items.map(
                  (x) => html`<tr key=${x.code} class=${x.overdue ? 'overdue' : undefined} data-code=${x.code}>
                    <td><${Link} href=${dossierHref(x.code)}><span class="nowrap">${x.code}</span><//></td>
                    <td><${StateBadge} state=${x.state} overdue=${x.overdue} /></td>
                    <td class="nowrap">${x.step >= 0 ? t('dossier.step_n', { n: x.step + 1 }) : '—'}</td>
                    <td>${whenText(t, x.due_local)}</td>
                    <td data-col="left">${workingLeftText(t, x.working_minutes_left)}</td>
                  </tr>`,
                )}
              </tbody>
            </table>
          </div>`)}
  </div>`;
}

// ---- the dossier page ----

/** A hand-over's step due time and how the step met it, as the server recorded them. */
function StepDue({ e }) {
  const { t } = useApp();
  const result = stepTimeliness(e);
  const label = t('dossier.event_step_due', { n: e.step + 1 });
  const when = whenText(t, e.step_due_local);
  const met = t(`dossier.timeliness.${result}`);
  return html`<p class="timeline-due" data-step-due=${result}>${label} <time datetime=${e.step_due_at}>${when}</time> (${met})</p>`;
}

/** The tracking slip (Form 05): each receipt, hand-over and other move, in order. */
function Timeline({ d, steps, unitOf }) {
  const { t } = useApp();
  const events = d.events || [];
  return html`<section class="panel timeline-panel" aria-labelledby="dossier-timeline-h">
    <h2 id="dossier-timeline-h">${t('dossier.timeline')}</h2>
    ${events.length === 0
      ? html`<p>${t('dossier.no_events')}</p>`
      : html`<ol class="timeline dossier-timeline">
          ${events.map(
            (e, i) => html`<li key=${i} data-action=${e.action}>
              <p class="timeline-head">
                <time datetime=${e.at}>${instantText(t, e.at)}</time>
                <span>${t(`dossier.event.${e.action}`)}</span>
              </p>
              ${e.action === 'hand_over' &&
              steps &&
              e.step + 1 < steps.length &&
              html`<p class="timeline-steps">
                ${t('dossier.event_steps', { from: e.step + 1, to: e.step + 2, name: steps[e.step + 1].name })}
              </p>`}
              <p class="timeline-units">
                ${e.from_unit_id
                  ? e.to_unit_id && e.to_unit_id !== e.from_unit_id
                    ? t('dossier.event_from_to', { from: unitOf(e.from_unit_id), to: unitOf(e.to_unit_id) })
                    : t('dossier.event_at', { unit: unitOf(e.from_unit_id) })
                  : e.to_unit_id
                    ? t('dossier.event_at', { unit: unitOf(e.to_unit_id) })
                    : ''}
              </p>
              ${e.action === 'hand_over' && e.step_due_local && html`<${StepDue} e=${e} />`}
              ${e.from_state !== e.to_state &&
              e.from_state !== 'new' &&
              html`<p class="timeline-state">
                ${t('dossier.event_state', { from: stateText(t, e.from_state), to: stateText(t, e.to_state) })}
              </p>`}
              ${e.reason && html`<p class="timeline-note">${t('dossier.event_reason', { reason: e.reason })}</p>`}
            </li>`,
          )}
        </ol>`}
  </section>`;
}

/** The internal process with the current step marked. */
function Process({ d, steps }) {
  const { t } = useApp();
  if (!steps || !steps.length) return null;
  const current = d.step ? d.step.index : -1;
  return html`<section class="panel" aria-labelledby="dossier-process-h">
    <h2 id="dossier-process-h">${t('dossier.process')}</h2>
    <ol class="process">
      ${steps.map(
        (s, i) => html`<li key=${i} class=${i === current ? 'current' : undefined} aria-current=${i === current ? 'step' : undefined}>
          ${s.name} — <${StepUnit} unit=${s.unit} />
          ${i === current && html` <strong class="here">${t('dossier.here')}</strong>`}
        </li>`,
      )}
    </ol>
  </section>`;
}

/** A refused action's message, with "reload" when the dossier moved or is not ours to move. */
function ActionError({ err, onReload }) {
  const { t } = useApp();
  if (!err) return null;
  const reload = err.status === 409 || err.status === 403;
  return html`<div class="alert alert-error action-error" role="alert">
    <p>${actionProblemText(t, err)}</p>
    ${reload &&
    html`<button type="button" onClick=${onReload}>${isStale(err) ? t('dossier.reload_stale') : t('dossier.reload')}</button>`}
  </div>`;
}

/** The reason's errors; "required" in the words of a move (the catalog's is a task's). */
function reasonErrors(t, err) {
  if (!err || !err.fields || !err.fields.reason) return [];
  return err.fields.reason.map((e) =>
    e.code === 'required' ? t('dossier.reason_required') : errorsFor(t, { fields: { reason: [e] } }, 'reason')[0],
  );
}

/** "YYYY-MM-DDTHH:MM" of a datetime-local input from the API's "YYYY-MM-DD HH:MM". */
const toInput = (local) => (local || '').replace(' ', 'T');
const fromInput = (v) => (v || '').replace('T', ' ').slice(0, 16);

/** One move that takes a reason (and, for an apology, a new appointment). */
function ReasonForm({ d, action, onDone, onReload }) {
  const { t } = useApp();
  const [reason, setReason] = useState('');
  const [appointment, setAppointment] = useState(toInput(d.appointment_local));
  const { busy, err, submit } = useAction(async () => {
    const body = { action: action.name, version: d.version };
    if (reason.trim()) body.reason = reason.trim();
    if (action.appointment) body.appointment = fromInput(appointment);
    await post(`/dossiers/${encodeURIComponent(d.code)}/actions`, body);
    onDone(action.name);
  });
  return html`<details class="action-form" data-action=${action.name}>
    <summary>${t(`dossier.action.${action.name}`)}</summary>
    <p class="hint">${t(`dossier.action_hint.${action.name}`)}</p>
    <${ActionError} err=${err} onReload=${onReload} />
    <form class="form" onSubmit=${submit} novalidate>
      <${TextAreaField}
        label=${action.reason === 'required' ? t('dossier.reason') : t('dossier.reason_optional')}
        name="reason"
        rows="3"
        required=${action.reason === 'required'}
        value=${reason}
        onInput=${setReason}
        error=${reasonErrors(t, err)}
      />
      ${action.appointment &&
      html`<${Field}
        label=${t('dossier.new_appointment')}
        name="appointment"
        type="datetime-local"
        hint=${t('dossier.new_appointment_hint', { time: whenText(t, d.appointment_local) })}
        required
        value=${appointment}
        onInput=${setAppointment}
        error=${errorsFor(t, err, 'appointment')}
      />`}
      <div class="actions">
        <button type="submit" class="primary" disabled=${busy}>${t(`dossier.submit.${action.name}`)}</button>
      </div>
    </form>
  </details>`;
}

function Actions({ d, steps, onDone, onReload }) {
  const { t, me } = useApp();
  const actions = actionsFor(d, me);
  const { busy, err, run } = useAction(async (name) => {
    await post(`/dossiers/${encodeURIComponent(d.code)}/actions`, { action: name, version: d.version });
    onDone(name);
  });
  const finished = FINISHED.includes(d.state);
  let body;
  if (finished) {
    body = html`<p>${t('dossier.finished')}</p>`;
  } else if (!actions.length) {
    body = html`<p>${atDesk(d, me) || atStep(d, me) ? t('dossier.nothing_now') : t('dossier.not_holder')}</p>`;
  } else {
    const quick = actions.filter((a) => !a.reason);
    const reasoned = actions.filter((a) => a.reason);
    const next = d.step && steps ? steps[d.step.index + 1] : null;
    const label = (a) => {
      if (a.name !== 'hand_over' || !steps || !d.step) return t(`dossier.action.${a.name}`);
      return next
        ? t('dossier.hand_over_to', { step: next.name, unit: stepUnitText(t, next.unit) })
        : t('dossier.hand_over_result');
    };
    body = html`
      ${quick.length > 0 &&
      html`<div class="quick-actions">
        <${ActionError} err=${err} onReload=${onReload} />
        <div class="actions">
          ${quick.map(
            (a) => html`<button
              type="button"
              class="primary"
              data-action=${a.name}
              disabled=${busy}
              onClick=${() => run(a.name)}
            >
              ${label(a)}
            </button>`,
          )}
        </div>
      </div>`}
      ${reasoned.map(
        (a) => html`<${ReasonForm} key=${a.name} d=${d} action=${a} onDone=${onDone} onReload=${onReload} />`,
      )}
    `;
  }
  return html`<section class="panel dossier-actions" aria-labelledby="dossier-actions-h">
    <h2 id="dossier-actions-h">${t('dossier.actions')}</h2>
    ${!finished && html`<p class="hint">${t('dossier.version_hint', { version: d.version })}</p>`}
    ${body}
  </section>`;
}

export function DossierPage({ params }) {
  const { t } = useApp();
  const code = params.code;
  const [notice, setNotice] = useState('');
  const [tick, setTick] = useState(0);
  const [d, err] = useDossier(code, tick);

  // undefined while loading, null when the procedure cannot be read
  const steps = useSteps(d);
  const units = useUnits(unitIdsOf(d));

  const reload = () => {
    setNotice('');
    setTick((n) => n + 1);
  };
  const done = (action) => {
    setNotice(t(`dossier.done.${action}`));
    setTick((n) => n + 1);
  };

  if (err && !d) {
    return html`<div>
      <${PageTitle} title=${t('dossier.page_title', { code })}>${t('dossier.page_title', { code })}<//>
      <p class="alert alert-error" role="alert">
        ${err.status === 404 ? t('dossier.not_found') : problemText(t, err)}
      </p>
      <p><${Link} href="/worklist">${t('worklist.title')}<//></p>
    </div>`;
  }
  if (!d) return html`<${Loading} />`;

  const codes = stepCodes(d, steps);
  const unitOf = (id) => unitText(t, id, d, units, codes);
  const overdue = d.state === 'processing' && d.due_at && new Date(d.due_at) < new Date();
  const received = wasReceived(d);
  const stepLine = d.step
    ? t('dossier.step_line', {
        n: d.step.index + 1,
        total: steps ? steps.length : '?',
        name: d.step.name,
        unit: unitOf(d.step.unit_id),
      })
    : '—';
  return html`<div class="dossier-page" data-version=${d.version} data-state=${d.state}>
    <p class="breadcrumb"><${Link} href="/worklist">${t('worklist.title')}<//></p>
    <${PageTitle} title=${t('dossier.page_title', { code: d.code })}>${t('dossier.page_title', { code: d.code })}<//>
    <${FocusNotice} text=${notice} />
    <${ErrorBox} err=${err} />
    <div class="status-line">
      <p>${t('dossier.state_label')}: <${StateBadge} state=${d.state} overdue=${overdue} /></p>
    </div>
    <div class="columns">
      <section class="panel" aria-labelledby="dossier-facts-h">
        <h2 id="dossier-facts-h">${t('dossier.facts')}</h2>
        <dl class="facts">
          <dt>${t('dossier.procedure')}</dt>
          <dd>${d.procedure.name} <span class="code">${d.procedure.code}</span></dd>
          ${received
            ? html`<dt>${t('dossier.current_step')}</dt>
                <dd data-fact="step">${stepLine}</dd>
                ${d.step_due_local &&
                html`<dt>${t('dossier.step_due')}</dt>
                  <dd data-fact="step_due">
                    <time datetime=${d.step_due_at}>${whenText(t, d.step_due_local)}</time>
                    ${currentStepLate(d) && html` <span class="overdue-mark">${t('dossier.overdue')}</span>`}
                  </dd>`}
                <dt>${t('dossier.received')}</dt>
                <dd>${instantText(t, d.received_at)}</dd>
                <dt>${t('dossier.due')}</dt>
                <dd data-fact="due">${whenText(t, d.due_local)}</dd>
                <dt>${t('dossier.appointment')}</dt>
                <dd>
                  ${whenText(t, d.appointment_local)}
                  ${d.apologies > 0 && html` <span class="hint">${t('dossier.apologies', { n: d.apologies })}</span>`}
                </dd>`
            : html`<dt>${t('dossier.taken')}</dt>
                <dd>${instantText(t, d.received_at)}</dd>
                <dt>${t('dossier.outcome')}</dt>
                <dd data-fact="outcome">${t(d.state === 'incomplete' ? 'dossier.outcome.guided' : 'dossier.outcome.refused')}</dd>`}
          ${d.result_at &&
          html`<dt>${t('dossier.result_at')}</dt>
            <dd>
              ${instantText(t, d.result_at)}
              ${d.timeliness && html` (${t(`dossier.timeliness.${d.timeliness}`)})`}
            </dd>`}
          ${d.finished_at &&
          html`<dt>${t('dossier.finished_at')}</dt>
            <dd>${instantText(t, d.finished_at)}</dd>`}
          <dt>${t('dossier.desk')}</dt>
          <dd>${unitOf(d.desk_unit_id)}</dd>
          <dt>${t('dossier.channel_label')}</dt>
          <dd>${t(`dossier.channel.${d.channel}`)}</dd>
        </dl>
      </section>
      <section class="panel" aria-labelledby="dossier-applicant-h">
        <h2 id="dossier-applicant-h">${t('dossier.applicant')}</h2>
        <dl class="facts">
          <dt>${t('desk.applicant_name')}</dt>
          <dd>${d.applicant.name}</dd>
          <dt>${t('slip.phone')}</dt>
          <dd>${d.applicant.phone}</dd>
          <dt>${t('slip.address')}</dt>
          <dd>${d.applicant.address || '—'}</dd>
        </dl>
      </section>
    </div>
    <${FormLinks} d=${d} />
    <${Actions} key=${d.version} d=${d} steps=${steps} onDone=${done} onReload=${reload} />
    <${Process} d=${d} steps=${steps} />
    <${Timeline} d=${d} steps=${steps} unitOf=${unitOf} />
  </div>`;
}
