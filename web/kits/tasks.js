// What the task screens share: the names the API uses for statuses, assigning bodies and
// reform fields (src/core/task.c), their translated options, the status badge, number and
// rate formatting, and the links into the filtered task list.

import { html } from '../lib.js';
import { useApp } from '../context.js';
import { hrefWith } from '../router.js';

/** A task's status on a date (rf_task_status_name), in the order the committee reads them. */
export const STATUSES = ['done_on_time', 'done_late', 'in_progress', 'overdue', 'no_deadline'];
/** The completed tasks of a figure: both "done" statuses, as a list filter. */
export const COMPLETED = 'done_on_time,done_late';

/** Assigning bodies (rf_task_bodies). */
export const BODIES = [
  'government',
  'prime_minister',
  'ministry',
  'party_committee',
  'people_council',
  'people_committee',
  'chairman',
  'steering_committee',
];
/** The Government's tasks as the committee counts them: the Government and its Prime Minister. */
export const CENTRAL = 'government,prime_minister';

/** Reform fields (rf_task_fields), Resolution 76/NQ-CP's areas with direction first. */
export const FIELDS = [
  'direction',
  'institutions',
  'procedures',
  'apparatus',
  'civil_service',
  'public_finance',
  'digital_government',
];

/** Options of a status filter: any, each status, all completed. */
export function statusOptions(t) {
  return [
    { value: '', label: t('tasks.any_status') },
    ...STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) })),
    { value: COMPLETED, label: t('status.completed') },
  ];
}

/** Options of an assigning-body choice; 'any' is the label of the empty value. */
export function bodyOptions(t, any) {
  return [
    { value: '', label: any },
    { value: CENTRAL, label: t('body.central') },
    ...BODIES.map((b) => ({ value: b, label: t(`body.${b}`) })),
  ];
}

/** Options of a reform-field choice; 'any' is the label of the empty value. */
export function fieldOptions(t, any) {
  return [{ value: '', label: any }, ...FIELDS.map((f) => ({ value: f, label: t(`field.${f}`) }))];
}

/** The names (catalog keys 'prefix.NAME') of a comma list of names, those unknown as they are. */
function namesOf(t, prefix, list) {
  return list
    .split(',')
    .map((x) => (t.has(`${prefix}.${x}`) ? t(`${prefix}.${x}`) : x))
    .join(', ');
}

/** The translated name of an assigning body or a comma list of them. */
export function bodyName(t, body) {
  if (!body) return '';
  return body === CENTRAL ? t('body.central') : namesOf(t, 'body', body);
}

/** The translated name of a status or a comma list of them. */
export function statusName(t, status) {
  if (!status) return '';
  return status === COMPLETED ? t('status.completed') : namesOf(t, 'status', status);
}

export function fieldName(t, field) {
  return field && t.has(`field.${field}`) ? t(`field.${field}`) : field || '';
}

/** A task's status as a coloured, translated badge (the text carries the meaning). */
export function StatusBadge({ status }) {
  const { t } = useApp();
  if (!status) return html`<span class="status status-none">${t('status.not_assigned')}</span>`;
  return html`<span class=${`status status-${status}`}>${statusName(t, status)}</span>`;
}

/** A count in the language's digits grouping. */
export function formatCount(t, n) {
  return new Intl.NumberFormat(t.locale).format(n || 0);
}

/** A rate the API sends as "29.32" (percent, two decimals) in the language's notation. */
export function formatRate(t, rate) {
  const n = Number.parseFloat(rate);
  const text = new Intl.NumberFormat(t.locale, {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  }).format(Number.isFinite(n) ? n : 0);
  return t('common.percent', { value: text });
}

/** The link to the task list with the filters of 'filters' (empty ones left out). */
export function tasksHref(filters) {
  return hrefWith('/tasks', filters);
}

/** The link to task 'id', showing its status on 'date' when given. */
export function taskHref(id, date) {
  return hrefWith(`/tasks/${encodeURIComponent(id)}`, { date });
}

export function documentHref(id) {
  return `/documents/${encodeURIComponent(id)}`;
}
