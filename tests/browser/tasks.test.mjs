// Browser test of the task screens against the real server (rig.mjs): the secretariat
// registers a document with two tasks, one of which will be late; the focal point of the
// lead unit reports progress and completes that task after its deadline; the chairman
// reads the dashboard for the period as of two dates, sees the figures move, and opens a
// figure's link to the filtered task list. axe runs on the task list, the task page, the
// document page and the dashboard; any script error or CSP refusal fails the test.
//
// Run from the repository root:  node --test tests/browser/

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startRig, catalogs, demoUser, checkAxe, waitHeading, signIn, signOut, eventually } from './rig.mjs';

// 2022 has no demo tasks, so the figures of its first half are exactly this test's.
const ISSUED = '2022-03-01';
const LATE_DEADLINE = '2022-04-30';
const LATE_DONE = '2022-05-16'; // after the deadline: done late
const LATER_DEADLINE = '2022-12-31';
const BEFORE_DONE = '2022-05-10'; // the late task is overdue then
const HALF_END = '2022-06-30';

const L = catalogs.vi;
const rate = (n) =>
  L['common.percent'].replace(
    '{value}',
    new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(n),
  );

let rig;

before(async () => {
  rig = await startRig();
});

after(async () => {
  if (rig) await rig.stop();
});

/** The ids of the problems (error texts) of the field labelled 'label' in 'scope'. */
async function fieldError(scope, label) {
  const input = scope.getByLabel(label, { exact: true });
  await eventually(async () => (await input.getAttribute('aria-invalid')) === 'true', `an error on "${label}"`);
  const ids = ((await input.getAttribute('aria-describedby')) || '').split(' ');
  const errId = ids.find((id) => id.endsWith('-error'));
  assert.ok(errId, `"${label}" is described by its error`);
  return (await scope.page().locator(`[id="${errId}"]`).innerText()).trim();
}

async function chooseUnit(form, legend, code) {
  const picker = form.getByRole('group', { name: legend, exact: true });
  await picker.getByLabel(L['user.unit_find'], { exact: true }).fill(code);
  await picker.getByRole('button', { name: L['common.search'], exact: true }).click();
  await eventually(async () => (await picker.locator('.chosen').innerText()).includes(code), `unit ${code} chosen`);
}

async function figure(page, name) {
  return (await page.locator(`[data-figure="${name}"] .figure-value`).innerText()).trim();
}

