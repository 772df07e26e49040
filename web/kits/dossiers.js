// What the one-stop dossier screens share: the states and actions the API names
// (src/core/dossier.c), who may take each action (the desk that received the dossier, or
// the unit holding its current step), the desk's outcomes, the state badge, local times
// ("YYYY-MM-DD HH:MM" in the province's zone) in words, how a step stood against its due
// time (the server's), the words of a refused move, the dossier as the API gives it and the
// names of the units it passed through as far as the caller may read them. The procedures
// are in procedures.js, the printable forms in ../slips.js.

import { html, useState, useEffect } from '../lib.js';
import { useApp } from '../context.js';
import { get } from '../api.js';
import { formatDate } from '../i18n.js';
import { formProblemText, useLoaded } from '../components.js';

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

/** Whether dossier 'd' was received (it has a due time), not turned away at the desk. */
export const wasReceived = (d) => !!d && !!d.due_at;

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

// ---- the dossier and its units, as far as the caller may read them ----

/**
 * Hook: the dossier 'code' as the API gives it to the caller: [dossier or null, error or
 * null], read again whenever 'tick' moves (after an action).
 */
export function useDossier(code, tick = 0) {
  const [d, err] = useLoaded(() => get(`/dossiers/${encodeURIComponent(code)}`), [code, tick], true);
  return [d, err];
}

/**
 * Hook: the names of the units a dossier passed through, as far as the caller may read them
 * (GET /api/v1/units/ID answers 404 outside one's scope): id → {code, name}.
 */
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

