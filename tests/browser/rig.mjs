// The rig of the browser test files (not a test file itself): starts `reform serve --demo`
// through the suites' one launcher (tests/lib/server.mjs: REFORM_BIN) on a throwaway
// database (REFORM_TEST_DB, an empty postgresql:// URL, or else a SQLite file in a
// temporary folder), launches Debian's chromium (or CHROMIUM_BIN) through playwright-core,
// records script errors and Content-Security-Policy refusals of every page, and runs axe,
// failing on any violation of impact "serious" or "critical".

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { mkdtemp, rm, readFile, access } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root as repoRoot, webDir, freshDatabase, namedDatabase, startReform } from '../lib/server.mjs';

export { repoRoot, webDir };
const requireWeb = createRequire(join(webDir, 'package.json'));
const { chromium } = requireWeb('playwright-core');
const axeModule = requireWeb('@axe-core/playwright');
const AxeBuilder = axeModule.default || axeModule.AxeBuilder || axeModule;

const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const catalogs = {
  vi: JSON.parse(await readFile(join(webDir, 'i18n', 'vi.json'), 'utf8')),
  en: JSON.parse(await readFile(join(webDir, 'i18n', 'en.json'), 'utf8')),
};

/** A demo sign-in from data/demo/users.csv (username,full_name,unit_code,roles,password). */
export async function demoUser(username) {
  const text = await readFile(join(repoRoot, 'data', 'demo', 'users.csv'), 'utf8');
  for (const line of text.split(/\r?\n/).slice(1)) {
    const cols = line.split(',');
    if (cols[0] === username) return { username, fullName: cols[1], unitCode: cols[2], password: cols[4] };
  }
  throw new Error(`no demo user ${username} in data/demo/users.csv`);
}

export const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

/** Polls 'fn' until it returns a truthy value or 'ms' pass; returns that value. */
export async function eventually(fn, what, ms = 15000) {
  const end = Date.now() + ms;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what} (last: ${last})`);
    await sleep(100);
  }
}

/**
 * Starts the server and the browser. Returns {baseUrl, context, problems, stop}:
 * 'problems' collects script errors and CSP refusals of every page of 'context'.
 */
export async function startRig({ viewport = { width: 1280, height: 900 } } = {}) {
  await access(join(webDir, 'vendor', 'chart.js', 'chart.js')).catch(() => {
    throw new Error('web/vendor is missing: run "npm ci --prefix web && node web/scripts/vendor.mjs"');
  });
  const tmp = await mkdtemp(join(tmpdir(), 'reform-browser-'));
  // The browser starts while the server loads the demo province.
  const serving = startReform({
    db: process.env.REFORM_TEST_DB ? namedDatabase(process.env.REFORM_TEST_DB) : freshDatabase({ pg: null }),
    args: ['--demo', '--demo-dossiers', '2000'],
    grace: 5000,
  });
  const launching = chromium.launchPersistentContext(join(tmp, 'chromium'), {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
    viewport,
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
  });
  const [server, browser] = await Promise.allSettled([serving, launching]);
  const context = browser.status === 'fulfilled' ? browser.value : null;
  const stop = async () => {
    if (context) await context.close().catch(() => {});
    if (server.status === 'fulfilled') await server.value.stop();
    await rm(tmp, { recursive: true, force: true });
  };
  if (server.status === 'rejected' || browser.status === 'rejected') {
    await stop();
    throw server.status === 'rejected' ? server.reason : browser.reason;
  }
  const baseUrl = server.value.base;
  const problems = [];
  context.setDefaultTimeout(15000);
  const watch = (page) => {
    page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
    page.on('console', (msg) => {
      const text = msg.text();
      if (msg.type() === 'error' && !text.startsWith('Failed to load resource')) {
        problems.push(`console: ${text}`);
      }
      if (/Content Security Policy|Refused to/i.test(text)) problems.push(`csp: ${text}`);
    });
  };
  context.on('page', watch);
  for (const page of context.pages()) watch(page);
  return { baseUrl, context, problems, stop, log: server.value.log };
}

/** Runs axe on the page; fails on any serious or critical violation. */
export async function checkAxe(page, name) {
  const t0 = Date.now();
  const results = await new AxeBuilder({ page }).analyze();
  if (process.env.RIG_TIMING) console.error(`axe ${name}: ${Date.now() - t0} ms`);
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = bad.map(
    (v) => `${v.impact} ${v.id}: ${v.help}\n    ${v.nodes.map((n) => n.target.join(' ')).join('\n    ')}`,
  );
  assert.deepEqual(report, [], `axe on the ${name} page:\n${report.join('\n')}`);
}

export async function heading(page) {
  const h1 = page.locator('main h1');
  await h1.waitFor();
  return (await h1.innerText()).trim();
}

export async function waitHeading(page, text) {
  let seen = null;
  await eventually(async () => (seen = await heading(page)) === text, `the heading "${text}"`).catch(
    (err) => {
      throw new Error(`${err.message}; the page shows "${seen}" at ${page.url()}`);
    },
  );
}

export async function signIn(page, user, L) {
  await page.getByLabel(L['signin.username'], { exact: true }).fill(user.username);
  await page.getByLabel(L['signin.password'], { exact: true }).fill(user.password);
  await page.locator('main').getByRole('button', { name: L['signin.submit'] }).click();
  await page.locator('.who-name').getByText(user.fullName).waitFor();
}

export async function signOut(page, L) {
  await page.getByRole('button', { name: L['header.sign_out'] }).click();
  await waitHeading(page, L['signin.title']);
}
