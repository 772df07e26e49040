// Entry point of the Reform web shell: loads the message catalog, asks the server whether
// a session exists (GET /api/v1/session; 401 shows the sign-in page, except on a public
// route such as /lookup), then renders the layout (header, language switch, sign-out,
// navigation menu) around the current route.

import { html, render, useState, useEffect, useMemo, useCallback } from './lib.js';
import { AppContext, useApp } from './context.js';
import { get, del, setCsrfToken, onUnauthorized } from './api.js';
import {
  LANGUAGES,
  storedLanguage,
  storeLanguage,
  applyLanguage,
  loadCatalog,
  makeTranslator,
  today,
} from './i18n.js';
import { useLocation, navigate, matchPath, Link } from './router.js';
import { visibleNav, currentNav, allowed } from './nav.js';
import { ROUTES, HOME, publicRoute } from './routes.js';
import { SignInPage } from './pages/signin.js';
import { PageTitle, Loading } from './components.js';

function LanguageSwitch() {
  const { t, lang, setLang } = useApp();
  return html`<div class="lang-switch">
    <label for="lang-select">${t('header.language')}</label>
    <select id="lang-select" value=${lang} onChange=${(e) => setLang(e.currentTarget.value)}>
      ${LANGUAGES.map(
        (l) => html`<option value=${l.code} lang=${l.code} selected=${l.code === lang}>${l.name}</option>`,
      )}
    </select>
  </div>`;
}

function Header() {
  const { t, me, signOut } = useApp();
  return html`<header class="site-header">
    <div class="brand">
      <a href="/" onClick=${(e) => { e.preventDefault(); navigate('/'); }}>${t('app.name')}</a>
      <span class="tagline">${t('app.tagline')}</span>
    </div>
    <div class="header-tools">
      ${me &&
      html`<p class="who">
        <span class="who-name">${me.full_name}</span>
        <span class="who-unit">${me.unit && me.unit.name}</span>
      </p>`}
      <${LanguageSwitch} />
      ${me && html`<button type="button" class="signout" onClick=${signOut}>${t('header.sign_out')}</button>`}
    </div>
  </header>`;
}

function Nav({ path }) {
  const { t, me } = useApp();
  const [open, setOpen] = useState(false);
  const entries = visibleNav(me);
  const current = currentNav(path);
  useEffect(() => setOpen(false), [path]);
  return html`<nav class=${`main-nav${open ? ' open' : ''}`} aria-label=${t('nav.label')}>
    <button
      type="button"
      class="nav-toggle"
      aria-expanded=${open ? 'true' : 'false'}
      aria-controls="main-nav-list"
      onClick=${() => setOpen(!open)}
    >
      ${t('nav.menu')}
    </button>
    <ul id="main-nav-list">
      ${entries.map(
        (e) => html`<li key=${e.path}>
          <${Link}
            href=${e.path}
            aria-current=${current && current.path === e.path ? 'page' : undefined}
            onNavigate=${() => setOpen(false)}
            >${t(e.label)}<//
          >
        </li>`,
      )}
    </ul>
  </nav>`;
}

function NotFound() {
  const { t } = useApp();
  return html`<div>
    <${PageTitle} title=${t('page.not_found')}>${t('page.not_found')}<//>
    <p><${Link} href=${HOME}>${t('page.go_home')}<//></p>
  </div>`;
}

function Forbidden() {
  const { t } = useApp();
  return html`<div>
    <${PageTitle} title=${t('page.forbidden')}>${t('page.forbidden')}<//>
    <p>${t('page.forbidden_text')}</p>
    <p><${Link} href=${HOME}>${t('page.go_home')}<//></p>
  </div>`;
}

function Routed({ loc }) {
  const { me } = useApp();
  for (const route of ROUTES) {
    const params = matchPath(route.pattern, loc.path);
    if (!params) continue;
    if (!allowed(route.roles, me)) return html`<${Forbidden} />`;
    const Page = route.page;
    return html`<${Page} key=${route.pattern} params=${params} query=${loc.query} />`;
  }
  return html`<${NotFound} />`;
}

function focusMain(ev) {
  ev.preventDefault();
  const main = document.getElementById('main');
  if (main) main.focus();
}

function App({ initialLang, initialSession }) {
  const [lang, setLangState] = useState(initialLang);
  const [session, setSession] = useState(initialSession);
  const [treeDate, setTreeDate] = useState(today);
  const loc = useLocation();
  const t = useMemo(() => makeTranslator(lang), [lang]);

  const setLang = useCallback(async (next) => {
    try {
      await loadCatalog(next);
    } catch (err) {
      console.error(err);
      return;
    }
    storeLanguage(next);
    applyLanguage(next);
    setLangState(next);
  }, []);

  useEffect(() => {
    onUnauthorized(() => {
      setCsrfToken(null);
      setSession(null);
    });
  }, []);

  const signedIn = (s) => {
    setCsrfToken(s.csrf_token);
    setSession(s);
    if (window.location.pathname === '/') navigate(HOME, { replace: true });
  };

  const signOut = async () => {
    try {
      await del('/session', { noAuthRedirect: true });
    } catch {
      // the session may already be gone; the page signs out either way
    }
    setCsrfToken(null);
    setSession(null);
    navigate('/', { replace: true });
  };

  const me = session ? session.user : null;
  useEffect(() => {
    if (me && loc.path === '/') navigate(HOME, { replace: true });
  }, [me, loc.path]);

  const ctx = { t, lang, setLang, me, signOut, treeDate, setTreeDate };
  return html`<${AppContext.Provider} value=${ctx}>
    <a class="skip-link" href="#main" onClick=${focusMain}>${t('app.skip')}</a>
    <${Header} />
    ${me && html`<${Nav} path=${loc.path} />`}
    <main id="main" tabindex="-1">
      ${me
        ? loc.path === '/'
          ? html`<${Loading} />`
          : html`<${Routed} loc=${loc} />`
        : publicRoute(loc.path)
          ? html`<${Routed} loc=${loc} />`
          : html`<${SignInPage} onSignedIn=${signedIn} />`}
    </main>
  </${AppContext.Provider}>`;
}

async function boot() {
  const lang = storedLanguage();
  await loadCatalog(lang);
  applyLanguage(lang);
  let session = null;
  try {
    session = await get('/session', undefined, { noAuthRedirect: true });
    setCsrfToken(session.csrf_token);
  } catch (err) {
    if (err.status !== 401) console.error(err);
    session = null;
  }
  const root = document.getElementById('app');
  root.textContent = '';
  render(html`<${App} initialLang=${lang} initialSession=${session} />`, root);
}

boot().catch((err) => {
  console.error(err);
  const root = document.getElementById('app');
  if (root) root.textContent = String(err && err.message);
});
