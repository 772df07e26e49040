// Browser test of the one-stop service center's dashboard (/service) against the real server
// (rig.mjs: the demo with 2000 dossiers received 2025-07-01..2026-06-30): the secretariat
// opens it from the menu, chooses that range, finds the received figure equal to what
// GET /api/v1/dossiers/stats answers, sees both charts with their text alternatives, opens
// the "late" figure and finds only late dossiers, pages on with "show more", and the page
// does not scroll sideways at 360px. axe runs on the dashboard and the list; any script
// error or CSP refusal fails the test.
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
