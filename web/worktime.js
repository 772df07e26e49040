// Working time on the legal calendar, in the browser, for the steps of the tracking slip
// (Form 05): a step is due when the working minutes its process allows have passed since it
// began, the time the dossier waited for papers not counted (Decree 61/2018, art. 19). The
// calendar of each year (GET /api/v1/calendar/Y: the days off, the make-up days and the
// working hours) is fetched once per page load. Times are local "YYYY-MM-DD HH:MM" in the
// province's zone, as the API's *_local fields are; a weekday is a working day unless the
// calendar makes it a day off, a weekend day is not unless it is a make-up day.

import { get } from './api.js';

const OFF_KINDS = ['holiday', 'compensation', 'swap_off'];
const years = new Map();
const pad = (n) => String(n).padStart(2, '0');

/** "HH:MM-HH:MM,..." as [[start, end]] minutes of the day. */
function parsePeriods(text) {
  return String(text || '')
    .split(',')
    .map((p) => /^\s*(\d{2}):(\d{2})-(\d{2}):(\d{2})\s*$/.exec(p))
    .filter(Boolean)
    .map((m) => [+m[1] * 60 + +m[2], +m[3] * 60 + +m[4]]);
}

/** The calendar of 'year': {off, makeup: Set of dates, hours: [{from, periods}] latest first}. */
function calendarOf(year) {
  if (!years.has(year)) {
    const p = get(`/calendar/${year}`).then((c) => ({
      off: new Set((c.days || []).filter((d) => OFF_KINDS.includes(d.kind)).map((d) => d.date)),
      makeup: new Set((c.days || []).filter((d) => d.kind === 'makeup').map((d) => d.date)),
      hours: (c.hours || [])
        .map((h) => ({ from: h.from, periods: parsePeriods(h.periods) }))
        .sort((a, b) => (a.from < b.from ? 1 : -1)),
    }));
    years.set(year, p);
    p.catch(() => years.delete(year));
  }
  return years.get(year);
}

/** A local time as minutes since 1970-01-01 00:00 (local), and back. */
export function minutesOf(local) {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})/.exec(local || '');
  if (!m) return NaN;
  return Date.UTC(+m[1], +m[2] - 1, +m[3]) / 60000 + +m[4] * 60 + +m[5];
}

function localOfMinutes(n) {
  const d = new Date(n * 60000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** The working spans of 'date' as [start, end] in minutes since the epoch. */
function workingSpans(cal, date) {
  const dayStart = Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10)) / 60000;
  const weekday = new Date(dayStart * 60000).getUTCDay();
  const working = cal.makeup.has(date) || (weekday !== 0 && weekday !== 6 && !cal.off.has(date));
  if (!working) return [];
  const hours = cal.hours.find((h) => h.from <= date) || { periods: parsePeriods('07:00-11:30,13:30-17:00') };
  return hours.periods.map(([s, e]) => [dayStart + s, dayStart + e]);
}

/** [x, y) without the spans of 'stops', as a list of pieces. */
function without([x, y], stops) {
  let pieces = [[x, y]];
  for (const [a, b] of stops) {
    pieces = pieces.flatMap(([p, q]) => {
      if (b <= p || a >= q) return [[p, q]];
      const out = [];
      if (a > p) out.push([p, a]);
      if (b < q) out.push([b, q]);
      return out;
    });
  }
  return pieces;
}

/**
 * The local time when 'minutes' working minutes have passed since 'start', the 'pauses'
 * ([from, to] local times, 'to' empty while still waiting) not counted; null when the
 * calendar cannot be read or the time lies more than two years ahead.
 */
export async function addWorking(start, minutes, pauses = []) {
  const from = minutesOf(start);
  if (!Number.isFinite(from)) return null;
  if (!(minutes > 0)) return localOfMinutes(from);
  const stops = pauses.map(([a, b]) => [minutesOf(a), b ? minutesOf(b) : Infinity]);
  let left = minutes;
  let day = from - (from % 1440);
  try {
    for (let i = 0; i < 800; i++) {
      const date = localOfMinutes(day).slice(0, 10);
      const cal = await calendarOf(+date.slice(0, 4));
      for (const [s, e] of workingSpans(cal, date)) {
        for (const [x, y] of without([Math.max(s, from), e], stops)) {
          if (y <= x) continue;
          if (y - x >= left) return localOfMinutes(x + left);
          left -= y - x;
        }
      }
      day += 1440;
    }
  } catch {
    return null;
  }
  return null;
}

/**
 * How a step or a dossier done at 'done' stands against 'due' (both local times), as the
 * server judges a result (rf_dossier_timeliness): late after the due time, early when done
 * on an earlier day, else on time.
 */
export function timelinessOf(due, done) {
  if (!due || !done) return null;
  if (minutesOf(done) > minutesOf(due)) return 'late';
  return done.slice(0, 10) < due.slice(0, 10) ? 'early' : 'on_time';
}
