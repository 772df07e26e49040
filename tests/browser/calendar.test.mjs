// Browser test of the working calendar page against the real server (rig.mjs): the admin
// opens 2026 (the Government's announcement shipped with Reform) and finds Tết and the
// make-up Saturday in the grid and in the table, works out a due time, then records the
// announcement of 2027 (a year with only the Labour Code's proposal): a make-up day on a
// weekday is refused by that row, the corrected days are saved and the page reports the
// dates that change and the new basis. The secretariat sees the calendar without the admin
// forms. axe runs on the page; any script error or CSP refusal fails the test.
//
// Run from the repository root:  node --test tests/browser/

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startRig, catalogs, demoUser, checkAxe, waitHeading, signIn, signOut, eventually } from './rig.mjs';

const L = catalogs.vi;
const fill = (text, vars) => text.replace(/\{(\w+)\}/g, (whole, k) => (k in vars ? String(vars[k]) : whole));
const SOURCE_2027 = 'Công văn kiểm thử 01/VPCP-KGVX ngày 01/12/2026';

let rig;

before(async () => {
  rig = await startRig();
});

after(async () => {
  if (rig) await rig.stop();
});

/** The error text shown for the field labelled 'label' in 'scope' (by aria-describedby). */
async function fieldError(scope, label) {
  const input = scope.getByLabel(label, { exact: true });
  await eventually(async () => (await input.getAttribute('aria-invalid')) === 'true', `an error on "${label}"`);
  const ids = ((await input.getAttribute('aria-describedby')) || '').split(' ');
  const errId = ids.find((id) => id.endsWith('-error'));
  assert.ok(errId, `"${label}" is described by its error`);
  return (await scope.page().locator(`[id="${errId}"]`).innerText()).trim();
}

/** The error text a row (fieldset) of the announcement form is described by. */
async function rowError(row) {
  const id = await eventually(async () => row.getAttribute('aria-describedby'), 'the row described by its error');
  return (await row.page().locator(`[id="${id}"]`).innerText()).trim();
}

const focusedIs = (locator) => locator.evaluate((el) => el === document.activeElement);

