// Browser test of the one-stop dossier screens against the real server (rig.mjs): the clerk
// of the provincial public-service center (S20) receives a dossier of 1.011441 (registering
// a mortgage of land use rights: the desk's step, two steps at the environment department
// S07, the result at the desk), sees the receipt slip with its QR code and hands the
// dossier over; the officer of S07 finds it in the worklist and asks for papers with a
// reason; the clerk records them supplied (and a second, stale tab is told that somebody
// acted first); a signed-out visitor looks the dossier up with its code and secret and sees
// its state but no personal data. axe runs on each screen; any script error or CSP refusal
// fails the test.
//
// Run from the repository root:  node --test tests/browser/

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startRig, catalogs, demoUser, checkAxe, waitHeading, signIn, signOut, eventually, webDir } from './rig.mjs';

const L = catalogs.vi;
const PROCEDURE = '1.011441';
const PROCEDURE_NAME = 'Đăng ký biện pháp bảo đảm bằng quyền sử dụng đất, tài sản gắn liền với đất';
const APPLICANT = { name: 'Nguyễn Văn Bình', phone: '0912 345 678', digits: '0912345678', address: 'Thôn Trung, xã Thạch Hà' };
const fill = (text, vars) => text.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));

const { default: qrcode } = await import(
  pathToFileURL(join(webDir, 'vendor', 'qrcode-generator', 'qrcode.js')).href
).catch(() => {
  throw new Error('web/vendor is missing: run "npm ci --prefix web && node web/scripts/vendor.mjs"');
});

/** The path web/qr.js draws for 'text': each row's runs of dark modules. */
function expectedQrPath(text) {
  const qr = qrcode(0, 'M');
  qr.addData(text, 'Byte');
  qr.make();
  const n = qr.getModuleCount();
  let d = '';
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; ) {
      if (!qr.isDark(r, c)) {
        c++;
        continue;
      }
      const s = c;
      while (c < n && qr.isDark(r, c)) c++;
      d += `M${s} ${r}h${c - s}v1h-${c - s}z`;
    }
  }
  return d;
}

let rig;

before(async () => {
  rig = await startRig();
});

after(async () => {
  if (rig) await rig.stop();
});

/** The error text of the field labelled 'label' in 'scope'. */
async function fieldError(scope, label) {
  const input = scope.getByLabel(label, { exact: true });
  await eventually(async () => (await input.getAttribute('aria-invalid')) === 'true', `an error on "${label}"`);
  const ids = ((await input.getAttribute('aria-describedby')) || '').split(' ');
  const errId = ids.find((id) => id.endsWith('-error'));
  assert.ok(errId, `"${label}" is described by its error`);
  return (await scope.page().locator(`[id="${errId}"]`).innerText()).trim();
}

async function stateOf(page) {
  return page.locator('.dossier-page').getAttribute('data-state');
}

