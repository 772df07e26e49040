// The one-stop desk (/desk, clerks): pick a procedure (GET /api/v1/procedures, .../ID for its
// steps), tick the papers received, the applicant and the channel, and what comes of the
// intake (POST /api/v1/dossiers 'outcome'): received, it shows the receipt and appointment
// slip (Form 01 of Circular 01/2018/TT-VPCP) with a QR code of the public lookup link,
// printable on A5; returned for completion or refused (a reason required), the slip of
// Form 02 or 03 (slips.js). A link opens the desk's log book (Form 06).

import { html, useState, useEffect } from '../lib.js';
import { useApp } from '../context.js';
import { post } from '../api.js';
import { Link, navigate } from '../router.js';
import {
  PageTitle,
  ErrorBox,
  FocusNotice,
  Loading,
  Field,
  SelectField,
  TextAreaField,
  errorsFor,
  formProblemText,
  useForm,
  useLoaded,
  FormActions,
} from '../components.js';
import { ProcedurePicker } from '../pickers.js';
import { Slip, GuideSlip, RefusalSlip, formHref, logbookHref } from '../slips.js';
import { today } from '../i18n.js';
import { CHANNELS, OUTCOMES, dossierHref } from '../kits/dossiers.js';
import {
  allowanceText,
  feeText,
  papersOf,
  StepUnit,
  fieldText,
  levelText,
  procedureOf,
} from '../kits/procedures.js';

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
  const [ticked, setTicked] = useState([]);
  const [outcome, setOutcome] = useState('receive');
  const [reasons, setReasons] = useState(EMPTY_REASONS);
  const [receipt, setReceipt] = useState(null);
  const [turned, setTurned] = useState(null);

  // the chosen procedure's version with its steps; a new choice clears the papers ticked
  const [detail, detailErr] = useLoaded(() => proc && procedureOf(proc.id), [proc && proc.id]);
  useEffect(() => setTicked([]), [proc && proc.id]);

  const tick = (i, on) =>
    setTicked((xs) => (on ? [...xs.filter((x) => x !== i), i].sort((a, b) => a - b) : xs.filter((x) => x !== i)));

  const { values: form, setValues, bind, busy, err, submit } = useForm(EMPTY_APPLICANT, async () => {
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
    setValues(EMPTY_APPLICANT);
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
          clearable
          error=${errorsFor(t, err, 'procedure_code')}
        />
        <${ErrorBox} err=${detailErr} />
        ${proc && !detail && !detailErr && html`<${Loading} />`}
        ${detail && html`<${ProcedureCard} p=${detail} ticked=${ticked} onTick=${tick} />`}
      </section>
      <section class="panel" aria-labelledby="desk-applicant-h">
        <h2 id="desk-applicant-h">${t('desk.step_applicant')}</h2>
        <div class="form">
          <${Field} label=${t('desk.applicant_name')} autocomplete="off" required ...${bind('applicant_name')} />
          <${Field}
            label=${t('desk.applicant_phone')}
            type="tel"
            inputmode="tel"
            autocomplete="off"
            required
            ...${bind('applicant_phone')}
          />
          <${Field} label=${t('desk.applicant_address')} autocomplete="off" ...${bind('applicant_address')} />
          <${SelectField} label=${t('desk.channel')} options=${channelOptions} ...${bind('channel')} />
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
      <${FormActions}
        busy=${busy}
        label=${outcome === 'receive' ? t('desk.receive') : t(`desk.submit.${outcome}`)}
      />
    </form>
  </div>`;
}
