// What the one-stop dossier screens share: the states and actions the API names
// (src/core/dossier.c), who may take each action (the desk that received the dossier, or
// the unit holding its current step), the desk's outcomes, the printable forms that apply
// to a dossier, the state badge, local times ("YYYY-MM-DD HH:MM" in the province's zone) in
// words, how a step stood against its due time (the server's), a procedure's time, fee and
// papers, the links, and the names of units and procedure versions (with their steps) as far
// as the caller may read them.

import { html, useState, useEffect } from './lib.js';
import { useApp } from './context.js';
import { get } from './api.js';
import { formatDate } from './i18n.js';
import { formProblemText } from './components.js';

const ZONE = 'Asia/Ho_Chi_Minh';
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/**
 * A dossier's states (rf_dossier_state_name): those of a received dossier, and 'incomplete'
 * for one returned for completion at the desk (Form 02), never received.
 */
export const STATES = [
  'processing',
  'supplement',
  'ready',
  'notified',
  'returned',
  'refused',
  'withdrawn',
  'stopped',
  'incomplete',
];
/** The states in which the dossier is finished. */
export const FINISHED = ['returned', 'refused', 'withdrawn', 'stopped', 'incomplete'];
export const CHANNELS = ['desk', 'online', 'post'];
/**
 * What comes of an intake at the desk (POST /dossiers 'outcome'): received (Form 01),
 * returned for completion (Form 02) or refused (Form 03); the last two need a reason.
 */
export const OUTCOMES = ['receive', 'guide', 'refuse'];

/**
 * The moves of Decree 61/2018 arts. 19-21 as the API allows them after receipt: from which
 * states, by whom ('desk': the desk that received it; 'step': the unit holding its step),
 * and whether a reason is required ('required'), may be given ('optional') or not asked.
 * In the order the dossier page offers them.
 */
export const ACTIONS = [
  { name: 'hand_over', states: ['processing'], who: 'step', reason: null },
  { name: 'supplied', states: ['supplement'], who: 'desk', reason: null },
  { name: 'notify', states: ['ready'], who: 'desk', reason: null },
  { name: 'return', states: ['ready', 'notified'], who: 'desk', reason: null },
  { name: 'ask', states: ['processing'], who: 'step', reason: 'required' },
  { name: 'apologise', states: ['processing'], who: 'step', reason: 'required', appointment: true },
  { name: 'refuse', states: ['processing', 'supplement'], who: 'step', reason: 'required' },
  { name: 'stop', states: ['processing', 'supplement'], who: 'step', reason: 'required' },
  { name: 'withdraw', states: ['processing', 'supplement'], who: 'desk', reason: 'optional' },
];

const hasRole = (me, roles) => !!me && Array.isArray(me.roles) && me.roles.some((r) => roles.includes(r));
const myUnit = (me) => (me && me.unit ? me.unit.id : 0);

/** Whether 'me' works at the desk that received dossier 'd'. */
export function atDesk(d, me) {
  return hasRole(me, ['clerk']) && !!d.desk_unit_id && myUnit(me) === d.desk_unit_id;
}

/** Whether 'me' works at the unit holding the current step of dossier 'd'. */
export function atStep(d, me) {
  return hasRole(me, ['officer', 'leader', 'clerk']) && !!d.step && myUnit(me) === d.step.unit_id;
}

/** The ACTIONS entries 'me' may take on dossier 'd' now. */
export function actionsFor(d, me) {
  const desk = atDesk(d, me);
  const step = atStep(d, me);
  return ACTIONS.filter((a) => a.states.includes(d.state) && (a.who === 'desk' ? desk : step));
}

export const dossierHref = (code) => `/dossiers/${encodeURIComponent(code)}`;

/** The page of a printable form (02, 03, 04, 05 of Circular 01/2018/TT-VPCP) of a dossier. */
export const formHref = (code, form) => `${dossierHref(code)}/forms/${form}`;

/** Whether dossier 'd' was received (it has a due time), not turned away at the desk. */
export const wasReceived = (d) => !!d && !!d.due_at;

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

/** A UTC instant (ISO 8601) as local "YYYY-MM-DD HH:MM" in the province's zone. */
export function localOf(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const parts = {};
  for (const p of new Intl.DateTimeFormat('en-CA', {
    timeZone: ZONE,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(d)) {
    parts[p.type] = p.value;
  }
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

/** A local "YYYY-MM-DD HH:MM" in words: the time, the weekday and the date. */
export function whenText(t, local) {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}:\d{2})$/.exec(local || '');
  if (!m) return local || '';
  const wd = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])).getUTCDay();
  return t('dossier.when', {
    time: m[4],
    weekday: t(`calendar.wd.${WEEKDAYS[wd]}`),
    date: formatDate(t, `${m[1]}-${m[2]}-${m[3]}`),
  });
}

