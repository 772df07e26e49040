// Browser test of the one-stop service center's dashboard (/service) against the real server
// (rig.mjs: the demo with 2000 dossiers received 2025-07-01..2026-06-30): the secretariat
// opens it from the menu, chooses that range, finds the received figure equal to what
// GET /api/v1/dossiers/stats answers, sees both charts with their text alternatives, opens
// the "late" figure and finds only late dossiers, pages on with "show more", and the page
// does not scroll sideways at 360px. Then, after the provincial center's clerk took four
// dossiers in today (two received, one returned for completion, one refused), the "today"
// figures equal today's stats and "returned for completion" lists the dossier turned away;
// the tables by field and by unit show the figures of by=field and by=unit, the other
// figures link by the period of their own event, and a field's received count opens a list
// of as many dossiers. axe runs on the dashboard and the lists; any script error or CSP
// refusal fails the test.
//
// Run from the repository root:  node --test tests/browser/

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startRig, catalogs, demoUser, checkAxe, waitHeading, signIn, eventually } from './rig.mjs';

const L = catalogs.vi;
const FROM = '2025-07-01';
const TO = '2026-06-30';
const PERIOD = `${FROM}..${TO}`;
const fill = (text, vars) => text.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
const count = (n) => new Intl.NumberFormat('vi-VN').format(n);

let rig;

before(async () => {
  rig = await startRig();
});

after(async () => {
  if (rig) await rig.stop();
});

async function figure(page, name) {
  return (await page.locator(`[data-figure="${name}"] .figure-value`).innerText()).trim();
}

test('the service center dashboard: figures, charts and the dossiers behind a figure', { timeout: 180000 }, async () => {
  const { baseUrl, context, problems } = rig;
  const page = context.pages()[0] || (await context.newPage());
  await page.goto(`${baseUrl}/`);
  await signIn(page, await demoUser('secretariat'), L);

  const nav = page.getByRole('navigation', { name: L['nav.label'] });
  await nav.getByRole('link', { name: L['nav.service'], exact: true }).click();
  await waitHeading(page, L['service.title']);
  // The default is this year.
  const year = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date()).slice(0, 4);
  await page.locator(`.service-dashboard[data-period="${year}"]`).waitFor();

  const picker = page.locator('form.period-picker');
  await picker.getByLabel(L['dashboard.period_kind'], { exact: true }).selectOption('range');
  await picker.getByLabel(L['dashboard.from'], { exact: true }).fill(FROM);
  await picker.getByLabel(L['dashboard.to'], { exact: true }).fill(TO);
  await picker.getByRole('button', { name: L['service.show'] }).click();
  await page.locator(`.service-dashboard[data-period="${PERIOD}"]`).waitFor();
  assert.equal(new URL(page.url()).searchParams.get('period'), PERIOD);

  const stats = await page.evaluate(async (period) => {
    const res = await fetch(`/api/v1/dossiers/stats?period=${encodeURIComponent(period)}`, { credentials: 'same-origin' });
    return res.json();
  }, PERIOD);
  assert.ok(stats.received > 0, 'the demo has dossiers in the period');
  assert.equal(await figure(page, 'received'), count(stats.received));
  assert.equal(await figure(page, 'processed'), count(stats.processed));
  assert.equal(await figure(page, 'late'), count(stats.late));
  assert.equal(await figure(page, 'overdue'), count(stats.now.overdue));

  // Both charts drawn, each with its numbers as text; the trend has the period's 12 months.
  const canvases = page.locator('.service-dashboard canvas[role="img"]');
  await eventually(async () => (await canvases.count()) === 2, 'two charts');
  const split = await canvases.nth(0).getAttribute('aria-label');
  assert.ok(split.includes(count(stats.late)), split);
  const trendRows = page.locator('table.trend-table tbody tr');
  assert.equal(await trendRows.count(), 12);
  assert.equal(await trendRows.first().getAttribute('data-month'), '2025-07');
  await checkAxe(page, 'service dashboard');

  // The "late" figure opens the dossiers processed late in the period.
  await page.locator('[data-figure="late"] a').click();
  await waitHeading(page, fill(L['service.list.heading.late'], { period: PERIOD }));
  const url = new URL(page.url());
  assert.equal(url.pathname, '/service/list');
  assert.equal(url.searchParams.get('result'), PERIOD);
  assert.equal(url.searchParams.get('timeliness'), 'late');
  const rows = page.locator('table.service-list tbody tr');
  await eventually(async () => (await rows.count()) > 0, 'late dossiers listed');
  const first = await rows.count();
  const timeliness = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-timeliness')));
  assert.ok(timeliness.every((x) => x === 'late'), timeliness.join(','));
  await rows.first().locator('td').nth(4).getByText(L['service.fig.late']).waitFor();
  assert.ok(await rows.first().locator(`a[href^="/dossiers/"]`).count(), 'the code links to the dossier');
  await checkAxe(page, 'service list');
  if (stats.late > first) {
    await page.getByRole('button', { name: L['common.more'] }).click();
    await eventually(async () => (await rows.count()) > first, 'more late dossiers');
  }

  // On a phone the dashboard does not scroll sideways.
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto(`${baseUrl}/service?period=${encodeURIComponent(PERIOD)}`);
  await page.locator(`.service-dashboard[data-period="${PERIOD}"]`).waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the dashboard does not scroll sideways (by ${overflow}px)`);
  await page.setViewportSize({ width: 1280, height: 900 });

  assert.deepEqual(problems, [], 'no script errors or CSP refusals');
});

/** Takes dossiers in at the desk of clerk.hcc through the API: one per outcome given. */
async function takeIn(baseUrl, outcomes) {
  const clerk = await demoUser('clerk.hcc');
  const res = await fetch(`${baseUrl}/api/v1/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: clerk.username, password: clerk.password }),
  });
  assert.ok(res.ok, 'the clerk signs in');
  const cookie = res.headers.get('set-cookie').split(';')[0];
  const { csrf_token: csrf } = await res.json();
  for (const outcome of outcomes) {
    const body = { procedure_code: '1.011441', applicant_name: 'Võ Thị Lan', applicant_phone: '0912000111', outcome };
    if (outcome !== 'receive') body.reason = 'Thiếu Hợp đồng thế chấp';
    const r = await fetch(`${baseUrl}/api/v1/dossiers`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: cookie, 'X-CSRF-Token': csrf },
      body: JSON.stringify(body),
    });
    assert.equal(r.status, 201, `${outcome}: ${await r.clone().text()}`);
  }
}