test('a document with two tasks, a late completion, and the dashboard that counts it', { timeout: 120000 }, async () => {
  const { baseUrl, context, problems } = rig;
  const page = context.pages()[0] || (await context.newPage());
  const nav = page.getByRole('navigation', { name: L['nav.label'] });
  const stamp = Date.now() % 1000000;
  const number = `${stamp}/NQ-CP`;

  // ---- the secretariat registers the document and its tasks ----
  await page.goto(`${baseUrl}/`);
  await signIn(page, await demoUser('secretariat'), L);
  for (const key of ['nav.dashboard', 'nav.tasks', 'nav.documents']) {
    await nav.getByRole('link', { name: L[key], exact: true }).waitFor();
  }
  await nav.getByRole('link', { name: L['nav.documents'], exact: true }).click();
  await waitHeading(page, L['documents.title']);
  await page.getByRole('link', { name: L['documents.add'], exact: true }).click();
  await waitHeading(page, L['documents.add']);
  const docForm = page.locator('main form');
  // An empty form: each field shows the server's error for it.
  await docForm.getByRole('button', { name: L['documents.add_submit'] }).click();
  assert.equal(await fieldError(docForm, L['document.number']), L['field_error.number.required']);
  assert.equal(await fieldError(docForm, L['document.issued_on']), L['field_error.issued_on.required']);
  assert.equal(await fieldError(docForm, L['document.assigning_body']), L['field_error.assigning_body.required']);
  await docForm.getByLabel(L['document.number'], { exact: true }).fill(number);
  await docForm.getByLabel(L['document.issuer'], { exact: true }).fill('Chính phủ');
  await docForm.getByLabel(L['document.issued_on'], { exact: true }).fill(ISSUED);
  await docForm.getByLabel(L['document.title_label'], { exact: true }).fill(`Nghị quyết kiểm thử ${stamp}`);
  await docForm.getByLabel(L['document.assigning_body'], { exact: true }).selectOption('government');
  await docForm.getByRole('button', { name: L['documents.add_submit'] }).click();
  await waitHeading(page, number);
  const docUrl = new URL(page.url());
  assert.match(docUrl.pathname, /^\/documents\/\d+$/);
  const docId = docUrl.pathname.split('/').pop();

  const taskForm = page.locator('form', { has: page.getByRole('button', { name: L['document.add_task_submit'] }) });
  const submitTask = taskForm.getByRole('button', { name: L['document.add_task_submit'] });
  // A task without title, lead unit or field: three field errors, nothing written.
  await submitTask.click();
  assert.ok((await fieldError(taskForm, L['task.title'])).length > 0);
  assert.equal(await fieldError(taskForm, L['task.field']), L['field_error.field.required']);
  const tasks = [
    { title: `Nhiệm vụ kiểm thử trễ hạn ${stamp}`, field: 'procedures', deadline: LATE_DEADLINE },
    { title: `Nhiệm vụ kiểm thử trong hạn ${stamp}`, field: 'digital_government', deadline: LATER_DEADLINE },
  ];
  for (const [i, task] of tasks.entries()) {
    await taskForm.getByLabel(L['task.title'], { exact: true }).fill(task.title);
    await chooseUnit(taskForm, L['task.lead_unit'], 'S03');
    if (i === 0) {
      // Sở Tài chính coordinates the first task.
      const coord = taskForm.getByRole('group', { name: L['task.coordinating_optional'], exact: true });
      await coord.getByLabel(L['user.unit_find'], { exact: true }).fill('S04');
      await coord.getByRole('button', { name: L['common.search'], exact: true }).click();
      await taskForm.locator('ul.chips').getByText('S04').waitFor();
    }
    await taskForm.getByLabel(L['task.field'], { exact: true }).selectOption(task.field);
    await taskForm.getByLabel(L['task.deadline_optional'], { exact: true }).fill(task.deadline);
    await submitTask.click();
    await page.getByRole('status').getByText(L['document.task_added'].replace('{title}', task.title)).waitFor();
    await page.locator('table.tasks').getByRole('link', { name: task.title }).waitFor();
  }
  assert.equal(await page.locator('table.tasks tbody tr').count(), 2);
  await checkAxe(page, 'document');
  await signOut(page, L);

  // ---- the focal point of Sở Tư pháp reports progress and completes the first task late ----
  await signIn(page, await demoUser('focal.stp'), L);
  await nav.getByRole('link', { name: L['nav.tasks'], exact: true }).click();
  await waitHeading(page, L['tasks.title']);
  await page.getByLabel(L['tasks.text'], { exact: true }).fill(String(stamp));
  await page.getByRole('button', { name: L['tasks.apply'], exact: true }).click();
  await page.waitForURL((url) => url.searchParams.get('q') === String(stamp));
  const rows = page.locator('table.tasks tbody tr');
  await eventually(async () => (await rows.count()) === 2, 'the two tasks in the list');
  await checkAxe(page, 'task list');
  await rows.getByRole('link', { name: tasks[0].title }).click();
  await waitHeading(page, tasks[0].title);

  const reportForm = page.locator('section', { has: page.getByRole('heading', { name: L['task.report_title'] }) });
  await reportForm.getByLabel(L['task.reported_on'], { exact: true }).fill('2022-04-20');
  await reportForm.getByLabel(L['task.percent_label'], { exact: true }).fill('150');
  await reportForm.getByLabel(L['task.note'], { exact: true }).fill('Đã dự thảo kế hoạch');
  await reportForm.getByRole('button', { name: L['task.report_submit'] }).click();
  assert.equal(await fieldError(reportForm, L['task.percent_label']), L['field_error.percent.range']);
  await reportForm.getByLabel(L['task.percent_label'], { exact: true }).fill('60');
  await reportForm.getByRole('button', { name: L['task.report_submit'] }).click();
  await page.getByRole('status').getByText(L['task.reported']).waitFor();
  const timeline = page.locator('ol.timeline li');
  await timeline.first().waitFor();
  assert.match(await timeline.first().innerText(), /20\/04\/2022[\s\S]*S03[\s\S]*60%[\s\S]*Đã dự thảo kế hoạch/);

  const completeForm = page.locator('section', { has: page.getByRole('heading', { name: L['task.complete_title'] }) });
  await completeForm.getByLabel(L['task.completed_on'], { exact: true }).fill(LATE_DONE);
  await completeForm.getByRole('button', { name: L['task.complete_submit'] }).click();
  await page.getByRole('status').getByText(L['task.completed_done']).waitFor();
  await page.locator('.status-line .status-done_late').waitFor();
  const facts = await page.locator('dl.facts').innerText();
  assert.match(facts, /16\/05\/2022/);
  assert.match(facts, /S04/, 'the coordinating unit');
  assert.match(facts, /30\/04\/2022/);
  // The deadline history holds the deadline of the assignment.
  assert.match(await page.locator('table.deadlines tbody').innerText(), /01\/03\/2022[\s\S]*30\/04\/2022/);
  // The status on a chosen date: before completion it was overdue.
  await page.getByLabel(L['task.status_date'], { exact: true }).fill(BEFORE_DONE);
  await page.getByRole('button', { name: L['task.status_show'], exact: true }).click();
  await page.locator('.status-line .status-overdue').waitFor();
  await checkAxe(page, 'task');
  await signOut(page, L);

  // ---- the chairman reads the dashboard for the first half of 2022 ----
  await signIn(page, await demoUser('chairman'), L);
  await nav.getByRole('link', { name: L['nav.dashboard'], exact: true }).click();
  await waitHeading(page, L['dashboard.title']);
  const picker = page.locator('form.period-picker');
  await picker.getByLabel(L['dashboard.period_kind'], { exact: true }).selectOption('half');
  await picker.getByLabel(L['dashboard.year'], { exact: true }).fill('2022');
  await picker.getByLabel(L['dashboard.half'], { exact: true }).selectOption('1');
  await picker.getByLabel(L['dashboard.as_of'], { exact: true }).fill(BEFORE_DONE);
  await picker.getByRole('button', { name: L['dashboard.show'] }).click();
  const board = page.locator(`.dashboard[data-period="2022-H1"][data-as-of="${BEFORE_DONE}"]`);
  await board.waitFor();
  assert.equal(await figure(page, 'assigned'), '2');
  assert.equal(await figure(page, 'completed'), '0');
  assert.equal(await figure(page, 'overdue'), '1');
  assert.equal(await figure(page, 'done_late'), '0');

  // As of the half's end the late completion counts: 1 of 2 assigned, 1 of 1 due.
  await picker.getByLabel(L['dashboard.as_of'], { exact: true }).fill(HALF_END);
  await picker.getByRole('button', { name: L['dashboard.show'] }).click();
  await page.locator(`.dashboard[data-period="2022-H1"][data-as-of="${HALF_END}"]`).waitFor();
  assert.equal(await figure(page, 'assigned'), '2');
  assert.equal(await figure(page, 'completed'), '1');
  assert.equal(await figure(page, 'done_late'), '1');
  assert.equal(await figure(page, 'done_on_time'), '0');
  assert.equal(await figure(page, 'in_progress'), '1');
  assert.equal(await figure(page, 'overdue'), '0');
  assert.equal(await figure(page, 'due'), '1');
  assert.equal(await figure(page, 'completion_rate'), rate(50));
  assert.equal(await figure(page, 'due_completion_rate'), rate(100));
  // The charts are drawn, each with its numbers as text.
  const canvases = page.locator('.dashboard canvas[role="img"]');
  await eventually(async () => (await canvases.count()) === 3, 'three charts');
  const byBody = await canvases.nth(0).getAttribute('aria-label');
  assert.ok(byBody.includes(`${L['body.government']}: 2`), byBody);
  await checkAxe(page, 'dashboard');

  // The "done late" figure opens the list of exactly that task.
  await page.locator('[data-figure="done_late"] a').click();
  await waitHeading(page, L['tasks.title']);
  const url = new URL(page.url());
  assert.equal(url.pathname, '/tasks');
  assert.equal(url.searchParams.get('status'), 'done_late');
  assert.equal(url.searchParams.get('date'), HALF_END);
  assert.equal(url.searchParams.get('assigned_from'), '2022-01-01');
  assert.equal(url.searchParams.get('assigned_to'), HALF_END);
  await eventually(async () => (await rows.count()) === 1, 'one late task');
  await rows.getByRole('link', { name: tasks[0].title }).waitFor();
  await rows.locator('.status-done_late').waitFor();

  // A chart's table links by assigning body: the Government's task in progress.
  await page.goBack();
  await page.locator(`.dashboard[data-as-of="${HALF_END}"]`).waitFor();
  const bodyPanel = page.locator('section', { has: page.getByRole('heading', { name: L['chart.by_body'] }) });
  await bodyPanel.locator('summary').click();
  await bodyPanel.locator('tr[data-key="government"] td[data-status="in_progress"] a').click();
  await waitHeading(page, L['tasks.title']);
  assert.equal(new URL(page.url()).searchParams.get('assigning_body'), 'government');
  await eventually(async () => (await rows.count()) === 1, 'one task in progress');
  await rows.getByRole('link', { name: tasks[1].title }).waitFor();

  // The document page lists both tasks for a reader too.
  await page.goto(`${baseUrl}/documents/${docId}`);
  await waitHeading(page, number);
  assert.equal(await page.locator('table.tasks tbody tr').count(), 2);
  assert.equal(await page.getByRole('heading', { name: L['document.add_task'] }).count(), 0);

  // On a phone the dashboard does not scroll sideways.
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto(`${baseUrl}/dashboard?period=2022-H1&as_of=${HALF_END}`);
  await page.locator(`.dashboard[data-as-of="${HALF_END}"]`).waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the dashboard does not scroll sideways (by ${overflow}px)`);

  assert.deepEqual(problems, [], 'no script errors or CSP refusals');
});
