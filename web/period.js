// Reporting periods in DESIGN.md's syntax: YYYY, YYYY-Qn, YYYY-H1, YYYY-H2, YYYY-9M
// (January to September), YYYY-MM and YYYY-MM-DD..YYYY-MM-DD. The dashboard's picker
// builds them from its fields and reads them back from the URL; the server stays the
// judge of what is valid (GET /api/v1/tasks/stats answers a bad one with a field error).

export const PERIOD_KINDS = ['year', 'quarter', 'half', 'nine_months', 'month', 'range'];

const pad = (n) => String(n).padStart(2, '0');

/** The last day (YYYY-MM-DD) of month 'm' (1-12) of 'year'. */
export function monthEnd(year, m) {
  const last = new Date(Date.UTC(year, m, 0)).getUTCDate();
  return `${year}-${pad(m)}-${pad(last)}`;
}

/** The period text of picker fields {kind, year, quarter, half, month, from, to}. */
export function periodText(f) {
  switch (f.kind) {
    case 'quarter':
      return `${f.year}-Q${f.quarter}`;
    case 'half':
      return `${f.year}-H${f.half}`;
    case 'nine_months':
      return `${f.year}-9M`;
    case 'month':
      return `${f.year}-${pad(f.month)}`;
    case 'range':
      return `${f.from}..${f.to}`;
    default:
      return `${f.year}`;
  }
}

/**
 * Picker fields of a period text, or null when it is not one. 'fallbackYear' fills the
 * year of the fields the text does not set.
 */
export function parsePeriod(text, fallbackYear) {
  const base = {
    kind: 'year',
    year: fallbackYear,
    quarter: 1,
    half: 1,
    month: 1,
    from: `${fallbackYear}-01-01`,
    to: `${fallbackYear}-12-31`,
  };
  let m;
  if (!text) return null;
  if ((m = /^(\d{4})$/.exec(text))) return { ...base, kind: 'year', year: +m[1] };
  if ((m = /^(\d{4})-Q([1-4])$/.exec(text))) return { ...base, kind: 'quarter', year: +m[1], quarter: +m[2] };
  if ((m = /^(\d{4})-H([12])$/.exec(text))) return { ...base, kind: 'half', year: +m[1], half: +m[2] };
  if ((m = /^(\d{4})-9M$/.exec(text))) return { ...base, kind: 'nine_months', year: +m[1] };
  if ((m = /^(\d{4})-(\d{2})$/.exec(text)) && +m[2] >= 1 && +m[2] <= 12) {
    return { ...base, kind: 'month', year: +m[1], month: +m[2] };
  }
  if ((m = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(text))) {
    return { ...base, kind: 'range', year: +m[1].slice(0, 4), from: m[1], to: m[2] };
  }
  return null;
}

/** First and last day {from, to} of picker fields 'f'. */
export function periodBounds(f) {
  const y = f.year;
  switch (f.kind) {
    case 'quarter':
      return { from: `${y}-${pad(f.quarter * 3 - 2)}-01`, to: monthEnd(y, f.quarter * 3) };
    case 'half':
      return f.half === 1
        ? { from: `${y}-01-01`, to: `${y}-06-30` }
        : { from: `${y}-07-01`, to: `${y}-12-31` };
    case 'nine_months':
      return { from: `${y}-01-01`, to: `${y}-09-30` };
    case 'month':
      return { from: `${y}-${pad(f.month)}-01`, to: monthEnd(y, f.month) };
    case 'range':
      return { from: f.from, to: f.to };
    default:
      return { from: `${y}-01-01`, to: `${y}-12-31` };
  }
}

/** The earlier of two YYYY-MM-DD dates (an empty one loses). */
export function minDate(a, b) {
  if (!a) return b;
  if (!b) return a;
  return a < b ? a : b;
}

/**
 * The month ends of the year of 'from' that fall on or before 'asOf', in order, with
 * 'asOf' itself last when it is not a month end: the points of the year's trend line.
 */
export function trendDates(year, asOf) {
  const out = [];
  for (let m = 1; m <= 12; m++) {
    const end = monthEnd(year, m);
    if (end <= asOf) out.push(end);
  }
  if (asOf.startsWith(`${year}-`) && !out.includes(asOf)) out.push(asOf);
  return out;
}
