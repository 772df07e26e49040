// Browser test of the web shell against the real server, through the rig (rig.mjs):
// `reform serve --demo` on a throwaway database, Debian's chromium through
// playwright-core, and axe on every page it visits, failing on any violation of impact
// "serious" or "critical".
//
// Run from the repository root:  node --test tests/browser/
// Needs: build/reform (or REFORM_BIN), npm ci --prefix web, node web/scripts/vendor.mjs,
// and /usr/bin/chromium (or CHROMIUM_BIN).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startRig, catalogs, demoUser, eventually, checkAxe, heading, waitHeading, signIn } from './rig.mjs';

const TREE_DATE = '2023-06-30';

let rig;
let baseUrl;
let context;
// Script errors and Content-Security-Policy refusals fail the test; failed requests do
// not (the shell asks GET /api/v1/session while signed out and gets 401 on purpose).
let pageProblems;

before(async () => {
  rig = await startRig();
  ({ baseUrl, context, problems: pageProblems } = rig);
});

after(async () => {
  if (rig) await rig.stop();
});

async function attr(locator, name) {
  return locator.getAttribute(name);
}

test('admin walks the shell: sign-in, language, unit tree, unit page, users, sign-out', { timeout: 180000 }, async () => {
  const admin = await demoUser('admin');
  const page = context.pages()[0] || (await context.newPage());
  let L = catalogs.vi;

  // Sign-in page, in Vietnamese by default.
  await page.goto(`${baseUrl}/`);
  await waitHeading(page, L['signin.title']);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'vi');
  assert.equal(await page.evaluate(() => document.documentElement.dir), 'ltr');
  await checkAxe(page, 'sign-in');

  // A wrong password gives the 401 message, not a field error.
  await page.getByLabel(L['signin.username'], { exact: true }).fill(admin.username);
  await page.getByLabel(L['signin.password'], { exact: true }).fill(`${admin.password}-wrong`);
  await page.locator('main').getByRole('button', { name: L['signin.submit'] }).click();
  await page.getByRole('alert').getByText(L['signin.bad_credentials']).waitFor();

  await signIn(page, admin, L);
  await page.waitForURL(`${baseUrl}/units`);
  await waitHeading(page, L['units.title']);
  let nav = page.getByRole('navigation', { name: L['nav.label'] });
  for (const key of ['nav.units', 'nav.users', 'nav.audit']) {
    await nav.getByRole('link', { name: L[key], exact: true }).waitFor();
  }
  assert.ok(await page.getByRole('button', { name: L['header.sign_out'] }).isVisible());

  // Switch to English; the choice survives a reload.
  await page.getByLabel(L['header.language']).selectOption('en');
  L = catalogs.en;
  await waitHeading(page, L['units.title']);
  assert.notEqual(catalogs.vi['units.title'], catalogs.en['units.title']);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  await page.reload();
  await waitHeading(page, L['units.title']);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  assert.equal(await page.evaluate(() => localStorage.getItem('reform.lang')), 'en');
  nav = page.getByRole('navigation', { name: L['nav.label'] });

  // The unit tree on 2023-06-30: expand the province with the keyboard, the city with
  // the mouse, then open a ward's page with the keyboard.
  await page.getByLabel(L['units.date'], { exact: true }).fill(TREE_DATE);
  // The tree says which date it shows; wait for the new one, not the old tree.
  const tree = page.locator(`[role="tree"][data-date="${TREE_DATE}"]`);
  const province = tree.getByRole('treeitem', { name: 'Tỉnh Hà Tĩnh', exact: true });
  await province.waitFor();
  assert.equal(await page.getByRole('tree', { name: L['tree.label'] }).count(), 1);
  assert.equal(await attr(province, 'aria-expanded'), 'false');
  await checkAxe(page, 'unit tree');
  await province.focus();
  await page.keyboard.press('ArrowRight');
  await eventually(async () => (await attr(province, 'aria-expanded')) === 'true', 'the province to expand');
  const city = tree.getByRole('treeitem', { name: 'Thành phố Hà Tĩnh', exact: true });
  await city.waitFor();
  assert.equal(await attr(city, 'aria-expanded'), 'false');
  await city.locator(':scope > .tree-row > .toggle').click();
  await eventually(async () => (await attr(city, 'aria-expanded')) === 'true', 'the city to expand');
  const wards = city.locator(':scope > [role="group"] > [role="treeitem"]');
  await wards.first().waitFor();
  assert.ok((await wards.count()) >= 2, 'Thành phố Hà Tĩnh has its wards and communes on 2023-06-30');
  await checkAxe(page, 'unit tree (expanded)');
  // Keyboard: from the city, Down goes to its first ward.
  await city.focus();
  await page.keyboard.press('ArrowDown');
  const focusedName = await page.evaluate(() => {
    const el = document.activeElement;
    const label = el && el.getAttribute('aria-labelledby');
    return el && el.getAttribute('role') === 'treeitem' && label
      ? document.getElementById(label).textContent.trim()
      : null;
  });
  const firstWardName = (await wards.first().locator(':scope > .tree-row .tree-name').innerText()).trim();
  assert.equal(focusedName, firstWardName);
  await page.keyboard.press('Enter');
  await page.waitForURL((url) => /^\/units\/[^/]+$/.test(url.pathname) && url.searchParams.get('date') === TREE_DATE);
  await eventually(async () => (await heading(page)).startsWith(firstWardName), 'the unit page heading');
  const facts = page.locator('dl.facts');
  await facts.getByText(L['unit.code'], { exact: true }).waitFor();
  await facts.getByRole('link', { name: /Thành phố Hà Tĩnh/ }).first().waitFor();
  const kindText = (await facts.locator('dd').nth(1).innerText()).trim();
  assert.ok(
    ['ward', 'commune', 'township'].map((k) => L[`kind.${k}`]).includes(kindText),
    `a commune-level kind, translated (got "${kindText}")`,
  );
  await page.getByRole('heading', { name: L['unit.rename'] }).waitFor();
  await page.getByRole('heading', { name: L['unit.add_child'] }).waitFor();
  await checkAxe(page, 'unit');

  // Users: the list, then the add-user form with a bad and then a good password.
  await nav.getByRole('link', { name: L['nav.users'], exact: true }).click();
  await page.waitForURL(`${baseUrl}/users`);
  await waitHeading(page, L['users.title']);
  const table = page.locator('main table');
  await table.getByRole('link', { name: 'admin', exact: true }).waitFor();
  await checkAxe(page, 'users');

  await page.getByRole('link', { name: L['users.add'], exact: true }).click();
  await page.waitForURL(`${baseUrl}/users/new`);
  await waitHeading(page, L['users.add']);
  await checkAxe(page, 'add-user form');
  const username = `test.browser${Date.now() % 100000}`;
  await page.getByLabel(L['user.username'], { exact: true }).fill(username);
  await page.getByLabel(L['user.full_name'], { exact: true }).fill('Nguyễn Thị Kiểm Thử');
  await page.getByLabel(L['user.unit_find'], { exact: true }).fill('Sở Nội vụ');
  await page.locator('main form').getByRole('button', { name: L['common.search'], exact: true }).click();
  const choice = page.locator('.pick-list button', { hasText: 'Sở Nội vụ' });
  const chosen = page.locator('.unit-picker .chosen');
  await eventually(
    async () => (await chosen.innerText()).includes('S02') || (await choice.count()) > 0,
    'the unit search',
  );
  if (!(await chosen.innerText()).includes('S02')) await choice.first().click();
  await eventually(async () => (await chosen.innerText()).includes('S02'), 'the chosen unit S02');
  await page.getByRole('checkbox', { name: L['role.focal'], exact: true }).check();
  const password = page.getByLabel(L['user.password'], { exact: true });
  await password.fill('short');
  const submit = page.getByRole('button', { name: L['users.add_submit'], exact: true });
  await submit.click();
  await eventually(async () => (await attr(password, 'aria-invalid')) === 'true', 'the password field error');
  const errorId = (await attr(password, 'aria-describedby')).split(' ').find((id) => id.endsWith('-error'));
  const errorText = (await page.locator(`[id="${errorId}"]`).innerText()).trim();
  assert.ok(errorText.length > 0, 'the password error is shown next to the field');
  assert.equal(await attr(page.getByLabel(L['user.username'], { exact: true }), 'aria-invalid'), null);
  assert.match(page.url(), /\/users\/new$/);
  await checkAxe(page, 'add-user form with errors');
  await password.fill('Kiem-thu-2024!');
  await submit.click();
  await page.waitForURL((url) => url.pathname === '/users');
  await page.getByRole('status').getByText(L['users.created'].replace('{username}', username)).waitFor();
  await table.getByRole('link', { name: username, exact: true }).waitFor();

  // The user page of the new user.
  await table.getByRole('link', { name: username, exact: true }).click();
  await waitHeading(page, 'Nguyễn Thị Kiểm Thử');
  await page.getByRole('heading', { name: L['user.edit'] }).waitFor();
  await checkAxe(page, 'user');

  // Audit log: the creation is recorded.
  await nav.getByRole('link', { name: L['nav.audit'], exact: true }).click();
  await waitHeading(page, L['audit.title']);
  await page.locator('main table tbody tr').first().waitFor();
  await checkAxe(page, 'audit');

  // Sign out: back to the sign-in page, and a reload stays signed out.
  await page.getByRole('button', { name: L['header.sign_out'] }).click();
  await waitHeading(page, L['signin.title']);
  await page.reload();
  await waitHeading(page, L['signin.title']);
  assert.equal(await page.locator('.who-name').count(), 0);

  assert.deepEqual(pageProblems, [], 'no script errors or CSP refusals');
});

