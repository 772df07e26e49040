// The procedures of the one-stop desks as the catalogue gives them (GET /api/v1/procedures):
// a procedure's time allowed, fee and papers, its field and level in words, the units of its
// steps, and its versions (with their steps) fetched once per page load.

import { html, useState, useEffect } from '../lib.js';
import { useApp } from '../context.js';
import { get } from '../api.js';
import { useLoaded } from '../components.js';

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
  const key = [...new Set(ids.filter(Boolean))].sort((a, b) => a - b).join(',');
  const load = () => {
    const found = new Map();
    const want = key ? key.split(',').map(Number) : [];
    return Promise.all(want.map((id) => procedureOf(id).then((p) => found.set(id, p), () => {}))).then(() => found);
  };
  return useLoaded(load, [key])[0];
}
