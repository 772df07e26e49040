// Browser test of the one-stop dossier screens against the real server (rig.mjs): the clerk
// of the provincial public-service center (S20) receives a dossier of 1.011441 (registering
// a mortgage of land use rights: the desk's step, two steps at the environment department
// S07, the result at the desk), sees the receipt slip with its QR code and hands the
// dossier over; the officer of S07 finds it in the worklist and asks for papers with a
// reason (each row of the worklist giving the working time left as the API's
// working_minutes_left says); the clerk records them supplied (and a second, stale tab is
// told that somebody acted first); a signed-out visitor looks the dossier up with its code and secret and sees
// its state but no personal data. Then the desk's other outcomes and the printable forms of
// Circular 01/2018/TT-VPCP: the clerk returns a dossier for completion (the reason refused
// empty, nothing typed lost, the papers not ticked added to it) and finds Form 02 with the
// reason's lines, on the desk and on its own page; refuses one and finds Form 03 with the
// reason; receives one of 2.000488, apologises with a new appointment and finds both in
// Form 04; hands it over, finds on the dossier page the hand-over's step due time and the
// step in hand's as the API gives them, and in Form 05 the receipt, the hand-over (units,
// time, the step's due time equal to the event's step_due_local, not late, the apology
// noted) and the step in hand with the dossier's step_due_local; and the log book
// (Form 06) lists every dossier taken in today at the desk, the guided and refused ones with
// their notes. Each form prints alone (no header, menu, heading or button). axe runs on each
// screen; any script error or CSP refusal fails the test.
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

/** The worklist's words for 'minutes' of working time left (null: on hold for papers). */
function leftWords(C, minutes) {
  if (minutes === null) return C['worklist.on_hold'];
  const a = Math.abs(minutes);
  const h = Math.floor(a / 60);
  const m = a % 60;
  const time =
    h && m ? fill(C['worklist.hours_minutes'], { h, m }) : h ? fill(C['worklist.hours'], { h }) : fill(C['worklist.minutes'], { m });
  return fill(C[minutes < 0 ? 'worklist.overdue_by' : 'worklist.left'], { time });
}

/** GET 'path' of the API from the page, with the page's session. */
const apiGet = (page, path) => page.evaluate(async (p) => (await fetch(`/api/v1${p}`)).json(), path);

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
  // Each row's working time left is the API's working_minutes_left in words (give or take the
  // minutes between the page's request and this one).
  const work = (await apiGet(page, '/dossiers/worklist?limit=500')).items;
  const shown = await page
    .locator('table.worklist tbody tr')
    .evaluateAll((trs) => trs.map((tr) => [tr.dataset.code, tr.querySelector('[data-col="left"]').innerText.trim()]));
  assert.deepEqual(shown.map(([c]) => c).sort(), work.map((x) => x.code).sort());
  for (const [c, text] of shown) {
    const left = work.find((x) => x.code === c).working_minutes_left;
    const near = left === null ? [null] : [-2, -1, 0, 1, 2].map((k) => left + k);
    assert.ok(near.some((m) => leftWords(L, m) === text), `${c}: "${text}" for ${left} working minutes left`);
  }
  const mine = work.find((x) => x.code === code).working_minutes_left;
  assert.ok(mine > 0 && mine <= 480, `received today, 8 working hours allowed: ${mine} left`);
  assert.ok((await row.locator('[data-col="left"]').innerText()).startsWith('còn '), 'time left, not overdue');
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

// ---- the desk's other outcomes and the printable forms (Circular 01/2018/TT-VPCP) ----

const GUIDED = { name: 'Trần Thị Hoa', phone: '0987 654 321', address: 'Phường Thành Sen' };
const REFUSED = { name: 'Lê Văn Cường', phone: '0901 234 567' };
const APOLOGY = { name: 'Phạm Thị Mai', phone: '0934 111 222', procedure: '2.000488' };
const REFUSAL_REASON = 'Hồ sơ không thuộc thẩm quyền giải quyết của Trung tâm Phục vụ hành chính công tỉnh';
const APOLOGY_REASON = 'Công an tỉnh chưa trả lời kết quả xác minh lý lịch';
const EXTRA_PAPER = 'Bản sao Căn cước công dân của bên thế chấp';