/** The list's count line once every page is shown ("N hồ sơ."). */
async function listCount(page) {
  const line = page.locator('.result-count');
  await line.waitFor();
  return (await line.innerText()).trim();
}

test('today, the figures by unit and by field, and a field count opening its list', { timeout: 180000 }, async () => {
  const { baseUrl, context, problems } = rig;
  // Today at the provincial center: two received, one returned for completion, one refused.
  await takeIn(baseUrl, ['receive', 'receive', 'guide', 'refuse']);
  const page = await context.newPage();
  await page.goto(`${baseUrl}/`);
  await page.locator('main h1').waitFor();
  if (!(await page.locator('.who-name').count())) await signIn(page, await demoUser('secretariat'), L);
  await page.goto(`${baseUrl}/service?period=${encodeURIComponent(PERIOD)}`);
  await page.locator(`.service-dashboard[data-period="${PERIOD}"]`).waitFor();

  // ---- today ----
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());
  const todayPeriod = `${day}..${day}`;
  const today = page.locator(`section.service-today[data-period="${todayPeriod}"]`);
  await today.locator('[data-figure="today-received"]').waitFor();
  const api = (q) =>
    page.evaluate(async (query) => (await fetch(`/api/v1/dossiers/stats?${query}`, { credentials: 'same-origin' })).json(), q);
  const now = await api(`period=${encodeURIComponent(todayPeriod)}`);
  assert.ok(now.received >= 2 && now.guided >= 1 && now.refused >= 1, JSON.stringify(now));
  for (const k of ['received', 'guided', 'refused', 'processed', 'returned']) {
    assert.equal(await figure(today, `today-${k}`), count(now[k]), `today's ${k}`);
  }
  // Today's "returned for completion" opens the dossiers turned away today.
  await today.locator('[data-figure="today-guided"] a').click();
  await waitHeading(page, fill(L['service.list.heading.guided'], { period: todayPeriod }));
  let url = new URL(page.url());
  assert.equal(url.searchParams.get('state'), 'incomplete');
  assert.equal(url.searchParams.get('ended'), todayPeriod);
  assert.equal(await listCount(page), fill(L['service.list.count'], { n: now.guided }));
  const states = await page
    .locator('table.service-list tbody tr')
    .evaluateAll((trs) => trs.map((tr) => tr.querySelector('[data-state]').dataset.state));
  assert.ok(states.length > 0 && states.every((s) => s === 'incomplete'), states.join(','));
  await checkAxe(page, 'service list (today)');

  // ---- the period's figures by field and by unit ----
  await page.goto(`${baseUrl}/service?period=${encodeURIComponent(PERIOD)}`);
  await page.locator(`.service-dashboard[data-period="${PERIOD}"]`).waitFor();
  const byField = await api(`period=${encodeURIComponent(PERIOD)}&by=field`);
  const byUnit = await api(`period=${encodeURIComponent(PERIOD)}&by=unit`);
  const fieldRows = page.locator('section[data-by="field"] table.by-table tbody tr');
  const unitRows = page.locator('section[data-by="unit"] table.by-table tbody tr');
  await eventually(async () => (await fieldRows.count()) === byField.rows.length, 'a row per field');
  assert.ok(byField.rows.length > 1, 'the demo has several fields');
  assert.equal(await unitRows.count(), byUnit.rows.length, 'a row per unit');
  for (const r of byField.rows) {
    const tr = page.locator(`section[data-by="field"] tr[data-key="${r.key}"]`);
    assert.equal(await tr.locator('[data-col="received"]').innerText(), count(r.received), `${r.key} received`);
    assert.equal(await tr.locator('[data-col="processed"]').innerText(), count(r.processed), `${r.key} processed`);
    assert.equal(await tr.locator('[data-col="late"]').innerText(), count(r.late), `${r.key} late`);
  }
  const s20 = byUnit.rows.find((r) => r.key === 'S20');
  assert.ok(s20, 'the provincial center has a row');
  const s20Row = page.locator('section[data-by="unit"] tr[data-key="S20"]');
  assert.equal(await s20Row.locator('[data-col="received"]').innerText(), count(s20.received));
  const timely = Math.floor(((s20.early + s20.on_time) * 2000 + s20.processed) / (2 * s20.processed)) / 10;
  assert.equal(
    await s20Row.locator('[data-col="timely"]').innerText(),
    fill(L['common.percent'], { value: new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 1 }).format(timely) }),
  );
  // The other figures link to their lists: asked and apologised in the period, the ends by their day.
  const hrefOf = async (name) => new URL(await page.locator(`[data-figure="${name}"] a`).getAttribute('href'), baseUrl).searchParams;
  assert.equal((await hrefOf('supplement')).get('asked'), PERIOD);
  assert.equal((await hrefOf('apology')).get('apologised'), PERIOD);
  assert.equal((await hrefOf('refused')).get('ended'), PERIOD);
  assert.equal((await hrefOf('guided')).get('state'), 'incomplete');
  assert.equal((await hrefOf('returned')).get('state'), 'returned');
  assert.equal(await page.locator('[data-figure="carried_over"] a').count(), 0, 'carried over is not a link');
  await checkAxe(page, 'service dashboard (tables)');

  // A field's received count (one short enough to be listed whole) opens its list.
  const small = byField.rows.filter((r) => r.received > 0 && r.received <= 50).sort((a, b) => a.received - b.received)[0];
  assert.ok(small, 'a field with at most 50 dossiers received');
  await page.locator(`section[data-by="field"] tr[data-key="${small.key}"] [data-col="received"] a`).click();
  await waitHeading(page, fill(L['service.list.heading.received'], { period: PERIOD }));
  url = new URL(page.url());
  assert.equal(url.searchParams.get('field'), small.key);
  assert.equal(url.searchParams.get('received'), PERIOD);
  assert.equal(await listCount(page), fill(L['service.list.count'], { n: small.received }));
  assert.equal(await page.locator('table.service-list tbody tr').count(), small.received);
  await page.getByText(fill(L['service.field_line'], { field: L[`procedure.field.${small.key}`] })).waitFor();
  await checkAxe(page, 'service list (field)');

  await page.close();
  assert.deepEqual(problems, [], 'no script errors or CSP refusals');
});