test('a dossier received, handed over, asked for papers, supplied and looked up', { timeout: 180000 }, async () => {
  const { baseUrl, context, problems } = rig;
  const page = context.pages()[0] || (await context.newPage());
  const nav = page.getByRole('navigation', { name: L['nav.label'] });

  // ---- the clerk receives the dossier at the desk ----
  await page.goto(`${baseUrl}/`);
  await signIn(page, await demoUser('clerk.hcc'), L);
  await nav.getByRole('link', { name: L['nav.desk'], exact: true }).click();
  await waitHeading(page, L['desk.title']);
  const form = page.locator('form.desk-form');
  const receive = form.getByRole('button', { name: L['desk.receive'], exact: true });
  // Nothing filled in: the server names each field.
  await receive.click();
  assert.equal(await fieldError(form, L['desk.applicant_name']), L['field_error.applicant_name.required']);
  assert.equal(await fieldError(form, L['desk.applicant_phone']), L['field_error.applicant_phone.format']);
  await form.locator('.procedure-picker .field-error').getByText(L['field_error.procedure_code.not_found']).waitFor();

  // The procedure, found by words typed without diacritics.
  const picker = form.getByRole('group', { name: L['desk.procedure'], exact: true });
  await picker.getByLabel(L['desk.procedure_find'], { exact: true }).fill('bien phap bao dam');
  await picker.getByRole('button', { name: L['common.search'], exact: true }).click();
  await picker.getByRole('button', { name: new RegExp(PROCEDURE.replace(/\./g, '\\.')) }).first().click();
  await form.locator('.procedure-card').waitFor();
  assert.equal(await form.locator('[data-fact="time"]').innerText(), fill(L['procedure.hours'], { n: 8 }));
  assert.equal(await form.locator('[data-fact="fee"]').innerText(), fill(L['procedure.fee_vnd'], { amount: '80.000' }));
  const papers = form.getByRole('group', { name: L['desk.papers'], exact: true }).getByRole('checkbox');
  assert.equal(await papers.count(), 4);
  const paperNames = [];
  for (let i = 0; i < 4; i++) paperNames.push(await form.locator(`label[for="paper-${i}"]`).innerText());
  // The fourth (a power of attorney, when a representative applies) is not brought.
  for (let i = 0; i < 3; i++) await papers.nth(i).check();
  await form.getByLabel(L['desk.applicant_name'], { exact: true }).fill(APPLICANT.name);
  await form.getByLabel(L['desk.applicant_phone'], { exact: true }).fill(APPLICANT.phone);
  await form.getByLabel(L['desk.applicant_address'], { exact: true }).fill(APPLICANT.address);
  await form.getByLabel(L['desk.channel'], { exact: true }).selectOption('desk');
  await checkAxe(page, 'desk');
  await receive.click();

  // The slip (Form 01) with its QR code.
  const slip = page.locator('section.slip');
  await slip.waitFor();
  const code = await slip.getAttribute('data-code');
  assert.match(code, /^S20-\d{6}-\d{4,}$/);
  await page.getByRole('status').getByText(fill(L['desk.received'], { code })).waitFor();
  assert.equal(await slip.getByRole('heading', { level: 2 }).innerText(), L['slip.title']);
  const slipText = await slip.innerText();
  for (const text of [code, APPLICANT.name, APPLICANT.digits, APPLICANT.address, PROCEDURE_NAME, ...paperNames.slice(0, 3)]) {
    assert.ok(slipText.includes(text), `the slip shows "${text}"`);
  }
  assert.ok(!slipText.includes(paperNames[3]), 'the paper not received is not on the slip');
  assert.match(await slip.locator('[data-slip="appointment"]').innerText(), /\d{2} giờ \d{2} phút, ngày \d{2} tháng \d{2} năm \d{4}/);
  const secret = (await slip.locator('.slip-secret').innerText()).trim();
  assert.match(secret, /^[A-Za-z0-9_-]{16,}$/);
  const qr = slip.getByRole('img', { name: fill(L['slip.qr_label'], { code }) });
  await qr.waitFor();
  const lookupHref = `${baseUrl}/lookup?code=${encodeURIComponent(code)}&secret=${encodeURIComponent(secret)}`;
  assert.equal(await qr.locator('path').getAttribute('d'), expectedQrPath(lookupHref), 'the QR code holds the lookup link');
  // Printed, the slip stands alone.
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('.site-header').isVisible(), false);
  assert.equal(await page.getByRole('button', { name: L['desk.print'] }).isVisible(), false);
  assert.equal(await slip.isVisible(), true);
  await page.emulateMedia({ media: 'screen' });
  await checkAxe(page, 'receipt slip');

  // The clerk's own step: hand the dossier over to the environment department.
  await page.getByRole('link', { name: L['desk.open_dossier'], exact: true }).click();
  await waitHeading(page, fill(L['dossier.page_title'], { code }));
  assert.equal(await stateOf(page), 'processing');
  await eventually(async () => (await page.locator('[data-fact="step"]').innerText()).includes('1/4'), 'step 1 of 4');
  const handOver = page.locator('button[data-action="hand_over"]');
  await eventually(async () => (await handOver.innerText()).includes('S07'), 'the hand-over names the next unit');
  await handOver.click();
  await page.getByRole('status').getByText(L['dossier.done.hand_over']).waitFor();
  await eventually(async () => (await page.locator('[data-fact="step"]').innerText()).includes('2/4'), 'step 2 of 4');
  // The step is the department's now: the desk keeps only the citizen's withdrawal.
  await eventually(async () => (await handOver.count()) === 0, 'no hand-over for the desk');
  assert.deepEqual(
    await page.locator('.dossier-actions [data-action]').evaluateAll((els) => els.map((e) => e.dataset.action)),
    ['withdraw'],
  );
  const timeline = page.locator('ol.dossier-timeline > li');
  assert.deepEqual(
    await timeline.evaluateAll((els) => els.map((e) => e.dataset.action)),
    ['receive', 'hand_over'],
  );
  assert.match(await timeline.nth(1).innerText(), /S07/);
  await checkAxe(page, 'dossier (clerk)');
  await signOut(page, L);

  // ---- the officer of S07 asks for papers ----
  await signIn(page, await demoUser('officer.stnmt'), L);
  assert.equal(await nav.getByRole('link', { name: L['nav.desk'], exact: true }).count(), 0);
  await nav.getByRole('link', { name: L['nav.worklist'], exact: true }).click();
  await waitHeading(page, L['worklist.title']);
  const row = page.locator(`table.worklist tr[data-code="${code}"]`);
  await row.waitFor();
  await checkAxe(page, 'worklist');
  await row.getByRole('link', { name: code }).click();
  await waitHeading(page, fill(L['dossier.page_title'], { code }));
  const ask = page.locator('details[data-action="ask"]');
  await ask.locator('summary').click();
  const askSubmit = ask.getByRole('button', { name: L['dossier.submit.ask'], exact: true });
  await askSubmit.click();
  assert.equal(await fieldError(ask, L['dossier.reason']), L['dossier.reason_required']);
  await ask.getByLabel(L['dossier.reason'], { exact: true }).fill('Thiếu bản gốc Giấy chứng nhận quyền sử dụng đất');
  await askSubmit.click();
  await page.getByRole('status').getByText(L['dossier.done.ask']).waitFor();
  await eventually(async () => (await stateOf(page)) === 'supplement', 'waiting for papers');
  assert.match(await timeline.last().innerText(), /Thiếu bản gốc Giấy chứng nhận/);
  await checkAxe(page, 'dossier (officer)');
  await signOut(page, L);

  // ---- the clerk records the papers supplied; a stale tab is told to reload ----
  await signIn(page, await demoUser('clerk.hcc'), L);
  await nav.getByRole('link', { name: L['nav.worklist'], exact: true }).click();
  await waitHeading(page, L['worklist.title']);
  await page.getByLabel(L['worklist.open_code'], { exact: true }).fill(code.toLowerCase());
  await page.getByRole('button', { name: L['worklist.open_submit'], exact: true }).click();
  await waitHeading(page, fill(L['dossier.page_title'], { code }));
  await eventually(async () => (await stateOf(page)) === 'supplement', 'the clerk sees it waiting');
  const other = await context.newPage();
  await other.goto(`${baseUrl}/dossiers/${code}`);
  await other.locator('button[data-action="supplied"]').click();
  await other.getByRole('status').getByText(L['dossier.done.supplied']).waitFor();
  await other.close();
  await page.locator('button[data-action="supplied"]').click();
  await page.getByRole('alert').getByText(L['dossier.err_stale']).waitFor();
  await page.getByRole('button', { name: L['dossier.reload_stale'], exact: true }).click();
  await eventually(async () => (await stateOf(page)) === 'processing', 'processing again after the reload');
  assert.deepEqual(
    await timeline.evaluateAll((els) => els.map((e) => e.dataset.action)),
    ['receive', 'hand_over', 'ask', 'supplied'],
  );
  await checkAxe(page, 'dossier (clerk, after the papers)');
  await signOut(page, L);

  // ---- a signed-out visitor follows the slip's link ----
  await page.goto(lookupHref);
  await waitHeading(page, L['lookup.title']);
  const result = page.locator('section.lookup-result');
  await result.waitFor();
  assert.equal(await result.getAttribute('data-state'), 'processing');
  assert.ok((await result.innerText()).includes(L['dossier.state.processing']));
  assert.ok((await result.locator('[data-fact="step"]').innerText()).includes('2'));
  assert.ok((await result.locator('[data-fact="office"]').innerText()).length > 0);
  const body = await page.locator('body').innerText();
  for (const personal of [APPLICANT.name, APPLICANT.digits, APPLICANT.phone, APPLICANT.address]) {
    assert.ok(!body.includes(personal), `the lookup shows no "${personal}"`);
  }
  assert.equal(await page.getByRole('navigation', { name: L['nav.label'] }).count(), 0, 'no menu signed out');
  await checkAxe(page, 'lookup');

  // A wrong secret is refused in the same words as a wrong code.
  await page.getByLabel(L['lookup.secret'], { exact: true }).fill('not-the-secret');
  await page.getByRole('button', { name: L['lookup.submit'], exact: true }).click();
  await page.getByRole('alert').getByText(L['lookup.not_found']).waitFor();

  // On a phone, by the applicant's phone number, in English.
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto(`${baseUrl}/lookup`);
  await waitHeading(page, L['lookup.title']);
  const E = catalogs.en;
  await page.getByLabel(L['header.language'], { exact: true }).selectOption('en');
  await waitHeading(page, E['lookup.title']);
  await page.getByLabel(E['lookup.code'], { exact: true }).fill(code);
  await page.getByLabel(E['lookup.by_phone'], { exact: true }).check();
  await page.getByLabel(E['lookup.phone'], { exact: true }).fill(APPLICANT.digits);
  await page.getByRole('button', { name: E['lookup.submit'], exact: true }).click();
  await result.waitFor();
  assert.ok((await result.innerText()).includes(E['dossier.state.processing']));
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the lookup does not scroll sideways (by ${overflow}px)`);
  await checkAxe(page, 'lookup (phone, English)');
  await page.getByLabel(E['header.language'], { exact: true }).selectOption('vi');
  await waitHeading(page, L['lookup.title']);

  assert.deepEqual(problems, [], 'no script errors or CSP refusals');
});