/** The local "YYYY-MM-DDTHH:MM" of a datetime-local input moved on by 'days' days. */
function daysLater(value, days) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3] + days, +m[4], +m[5]));
  return d.toISOString().slice(0, 16);
}

/** A local "YYYY-MM-DD HH:MM" as Form 05 writes it (forms.date_time: "dd/mm/yyyy HH:MM"). */
const shortWords = (v) =>
  fill(L['forms.date_time'], { date: `${v.slice(8, 10)}/${v.slice(5, 7)}/${v.slice(0, 4)}`, time: v.slice(11, 16) });

/** The slip's words for a local "YYYY-MM-DDTHH:MM" (slip.time). */
const slipWords = (v) =>
  fill(L['slip.time'], { hour: v.slice(11, 13), minute: v.slice(14, 16), day: v.slice(8, 10), month: v.slice(5, 7), year: v.slice(0, 4) });

/** At the desk: the procedure by its exact code, the applicant; the first 'tick' papers. */
async function fillDesk(page, procedure, applicant, tick = 0) {
  const form = page.locator('form.desk-form');
  const picker = form.getByRole('group', { name: L['desk.procedure'], exact: true });
  await picker.getByLabel(L['desk.procedure_find'], { exact: true }).fill(procedure);
  await picker.getByRole('button', { name: L['common.search'], exact: true }).click();
  await form.locator('.procedure-card').waitFor();
  const papers = form.getByRole('group', { name: L['desk.papers'], exact: true }).getByRole('checkbox');
  for (let i = 0; i < tick; i++) await papers.nth(i).check();
  await form.getByLabel(L['desk.applicant_name'], { exact: true }).fill(applicant.name);
  await form.getByLabel(L['desk.applicant_phone'], { exact: true }).fill(applicant.phone);
  if (applicant.address) await form.getByLabel(L['desk.applicant_address'], { exact: true }).fill(applicant.address);
  return form;
}

/** Printed, the form stands alone: no header, no menu, no Print button. */
async function printsAlone(page, form) {
  await page.emulateMedia({ media: 'print' });
  try {
    assert.equal(await page.locator('.site-header').isVisible(), false, 'no header in print');
    assert.equal(await page.getByRole('navigation', { name: L['nav.label'] }).isVisible(), false, 'no menu in print');
    for (const b of await page.locator('main button').all()) assert.equal(await b.isVisible(), false, 'no button in print');
    assert.equal(await page.locator('main h1').isVisible(), false, 'no page heading in print');
    assert.equal(await form.isVisible(), true, 'the form prints');
  } finally {
    await page.emulateMedia({ media: 'screen' });
  }
}

/** The national header every form starts with. */
async function hasNationalHead(form) {
  const text = await form.locator('.slip-head').innerText();
  assert.ok(text.includes(L['slip.country']) && text.includes(L['slip.motto']), text);
  assert.match(text, /ngày \d{2} tháng \d{2} năm \d{4}/);
}

