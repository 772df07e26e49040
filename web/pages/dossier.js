// The dossier page (/dossiers/CODE, GET /api/v1/dossiers/CODE): the summary (with the step
// in hand's due time), the applicant, the internal process, the tracking slip's timeline
// (Form 05, each hand-over with its step's due time and lateness as the server recorded
// them), the links to the printable forms that apply (slips.js) and the moves the caller
// may make (POST /api/v1/dossiers/CODE/actions with the version shown).

import { html, useState } from '../lib.js';
import { useApp } from '../context.js';
import { post } from '../api.js';
import { Link } from '../router.js';
import {
  PageTitle,
  ErrorBox,
  FocusNotice,
  Loading,
  Field,
  TextAreaField,
  errorsFor,
  useAction,
  useForm,
  LoadFailed,
  FormActions,
} from '../components.js';
import { FormLinks } from '../slips.js';
import {
  FINISHED,
  actionsFor,
  atDesk,
  atStep,
  useDossier,
  whenText,
  instantText,
  stateText,
  StateBadge,
  isStale,
  actionProblemText,
  wasReceived,
  useUnits,
  unitIdsOf,
  stepCodes,
  unitText,
  stepTimeliness,
  currentStepLate,
} from '../kits/dossiers.js';
import { stepUnitText, StepUnit, useSteps } from '../kits/procedures.js';

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
  const initial = { reason: '', appointment: toInput(d.appointment_local) };
  const { values, bind, busy, err, submit } = useForm(initial, async () => {
    const body = { action: action.name, version: d.version };
    if (values.reason.trim()) body.reason = values.reason.trim();
    if (action.appointment) body.appointment = fromInput(values.appointment);
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
        rows="3"
        required=${action.reason === 'required'}
        ...${bind('reason')}
        error=${reasonErrors(t, err)}
      />
      ${action.appointment &&
      html`<${Field}
        label=${t('dossier.new_appointment')}
        type="datetime-local"
        hint=${t('dossier.new_appointment_hint', { time: whenText(t, d.appointment_local) })}
        required
        ...${bind('appointment')}
      />`}
      <${FormActions} busy=${busy} label=${t(`dossier.submit.${action.name}`)} />
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
    return html`<${LoadFailed} title=${t('dossier.page_title', { code })} err=${err} notFound=${t('dossier.not_found')}>
      <${Link} href="/worklist">${t('worklist.title')}<//>
    <//>`;
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