/** A UTC instant in words, in the province's zone. */
export const instantText = (t, iso) => whenText(t, localOf(iso));

/** A local "YYYY-MM-DD HH:MM" as the parts the slip writes out (hour, minute, day...). */
export function slipTime(t, local) {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})$/.exec(local || '');
  if (!m) return local || '';
  return t('slip.time', { hour: m[4], minute: m[5], day: m[3], month: m[2], year: m[1] });
}

/**
 * How a hand-over event met its step's due time, as the server judges it (step_timeliness:
 * 'early', 'on_time' or 'late'); null when the event has no step due time.
 */
export function stepTimeliness(e) {
  return (e && e.step_timeliness) || null;
}

/** Whether the step in hand of dossier 'd' is past its due time (the server's step_due_at). */
export function currentStepLate(d, now = new Date()) {
  return !!d && d.state === 'processing' && !!d.step_due_at && new Date(d.step_due_at) < now;
}

/** A procedure's time allowed: working days, or working hours for same-day procedures. */
export function allowanceText(t, p) {
  if (p.days > 0) return t('procedure.days', { n: p.days });
  const hours = p.minutes / 60;
  return t('procedure.hours', {
    n: new Intl.NumberFormat(t.locale, { maximumFractionDigits: 2 }).format(hours),
  });
}

/** A fee in dong ("free" for 0). */
export function feeText(t, fee) {
  if (!fee) return t('procedure.free');
  return t('procedure.fee_vnd', { amount: new Intl.NumberFormat(t.locale).format(fee) });
}

/** A procedure's required papers as a list ('papers' separates them with " | "). */
export function papersOf(p) {
  return (p && p.papers ? p.papers.split('|') : []).map((s) => s.trim()).filter(Boolean);
}

const STEP_PLACES = ['desk', 'district', 'commune'];

/** The unit of a process step as the catalogue names it: the desk, a level, or a code. */
export function stepUnitText(t, unit) {
  return STEP_PLACES.includes(unit) ? t(`procedure.unit.${unit}`) : unit;
}

/** The same, marked up: a unit code in the code style, a place in words. */
export function StepUnit({ unit }) {
  const { t } = useApp();
  return STEP_PLACES.includes(unit)
    ? html`<span>${stepUnitText(t, unit)}</span>`
    : html`<span class="code">${unit}</span>`;
}

const FIELD_KEYS = [
  'civil_status',
  'certification',
  'land',
  'construction',
  'business',
  'justice',
  'labour_social',
  'transport',
  'education',
  'health',
  'other',
];
export const fieldText = (t, f) => (FIELD_KEYS.includes(f) ? t(`procedure.field.${f}`) : f);
export const levelText = (t, l) =>
  ['province', 'district', 'commune'].includes(l) ? t(`procedure.level.${l}`) : l;
export const stateText = (t, s) => (STATES.includes(s) ? t(`dossier.state.${s}`) : s);

/** The state of a dossier as a badge with its words; 'overdue' adds a marked "overdue". */
export function StateBadge({ state, overdue }) {
  const { t } = useApp();
  return html`<span class="dstate-line">
    <span class=${`dstate dstate-${state}`} data-state=${state}>${stateText(t, state)}</span>
    ${overdue && html` <span class="overdue-mark">${t('dossier.overdue')}</span>`}
  </span>`;
}

/** The codes of the problem's errors. */
function codesOf(err) {
  return ((err && err.problem && err.problem.errors) || []).map((e) => `${e.field || ''}.${e.code}`);
}

/** Whether a refused action's problem says the dossier moved since it was shown. */
export const isStale = (err) => !!err && err.status === 409 && codesOf(err).includes('version.stale');

/** The text above an action the server refused: who may act, what the state allows... */
export function actionProblemText(t, err) {
  if (!err) return '';
  const codes = codesOf(err);
  if (err.status === 409) {
    if (codes.includes('version.stale')) return t('dossier.err_stale');
    if (codes.includes('action.too_late')) return t('dossier.err_too_late');
    if (codes.includes('action.process')) return t('dossier.err_process');
    return t('dossier.err_state');
  }
  if (err.status === 403) return t('dossier.err_holder');
  if (err.status === 404) return t('dossier.not_found');
  return formProblemText(t, err);
}

// ---- unit names and procedures, as far as the caller may read them ----