test('the desk returns a dossier for completion and refuses one; forms 02 to 06', { timeout: 240000 }, async () => {
  const { baseUrl, context, problems } = rig;
  const page = await context.newPage();
  const nav = page.getByRole('navigation', { name: L['nav.label'] });
  await page.goto(`${baseUrl}/`);
  await signIn(page, await demoUser('clerk.hcc'), L);
  await nav.getByRole('link', { name: L['nav.desk'], exact: true }).click();
  await waitHeading(page, L['desk.title']);

  // ---- returned for completion: the reason is required, nothing typed is lost ----
  let form = await fillDesk(page, PROCEDURE, GUIDED, 2);
  const outcomes = form.getByRole('group', { name: L['desk.outcome'], exact: true });
  await outcomes.getByLabel(L['desk.outcome.guide'], { exact: true }).check();
  const guide = form.getByRole('button', { name: L['desk.submit.guide'], exact: true });
  await guide.click();
  assert.equal(await fieldError(form, L['desk.reason.guide']), L['desk.reason_required.guide']);
  assert.equal(await form.getByLabel(L['desk.applicant_name'], { exact: true }).inputValue(), GUIDED.name);
  assert.equal(await outcomes.getByLabel(L['desk.outcome.guide'], { exact: true }).isChecked(), true);
  // The two papers not ticked, then one more line typed.
  await form.getByRole('button', { name: fill(L['desk.add_missing'], { n: 2 }), exact: true }).click();
  const reasonBox = form.getByLabel(L['desk.reason.guide'], { exact: true });
  const missing = (await reasonBox.inputValue()).split('\n');
  assert.equal(missing.length, 2);
  await reasonBox.fill([...missing, EXTRA_PAPER].join('\n'));
  await checkAxe(page, 'desk (returned for completion)');
  await guide.click();

  const form02 = page.locator('section[data-form="02"]');
  await form02.waitFor();
  const guidedCode = await form02.getAttribute('data-code');
  assert.match(guidedCode, /^S20-\d{6}-\d{4,}$/);
  await page.getByRole('status').getByText(fill(L['desk.guided'], { code: guidedCode })).waitFor();
  assert.equal(await form02.getByRole('heading', { level: 2 }).innerText(), L['forms.02.title']);
  const lines = [...missing, EXTRA_PAPER];
  assert.deepEqual(await form02.locator('ol.form-reasons > li').allInnerTexts(), lines);
  const text02 = await form02.innerText();
  for (const s of [guidedCode, GUIDED.name, GUIDED.address, PROCEDURE_NAME, L['forms.02.sign']]) {
    assert.ok(text02.includes(s), `Form 02 shows "${s}"`);
  }
  await hasNationalHead(form02);
  assert.ok(!text02.includes(L['slip.secret']), 'no lookup secret for a dossier never received');
  await printsAlone(page, form02);
  await checkAxe(page, 'Form 02 at the desk');

  // The form's own page, from the dossier: the same reason; the dossier offers Form 02 only.
  await page.getByRole('link', { name: fill(L['desk.open_form'], { form: '02' }), exact: true }).click();
  await waitHeading(page, fill(L['forms.page_title'], { form: '02', code: guidedCode }));
  assert.deepEqual(await page.locator('section[data-form="02"] ol.form-reasons > li').allInnerTexts(), lines);
  await printsAlone(page, page.locator('section[data-form="02"]'));
  await checkAxe(page, 'Form 02 page');
  await page.getByRole('link', { name: fill(L['forms.back'], { code: guidedCode }), exact: true }).click();
  await waitHeading(page, fill(L['dossier.page_title'], { code: guidedCode }));
  assert.equal(await stateOf(page), 'incomplete');
  assert.deepEqual(await page.locator('.form-links a').evaluateAll((as) => as.map((a) => a.dataset.form)), ['02']);
  assert.equal(await page.locator('[data-fact="outcome"]').innerText(), L['dossier.outcome.guided']);

  // ---- refused at the desk ----
  await nav.getByRole('link', { name: L['nav.desk'], exact: true }).click();
  await waitHeading(page, L['desk.title']);
  form = await fillDesk(page, PROCEDURE, REFUSED);
  await form.getByLabel(L['desk.outcome.refuse'], { exact: true }).check();
  await form.getByLabel(L['desk.reason.refuse'], { exact: true }).fill(REFUSAL_REASON);
  await form.getByRole('button', { name: L['desk.submit.refuse'], exact: true }).click();
  const form03 = page.locator('section[data-form="03"]');
  await form03.waitFor();
  const refusedCode = await form03.getAttribute('data-code');
  assert.equal(await form03.getByRole('heading', { level: 2 }).innerText(), L['forms.03.title']);
  assert.equal((await form03.locator('[data-reason]').innerText()).trim(), REFUSAL_REASON);
  const text03 = await form03.innerText();
  for (const s of [refusedCode, REFUSED.name, L['slip.applicant_sign'], L['slip.clerk_sign']]) {
    assert.ok(text03.includes(s), `Form 03 shows "${s}"`);
  }
  await hasNationalHead(form03);
  await printsAlone(page, form03);
  await checkAxe(page, 'Form 03 at the desk');

  // ---- received, apologised (Form 04), handed over (Form 05) ----
  await page.getByRole('button', { name: L['desk.another'], exact: true }).click();
  await waitHeading(page, L['desk.title']);
  form = await fillDesk(page, APOLOGY.procedure, APOLOGY, 3);
  await form.getByRole('button', { name: L['desk.receive'], exact: true }).click();
  const slip = page.locator('section.slip');
  await slip.waitFor();
  const code = await slip.getAttribute('data-code');
  await page.getByRole('link', { name: L['desk.open_dossier'], exact: true }).click();
  await waitHeading(page, fill(L['dossier.page_title'], { code }));
  assert.deepEqual(await page.locator('.form-links a').evaluateAll((as) => as.map((a) => a.dataset.form)), ['05']);
  // The desk holds the first step, so the clerk apologises for it.
  const apologise = page.locator('details[data-action="apologise"]');
  await apologise.locator('summary').click();
  await apologise.getByLabel(L['dossier.reason'], { exact: true }).fill(APOLOGY_REASON);
  const when = apologise.getByLabel(L['dossier.new_appointment'], { exact: true });
  const appointment = daysLater(await when.inputValue(), 3);
  await when.fill(appointment);
  await apologise.getByRole('button', { name: L['dossier.submit.apologise'], exact: true }).click();
  await page.getByRole('status').getByText(L['dossier.done.apologise']).waitFor();
  await eventually(async () => (await page.locator('.form-links a').count()) === 2, 'Forms 04 and 05 offered');
  await page.locator('.form-links a[data-form="04"]').click();
  await waitHeading(page, fill(L['forms.page_title'], { form: '04', code }));
  const form04 = page.locator('section[data-form="04"]');
  await form04.waitFor();
  assert.equal(await form04.getByRole('heading', { level: 2 }).innerText(), L['forms.04.title']);
  assert.ok((await form04.locator('[data-reason]').innerText()).includes(APOLOGY_REASON), 'Form 04 gives the reason');
  assert.equal(
    (await form04.locator('[data-form04="appointment"]').innerText()).trim(),
    fill(L['forms.04.appointment'], { time: slipWords(appointment) }),
  );
  assert.ok((await form04.innerText()).includes(fill(L['forms.04.to'], { name: APOLOGY.name })));
  await hasNationalHead(form04);
  await printsAlone(page, form04);
  await checkAxe(page, 'Form 04 page');

  await page.getByRole('link', { name: fill(L['forms.back'], { code }), exact: true }).click();
  await waitHeading(page, fill(L['dossier.page_title'], { code }));
  const handOver = page.locator('button[data-action="hand_over"]');
  await eventually(async () => (await handOver.innerText()).includes('S03'), 'the hand-over names S03');
  await handOver.click();
  await page.getByRole('status').getByText(L['dossier.done.hand_over']).waitFor();
  // The step due times are the server's: the hand-over's recorded one, the step in hand's.
  const handed05 = await apiGet(page, `/dossiers/${encodeURIComponent(code)}`);
  const handEvent = handed05.events.find((e) => e.action === 'hand_over');
  assert.match(handEvent.step_due_local, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
  assert.equal(handEvent.step_late, false, 'handed over at once');
  assert.match(handed05.step_due_local, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
  const timelineDue = page.locator('ol.dossier-timeline > li[data-action="hand_over"] .timeline-due');
  await eventually(
    async () => (await timelineDue.locator('time').getAttribute('datetime')) === handEvent.step_due_at,
    "the timeline's step due time",
  );
  assert.ok((await timelineDue.innerText()).includes(handEvent.step_due_local.slice(11, 16)));
  const timelineMet = await timelineDue.getAttribute('data-step-due');
  assert.ok(['early', 'on_time'].includes(timelineMet), `not late on the timeline (${timelineMet})`);
  await eventually(
    async () => (await page.locator('[data-fact="step_due"] time').getAttribute('datetime')) === handed05.step_due_at,
    "the step in hand's due time",
  );
  await page.locator('.form-links a[data-form="05"]').click();
  await waitHeading(page, fill(L['forms.page_title'], { form: '05', code }));
  const form05 = page.locator('section[data-form="05"]');
  await form05.waitFor();
  assert.equal(await form05.getByRole('heading', { level: 2 }).innerText(), L['forms.05.title']);
  const rows = form05.locator('table.control-table tbody tr');
  assert.deepEqual(await rows.evaluateAll((trs) => trs.map((tr) => tr.dataset.row)), ['receive', 'hand_over', 'current']);
  const handed = rows.nth(1);
  assert.ok((await handed.locator('th').innerText()).startsWith(fill(L['forms.05.row_step'], { n: 1, name: '' }).trim()));
  // The units' names come in as they are read.
  await eventually(async () => /S20/.test(await handed.locator('td').first().innerText()), 'handed over by the desk (S20)');
  const cells = await handed.locator('td').allInnerTexts();
  assert.match(cells[1], /S03/, 'to the Department of Justice');
  assert.match(cells[2], /^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/, 'the time handed over');
  assert.equal(await handed.locator('[data-col="due"]').innerText(), shortWords(handEvent.step_due_local), "the step's due time");
  const onTime = await handed.locator('[data-col="result"]').getAttribute('data-timeliness');
  assert.ok(['early', 'on_time'].includes(onTime), `handed over at once is not late (${onTime})`);
  assert.equal(onTime, timelineMet, 'as the timeline says');
  assert.ok(cells[6].includes(APOLOGY_REASON), 'the apology noted on its step');
  assert.ok((await rows.nth(0).innerText()).includes(APOLOGY.name), 'received from the applicant');
  assert.match(await rows.nth(2).locator('td').nth(0).innerText(), /S03/, 'the step in hand now');
  assert.equal(await rows.nth(2).locator('[data-col="due"]').innerText(), shortWords(handed05.step_due_local), "the step in hand's due time");
  await hasNationalHead(form05);
  await printsAlone(page, form05);
  await checkAxe(page, 'Form 05 page');

  // ---- the log book (Form 06): the day's dossiers, the turned away ones too ----
  await nav.getByRole('link', { name: L['nav.desk'], exact: true }).click();
  await waitHeading(page, L['desk.title']);
  await page.getByRole('link', { name: L['desk.logbook'], exact: true }).click();
  await waitHeading(page, L['logbook.title']);
  const book = page.locator('section[data-form="06"]');
  await book.waitFor();
  const bookRows = book.locator('table.logbook tbody tr[data-code]');
  await eventually(async () => (await bookRows.count()) > 0, 'the log book rows');
  const listed = await bookRows.evaluateAll((trs) => trs.map((tr) => tr.dataset.code));
  for (const c of [guidedCode, refusedCode, code]) assert.ok(listed.includes(c), `the log book lists ${c}`);
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());
  const taken = await page.evaluate(async (d) => {
    const me = await (await fetch('/api/v1/session')).json();
    const r = await fetch(`/api/v1/dossiers?taken=${d}..${d}&unit=${me.user.unit.id}&limit=1000`);
    return (await r.json()).items.map((x) => x.code);
  }, day);
  assert.deepEqual(listed, taken, 'every dossier taken in today, in order');
  const guidedRow = book.locator(`tr[data-code="${guidedCode}"]`);
  assert.equal(await guidedRow.locator('[data-col="note"]').innerText(), L['forms.06.guided']);
  const guidedText = await guidedRow.innerText();
  for (const s of [PROCEDURE_NAME, GUIDED.name, GUIDED.address]) assert.ok(guidedText.includes(s), `the guided row shows "${s}"`);
  assert.equal(await book.locator(`tr[data-code="${refusedCode}"] [data-col="note"]`).innerText(), L['forms.06.refused_desk']);
  assert.ok((await book.locator('thead').innerText()).includes(L['forms.06.col_applicant']));
  await hasNationalHead(book);
  await printsAlone(page, book);
  await checkAxe(page, 'log book');

  await page.close();
  assert.deepEqual(problems, [], 'no script errors or CSP refusals');
});
