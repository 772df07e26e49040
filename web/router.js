// Client-side routing with the History API. The server answers index.html for every
// extension-less path outside /api/, so any route here can be loaded directly.

import { html, useState, useEffect } from './lib.js';

const listeners = new Set();

// After an in-app navigation the next page heading takes focus (see PageTitle), so
// keyboard and screen-reader users land on the new content; not on the first load.
let headingFocusPending = false;

/** True once after each navigation: whether the page heading should take focus. */
export function consumeHeadingFocus() {
  const pending = headingFocusPending;
  headingFocusPending = false;
  return pending;
}

function snapshot() {
  return {
    path: window.location.pathname,
    query: new URLSearchParams(window.location.search),
    href: window.location.pathname + window.location.search,
  };
}

/** Goes to 'href' (path and optional query) without reloading the page. */
export function navigate(href, { replace = false } = {}) {
  headingFocusPending = true;
  if (href === window.location.pathname + window.location.search) {
    listeners.forEach((fn) => fn(snapshot()));
    return;
  }
  if (replace) window.history.replaceState(null, '', href);
  else window.history.pushState(null, '', href);
  listeners.forEach((fn) => fn(snapshot()));
}

window.addEventListener('popstate', () => {
  headingFocusPending = true;
  listeners.forEach((fn) => fn(snapshot()));
});

/** Hook: the current location {path, query, href}; re-renders on every navigation. */
export function useLocation() {
  const [loc, setLoc] = useState(snapshot);
  useEffect(() => {
    listeners.add(setLoc);
    return () => listeners.delete(setLoc);
  }, []);
  return loc;
}

/**
 * Matches 'path' against 'pattern' ("/units/:id"); returns the decoded parameters or
 * null when the path does not match.
 */
export function matchPath(pattern, path) {
  const want = pattern.split('/').filter(Boolean);
  const have = path.split('/').filter(Boolean);
  if (want.length !== have.length) return null;
  const params = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(':')) {
      try {
        params[want[i].slice(1)] = decodeURIComponent(have[i]);
      } catch {
        return null;
      }
    } else if (want[i] !== have[i]) {
      return null;
    }
  }
  return params;
}

/** Builds "path?k=v" from a query object, leaving out empty values. */
export function hrefWith(path, query) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query || {})) {
    if (v !== undefined && v !== null && v !== '') q.set(k, v);
  }
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

/** An <a> that navigates in place on a plain click and behaves as a link otherwise. */
export function Link({ href, children, ...rest }) {
  const onClick = (ev) => {
    if (ev.defaultPrevented || ev.button !== 0) return;
    if (ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
    ev.preventDefault();
    if (rest.onNavigate) rest.onNavigate();
    navigate(href);
  };
  const { onNavigate, ...attrs } = rest;
  return html`<a href=${href} onClick=${onClick} ...${attrs}>${children}</a>`;
}