/**
 * The names of the units a dossier passed through, as far as the caller may read them
 * (GET /api/v1/units/ID answers 404 outside one's scope): id → {code, name}.
 */
// The dossier 'code' as the API gives it to the caller: [dossier or null, error or null],
// read again whenever 'tick' moves (after an action).
export function useDossier(code, tick = 0) {
  const [d, setD] = useState(null);
  const [err, setErr] = useState(null);
  useEffect(() => {
    let live = true;
    setErr(null);
    get(`/dossiers/${encodeURIComponent(code)}`)
      .then((x) => live && setD(x))
      .catch((e) => live && setErr(e));
    return () => {
      live = false;
    };
  }, [code, tick]);
  return [d, err];
}

export function useUnits(ids) {
  const { me } = useApp();
  const [units, setUnits] = useState(() => new Map());
  const key = [...new Set(ids.filter(Boolean))].sort((a, b) => a - b).join(',');
  useEffect(() => {
    let live = true;
    const want = key ? key.split(',').map(Number) : [];
    const found = new Map();
    if (me && me.unit) found.set(me.unit.id, me.unit);
    Promise.all(
      want
        .filter((id) => !found.has(id))
        .map((id) =>
          get(`/units/${id}`)
            .then((u) => found.set(id, u))
            .catch(() => {}),
        ),
    ).then(() => live && setUnits(found));
    return () => {
      live = false;
    };
  }, [key]);
  return units;
}

/**
 * Unit ids paired with the codes of the process steps they held, for the units the caller
 * may not read: the current step, and the steps each receipt and hand-over went from and to.
 */
export function stepCodes(d, steps) {
  const codes = new Map();
  const code = (i) => (steps && i >= 0 && i < steps.length ? steps[i].unit : null);
  const put = (id, c) => {
    if (id && c && c !== 'desk' && !codes.has(id)) codes.set(id, c);
  };
  if (d.step) put(d.step.unit_id, code(d.step.index));
  for (const e of d.events || []) {
    put(e.from_unit_id, code(e.step));
    if (e.action === 'receive') put(e.to_unit_id, code(0));
    if (e.action === 'hand_over') put(e.to_unit_id, code(e.step + 1));
  }
  return codes;
}

/** A unit in words: its name and code if readable, "the desk", a step's unit code, or #id. */
export function unitText(t, id, d, units, codes) {
  if (!id) return '—';
  const u = units.get(id);
  if (u && u.name) return u.code ? `${u.name} (${u.code})` : u.name;
  if (id === d.desk_unit_id) return t('procedure.unit.desk');
  return codes.get(id) || `#${id}`;
}

/** The units a dossier passed through: its desk, its current step, each event's units. */
export function unitIdsOf(d) {
  if (!d) return [];
  const moved = (d.events || []).flatMap((e) => [e.from_unit_id, e.to_unit_id]);
  return [d.desk_unit_id, d.step && d.step.unit_id, ...moved];
}

const procedures = new Map();

/**
 * A procedure version by id (GET /api/v1/procedures/ID, with its steps), fetched once per
 * page load: a dossier keeps the version it was received under, the catalogue may be newer.
 */
export function procedureOf(id) {
  if (!procedures.has(id)) {
    const p = get(`/procedures/${encodeURIComponent(id)}`);
    procedures.set(id, p);
    p.catch(() => procedures.delete(id));
  }
  return procedures.get(id);
}

/**
 * Hook: the steps of the procedure version dossier 'd' was received under: undefined while
 * loading, null when the caller may not read it.
 */
export function useSteps(d) {
  const [steps, setSteps] = useState(undefined);
  const procId = d && d.procedure ? d.procedure.id : 0;
  useEffect(() => {
    let live = true;
    setSteps(undefined);
    if (!procId) return undefined;
    procedureOf(procId)
      .then((p) => live && setSteps(p.steps || []))
      .catch(() => live && setSteps(null));
    return () => {
      live = false;
    };
  }, [procId]);
  return steps;
}

/** Hook: the procedures of 'ids' (id → procedure, those found), null while loading. */
export function useProcedures(ids) {
  const [found, setFound] = useState(null);
  const key = [...new Set(ids.filter(Boolean))].sort((a, b) => a - b).join(',');
  useEffect(() => {
    let live = true;
    setFound(null);
    const want = key ? key.split(',').map(Number) : [];
    const map = new Map();
    Promise.all(
      want.map((id) =>
        procedureOf(id)
          .then((p) => map.set(id, p))
          .catch(() => {}),
      ),
    ).then(() => live && setFound(map));
    return () => {
      live = false;
    };
  }, [key]);
  return found;
}