test('the working calendar: the year, the due time, and the admin recording 2027', { timeout: 180000 }, async () => {
  const { baseUrl, context, problems } = rig;
  const page = context.pages()[0] || (await context.newPage());
  const nav = page.getByRole('navigation', { name: L['nav.label'] });
  const cell = (iso) => page.locator(`table.cal-month td[data-date="${iso}"]`);
  const thisYear = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date()).slice(0, 4);

  // ---- the admin opens the calendar (this year by default), then 2026 ----
  await page.goto(`${baseUrl}/`);
  await signIn(page, await demoUser('admin'), L);
  await nav.getByRole('link', { name: L['nav.calendar'], exact: true }).click();
  await waitHeading(page, fill(L['calendar.title_year'], { year: thisYear }));
  await page.getByLabel(L['calendar.year'], { exact: true }).fill('2026');
  await page.getByRole('button', { name: L['calendar.show'], exact: true }).click();
  await waitHeading(page, fill(L['calendar.title_year'], { year: 2026 }));
  assert.equal(new URL(page.url()).searchParams.get('year'), '2026');

  const basis = page.locator('.cal-basis');
  await basis.waitFor();
  assert.equal(await basis.getAttribute('data-basis'), 'shipped');
  assert.equal((await basis.innerText()).trim(), L['calendar.basis_shipped']);
  assert.equal(await page.locator('.cal-working-days').getAttribute('data-count'), '250');

  // The grid: 12 months, Monday-first, Tết on 16 Feb and the make-up Saturday 22 Aug.
  assert.equal(await page.locator('table.cal-month').count(), 12);
  const firstHead = page.locator('table.cal-month').first().locator('thead th').first();
  assert.ok((await firstHead.innerText()).includes(L['calendar.wd_short.mon']), 'weeks start on Monday');
  assert.equal(await cell('2026-02-16').getAttribute('data-status'), 'holiday');
  assert.equal(await cell('2026-08-22').getAttribute('data-status'), 'makeup');
  assert.equal(await cell('2026-08-31').getAttribute('data-status'), 'swap_off');
  assert.equal(await cell('2026-02-13').getAttribute('data-status'), 'work');
  assert.equal(await cell('2026-02-14').getAttribute('data-status'), 'weekend');
  // Each exception day is a link named by its kind, name and lunar date...
  const tet = cell('2026-02-16').getByRole('link');
  const tetName = await tet.getAttribute('aria-label');
  for (const part of ['16/02/2026', L['calendar.kind.holiday'], 'Tết Nguyên đán', '29/12/2025']) {
    assert.ok(tetName.includes(part), `"${tetName}" names ${part}`);
  }
  // ...that takes the keyboard to its row of the table, with the name, lunar date and source.
  await tet.focus();
  await page.keyboard.press('Enter');
  const tetRow = page.locator('tr[id="cal-day-2026-02-16"]');
  await eventually(() => focusedIs(tetRow), 'focus on the row of 16 Feb');
  const tetText = await tetRow.innerText();
  const tetParts = ['16/02/2026', L['calendar.wd.mon'], '29/12/2025', L['calendar.kind.holiday'], 'Tết Nguyên đán'];
  for (const part of [...tetParts, 'Công văn 9859/VPCP-KGVX']) {
    assert.ok(tetText.includes(part), `the row of 16 Feb shows ${part}`);
  }
  assert.equal(await page.locator('tr[id="cal-day-2026-08-22"]').getAttribute('data-kind'), 'makeup');
  assert.equal(await page.locator('table.cal-days tbody tr').count(), 15);
  await checkAxe(page, 'calendar 2026 (admin)');

  // ---- the due time calculator ----
  const due = page.locator('section', { has: page.getByRole('heading', { name: L['calendar.due_title'] }) });
  await due.getByLabel(L['calendar.due_date'], { exact: true }).fill('2026-02-13');
  await due.getByLabel(L['calendar.due_time'], { exact: true }).fill('09:00');
  // Zero hours: the server names the field, shown under it.
  await due.getByLabel(L['calendar.due_unit_hours'], { exact: true }).check();
  await due.getByLabel(L['calendar.due_hours'], { exact: true }).fill('0');
  await due.getByRole('button', { name: L['calendar.due_submit'] }).click();
  assert.equal(await fieldError(due, L['calendar.due_hours']), L['field_error.hours.format']);
  await due.getByLabel(L['calendar.due_unit_days'], { exact: true }).check();
  await due.getByLabel(L['calendar.due_days'], { exact: true }).fill('3');
  await due.getByRole('button', { name: L['calendar.due_submit'] }).click();
  const answer = due.locator('.cal-due[data-due="2026-02-25 17:00"]');
  await answer.waitFor();
  assert.equal(
    (await answer.innerText()).trim(),
    fill(L['calendar.due_result'], { time: '17:00', weekday: L['calendar.wd.wed'], date: '25/02/2026' }),
  );

  // ---- 2027 has no announcement: the admin records one ----
  await page.getByRole('link', { name: fill(L['calendar.next_year'], { year: 2027 }), exact: true }).click();
  await waitHeading(page, fill(L['calendar.title_year'], { year: 2027 }));
  await page.locator('.cal-basis[data-basis="proposal"]').waitFor();
  assert.equal((await basis.innerText()).trim(), L['calendar.basis_proposal']);
  const edit = page.locator('section', {
    has: page.getByRole('heading', { name: fill(L['calendar.edit_title'], { year: 2027 }) }),
  });
  const rows = edit.locator('fieldset.cal-row');
  const row = (n) => edit.getByRole('group', { name: fill(L['calendar.row'], { n }), exact: true });
  const n0 = await rows.count();
  assert.equal(n0, await page.locator('table.cal-days tbody tr').count(), 'the form starts from the year as shown');
  const addRow = edit.getByRole('button', { name: L['calendar.add_row'], exact: true });

  // A row added and removed again: focus follows.
  await addRow.click();
  assert.equal(await rows.count(), n0 + 1);
  const dateOf = (n) => row(n).getByLabel(L['calendar.col_date'], { exact: true });
  await eventually(() => focusedIs(dateOf(n0 + 1)), 'focus on the new row');
  const removeName = `${L['calendar.remove_row']} ${fill(L['calendar.row'], { n: n0 + 1 })}`;
  await row(n0 + 1).getByRole('button', { name: removeName, exact: true }).click();
  assert.equal(await rows.count(), n0);
  await eventually(() => focusedIs(dateOf(n0)), 'focus on the row before');

  // A make-up day on a Friday and no announcement source: both refused, each by its field.
  await addRow.click();
  const swap = row(n0 + 1);
  await swap.getByLabel(L['calendar.col_date'], { exact: true }).fill('2027-09-03');
  await swap.getByLabel(L['calendar.col_kind'], { exact: true }).selectOption('makeup');
  await swap.getByLabel(L['calendar.col_name'], { exact: true }).fill('Nghỉ hoán đổi');
  await swap.getByLabel(L['calendar.source'], { exact: true }).fill(SOURCE_2027);
  await edit.getByRole('button', { name: L['calendar.save'], exact: true }).click();
  await edit.getByRole('alert').getByText(L['error.check_fields']).waitFor();
  assert.equal(await fieldError(edit, L['calendar.announcement_source']), L['field_error.source.required']);
  assert.equal(await rowError(swap), L['calendar.invalid.makeup_weekday']);
  assert.equal(await edit.locator('fieldset.cal-row.has-error').count(), 1, 'only that row is marked');
  assert.equal(await page.locator('.cal-basis[data-basis="proposal"]').count(), 1, 'nothing was recorded');

  // Corrected: the Friday is swapped for the Saturday after it.
  await edit.getByLabel(L['calendar.announcement_source'], { exact: true }).fill(SOURCE_2027);
  await swap.getByLabel(L['calendar.col_kind'], { exact: true }).selectOption('swap_off');
  await addRow.click();
  const makeup = row(n0 + 2);
  // A new row takes the announcement's source.
  assert.equal(await makeup.getByLabel(L['calendar.source'], { exact: true }).inputValue(), SOURCE_2027);
  await makeup.getByLabel(L['calendar.col_date'], { exact: true }).fill('2027-09-11');
  await makeup.getByLabel(L['calendar.col_kind'], { exact: true }).selectOption('makeup');
  await makeup.getByLabel(L['calendar.col_name'], { exact: true }).fill('Làm bù cho ngày 03/09/2027');
  await edit.getByRole('button', { name: L['calendar.save'], exact: true }).click();

  const changes = page.locator('.cal-changes');
  await changes.waitFor();
  assert.equal(await page.locator('.cal-saved').getAttribute('role'), 'status', 'announced politely');
  const changesText = await changes.innerText();
  assert.ok(changesText.includes(fill(L['calendar.saved'], { year: 2027 })), changesText);
  assert.ok(changesText.includes(fill(L['calendar.changes_many'], { count: 2 })), changesText);
  const item = (date, was, now, weekday) =>
    fill(L['calendar.change_item'], {
      date,
      weekday: L[`calendar.wd.${weekday}`],
      was: L[`calendar.day_state.${was}`],
      now: L[`calendar.day_state.${now}`],
    });
  const change = async (iso) => (await changes.locator(`li[data-date="${iso}"]`).innerText()).trim();
  assert.equal(await change('2027-09-03'), item('03/09/2027', 'working', 'off', 'fri'));
  assert.equal(await change('2027-09-11'), item('11/09/2027', 'off', 'working', 'sat'));
  assert.equal(await changes.locator('li').count(), 2);

  // The page shows the recorded year.
  await page.locator('.cal-basis[data-basis="recorded"]').waitFor();
  assert.ok((await basis.innerText()).includes(SOURCE_2027));
  assert.equal(await cell('2027-09-03').getAttribute('data-status'), 'swap_off');
  assert.equal(await cell('2027-09-11').getAttribute('data-status'), 'makeup');
  assert.equal(await page.locator('.cal-working-days').getAttribute('data-count'), '250');
  assert.equal(await page.locator('table.cal-days tbody tr').count(), n0 + 2);
  assert.equal(await rows.count(), n0 + 2, 'the form now holds the recorded days');
  assert.equal(await edit.getByLabel(L['calendar.announcement_source'], { exact: true }).inputValue(), SOURCE_2027);
  await checkAxe(page, 'calendar 2027 after recording (admin)');

  // The working hours form names the fields it refuses.
  const hoursHeading = page.getByRole('heading', { name: L['calendar.hours_title'], exact: true });
  const hours = page.locator('section', { has: hoursHeading });
  await hours.getByLabel(L['calendar.hours_periods'], { exact: true }).fill('7-11');
  await hours.getByRole('button', { name: L['calendar.hours_submit'] }).click();
  assert.equal(await fieldError(hours, L['calendar.hours_from_label']), L['field_error.from.date']);
  assert.equal(await fieldError(hours, L['calendar.hours_periods']), L['field_error.periods.format']);
  await signOut(page, L);

  // ---- the secretariat reads the calendar, without the admin's forms ----
  await signIn(page, await demoUser('secretariat'), L);
  await nav.getByRole('link', { name: L['nav.calendar'], exact: true }).click();
  await waitHeading(page, fill(L['calendar.title_year'], { year: thisYear }));
  await page.goto(`${baseUrl}/calendar?year=2027`);
  await waitHeading(page, fill(L['calendar.title_year'], { year: 2027 }));
  await page.locator('.cal-basis[data-basis="recorded"]').waitFor();
  assert.equal(await cell('2027-09-11').getAttribute('data-status'), 'makeup');
  assert.equal(await page.getByRole('heading', { name: fill(L['calendar.edit_title'], { year: 2027 }) }).count(), 0);
  assert.equal(await page.getByRole('heading', { name: L['calendar.hours_title'], exact: true }).count(), 0);
  assert.equal(await page.locator('form fieldset.cal-row').count(), 0);
  await page.getByRole('heading', { name: L['calendar.due_title'] }).waitFor();

  // In English the weekday headers and kinds follow the catalog.
  await page.getByLabel(L['header.language']).selectOption('en');
  const E = catalogs.en;
  await waitHeading(page, fill(E['calendar.title_year'], { year: 2027 }));
  const heads = await page.locator('table.cal-month').first().locator('thead th').allInnerTexts();
  assert.ok(heads[0].includes(E['calendar.wd_short.mon']), heads.join(','));
  assert.ok(heads[6].includes(E['calendar.wd_short.sun']), heads.join(','));
  assert.ok((await page.locator('tr[id="cal-day-2027-09-11"]').innerText()).includes(E['calendar.kind.makeup']));
  await page.getByLabel(E['header.language']).selectOption('vi');
  await waitHeading(page, fill(L['calendar.title_year'], { year: 2027 }));

  // On a phone the page does not scroll sideways (the table scrolls in its own region).
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto(`${baseUrl}/calendar?year=2026`);
  await waitHeading(page, fill(L['calendar.title_year'], { year: 2026 }));
  await page.locator('table.cal-days').waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the calendar does not scroll sideways (by ${overflow}px)`);
  await checkAxe(page, 'calendar 2026 (secretariat, phone)');

  assert.deepEqual(problems, [], 'no script errors or CSP refusals');
});
