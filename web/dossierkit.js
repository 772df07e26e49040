// What the one-stop dossier screens share: the states and actions the API names
// (src/core/dossier.c), who may take each action (the desk that received the dossier, or
// the unit holding its current step), the state badge, local times ("YYYY-MM-DD HH:MM" in
// the province's zone) in words, a procedure's time, fee and papers, and the links.

import { html } from './lib.js';
import { useApp } from './context.js';
import { formatDate } from './i18n.js';
import { formProblemText } from './components.js';

const ZONE = 'Asia/Ho_Chi_Minh';
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** A dossier's states (rf_dossier_state_name), as far as a received dossier goes. */
export const STATES = [
  'processing',
  'supplement',
  'ready',
  'notified',
  'returned',
  'refused',
  'withdrawn',
  'stopped',
];
/** The states in which the dossier is finished. */
export const FINISHED = ['returned', 'refused', 'withdrawn', 'stopped'];
export const CHANNELS = ['desk', 'online', 'post'];

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
