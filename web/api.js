// HTTP client for the Reform JSON API (docs/api-outline.md).
//
// Owns the CSRF rule: every state-changing request (POST, PUT, PATCH, DELETE) carries the
// X-CSRF-Token header with the token the session answer returned. Errors come back as
// ApiError holding the RFC 9457 problem body, with the per-field errors indexed by field.

let csrfToken = null;
let unauthorizedHandler = null;

/** Remembers the CSRF token of the current session (null when signed out). */
export function setCsrfToken(token) {
  csrfToken = token || null;
}

/** Registers a callback run when a request other than sign-in answers 401. */
export function onUnauthorized(handler) {
  unauthorizedHandler = handler;
}

/** An API answer with a 4xx or 5xx status, or a network failure (status 0). */
export class ApiError extends Error {
  constructor(status, problem, retryAfter) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem || null;
    this.retryAfter = retryAfter;
    // field name -> list of {code, message}
    this.fields = {};
    for (const e of (problem && Array.isArray(problem.errors) && problem.errors) || []) {
      const field = e.field || '';
      (this.fields[field] = this.fields[field] || []).push({ code: e.code, message: e.message });
    }
  }
}

function buildUrl(path, query) {
  const url = new URL('/api/v1' + path, window.location.origin);
  for (const [key, value] of Object.entries(query || {})) {
    if (value !== undefined && value !== null && value !== '') url.searchParams.set(key, value);
  }
  return url.pathname + url.search;
}

/**
 * Sends one API request and returns the parsed JSON body (null for 204).
 * 'method' is the HTTP method, 'path' the part after /api/v1, 'opts.query' an object of
 * query parameters (empty values left out), 'opts.body' a value sent as JSON.
 * Throws ApiError for any status >= 400 or a network failure.
 */
export async function api(method, path, opts = {}) {
  const headers = { Accept: 'application/json, application/problem+json' };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(opts.body);
  }
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let res;
  try {
    res = await fetch(buildUrl(path, opts.query), init);
  } catch (err) {
    throw new ApiError(0, { title: String(err && err.message) });
  }
  if (res.status === 204) return null;
  const type = res.headers.get('Content-Type') || '';
  let body = null;
  if (type.includes('json')) {
    try {
      body = await res.json();
    } catch {
      body = null;
    }
  }
  if (!res.ok) {
    const retry = parseInt(res.headers.get('Retry-After') || '', 10);
    const err = new ApiError(res.status, body, Number.isFinite(retry) ? retry : null);
    if (res.status === 401 && !opts.noAuthRedirect && unauthorizedHandler) unauthorizedHandler();
    throw err;
  }
  return body;
}

export const get = (path, query, opts = {}) => api('GET', path, { ...opts, query });

/**
 * Every item of a list the API gives a page at a time: GET 'path' with 'query' and the
 * largest page the API allows, again with each answer's 'next' cursor until there is none.
 */
export async function getAll(path, query) {
  const items = [];
  let cursor = null;
  do {
    const page = await get(path, { ...query, limit: 1000, cursor });
    items.push(...((page && page.items) || []));
    cursor = page && page.next;
  } while (cursor);
  return items;
}
export const post = (path, body, opts = {}) => api('POST', path, { ...opts, body });
export const put = (path, body, opts = {}) => api('PUT', path, { ...opts, body });
export const patch = (path, body, opts = {}) => api('PATCH', path, { ...opts, body });
export const del = (path, opts = {}) => api('DELETE', path, opts);