test('on a 360x740 phone screen the menu collapses and stays usable', { timeout: 120000 }, async () => {
  const chairman = await demoUser('chairman');
  await context.clearCookies();
  const page = await context.newPage();
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto(`${baseUrl}/`);
  await page.evaluate(() => localStorage.setItem('reform.lang', 'vi'));
  await page.reload();
  const L = catalogs.vi;
  await waitHeading(page, L['signin.title']);
  await checkAxe(page, 'sign-in (phone)');
  await signIn(page, chairman, L);
  await waitHeading(page, L['units.title']);

  const nav = page.getByRole('navigation', { name: L['nav.label'] });
  const menu = nav.getByRole('button', { name: L['nav.menu'] });
  const usersLink = nav.getByRole('link', { name: L['nav.users'], exact: true });
  assert.ok(await menu.isVisible(), 'the menu button shows on a phone');
  assert.equal(await attr(menu, 'aria-expanded'), 'false');
  assert.equal(await usersLink.isVisible(), false, 'the menu starts collapsed');
  // A leader sees Units and Users but not Audit.
  assert.equal(await nav.getByRole('link', { name: L['nav.audit'], exact: true }).count(), 0);

  // Keyboard: Tab to the menu button, open it with Enter, follow "Users".
  await menu.focus();
  await page.keyboard.press('Enter');
  await eventually(async () => (await attr(menu, 'aria-expanded')) === 'true', 'the menu to open');
  assert.ok(await usersLink.isVisible());
  await checkAxe(page, 'units with the menu open (phone)');
  await usersLink.focus();
  await page.keyboard.press('Enter');
  await page.waitForURL(`${baseUrl}/users`);
  await waitHeading(page, L['users.title']);
  assert.equal(await attr(menu, 'aria-expanded'), 'false', 'the menu closes after navigating');
  // A leader may read users but not add them.
  assert.equal(await page.getByRole('link', { name: L['users.add'], exact: true }).count(), 0);

  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page does not scroll sideways (by ${overflow}px)`);
  await checkAxe(page, 'users (phone)');

  await page.getByRole('button', { name: L['header.sign_out'] }).click();
  await waitHeading(page, L['signin.title']);
  await page.close();
  assert.deepEqual(pageProblems, [], 'no script errors or CSP refusals');
});
