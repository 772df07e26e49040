// Message catalogs and locale formatting.
//
// Every user-visible string comes from web/i18n/<lang>.json (flat "area.name" keys).
// The chosen language is kept in localStorage and applied to <html lang> and <html dir>;
// the direction comes from the catalog's "meta.dir", so a right-to-left language only
// needs a new catalog (the stylesheet uses logical properties only).

export const LANGUAGES = [
  { code: 'vi', name: 'Tiếng Việt' },
  { code: 'en', name: 'English' },
];
export const DEFAULT_LANG = 'vi';
const STORAGE_KEY = 'reform.lang';
const LOCALES = { vi: 'vi-VN', en: 'en-GB' };
const ZONE = 'Asia/Ho_Chi_Minh';

const catalogs = {};

/** Returns the stored language, or the default when none (or an unknown one) is stored. */
export function storedLanguage() {
  let lang = null;
  try {
    lang = window.localStorage.getItem(STORAGE_KEY);
  } catch {
    lang = null;
  }
  return LANGUAGES.some((l) => l.code === lang) ? lang : DEFAULT_LANG;
}

/** Remembers the user's language choice for the next visits. */
export function storeLanguage(lang) {
  try {
    window.localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // private mode: the choice lasts for this page only
  }
}

/** Applies 'lang' (whose catalog is loaded) to <html lang> and <html dir>. */
export function applyLanguage(lang) {
  const root = document.documentElement;
  root.lang = lang;
  root.dir = (catalogs[lang] && catalogs[lang]['meta.dir']) || 'ltr';
}

/** Fetches (once) the catalog of 'lang'. */
export async function loadCatalog(lang) {
  if (!catalogs[lang]) {
    const res = await fetch(`/i18n/${lang}.json`, { credentials: 'same-origin' });
    if (!res.ok) throw new Error(`catalog ${lang}: HTTP ${res.status}`);
    catalogs[lang] = await res.json();
  }
  return catalogs[lang];
}

function interpolate(text, vars) {
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name) =>
    Object.prototype.hasOwnProperty.call(vars, name) ? String(vars[name]) : whole,
  );
}

/**
 * Builds the translate function of 'lang': t(key, vars) gives the catalog text with
 * {name} placeholders filled from 'vars'. A key missing from the catalog yields the
 * key itself (and a console warning) so that the gap is visible, never a blank.
 * t.has(key) tells whether the key exists; t.lang is the language code.
 */
export function makeTranslator(lang) {
  const cat = catalogs[lang] || {};
  const t = (key, vars) => {
    const text = cat[key];
    if (typeof text !== 'string') {
      console.warn(`i18n: missing "${key}" in ${lang}`);
      return key;
    }
    return interpolate(text, vars);
  };
  t.has = (key) => typeof cat[key] === 'string';
  t.lang = lang;
  t.locale = LOCALES[lang] || lang;
  return t;
}

/** Today's date (YYYY-MM-DD) in the province's zone, the API's default date. */
export function today() {
  // en-CA formats as YYYY-MM-DD
  return new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(new Date());
}

/** Formats a YYYY-MM-DD date for display in the language of 't'. */
export function formatDate(t, iso) {
  if (!iso) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return new Intl.DateTimeFormat(t.locale, {
    timeZone: 'UTC',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(d);
}

/** Formats a UTC instant (YYYY-MM-DDTHH:MM:SSZ) in the province's zone. */
export function formatInstant(t, iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(t.locale, {
    timeZone: ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).format(d);
}

/**
 * The text for one field error {field, code, message} of a problem body. The catalog is
 * asked for "field_error.<field>.<code>", then "field_error.<code>"; a code it does not
 * know shows the server's message through "field_error.fallback", so a rule the UI has
 * not learnt yet still explains itself.
 */
export function fieldErrorText(t, e) {
  const field = e.field || '';
  if (e.code && t.has(`field_error.${field}.${e.code}`)) return t(`field_error.${field}.${e.code}`);
  if (e.code && t.has(`field_error.${e.code}`)) return t(`field_error.${e.code}`);
  return t('field_error.fallback', { message: e.message || e.code || '' });
}
