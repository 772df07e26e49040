// Reform tasks over HTTP: the secretariat registers documents and the tasks
// they assign; focal points report and complete for their own units; the
// status of a task on a date; the steering committee's figures.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, signedIn, assertProblem } from './lib.mjs';

const OLD = '2023-06-30'; // the three-level tree, when Thành phố Hà Tĩnh (436) existed
const NOWHERE = 999999;
// today in Asia/Ho_Chi_Minh (UTC+7, no daylight saving), as the server counts it
const dayOf = (ms) => new Date(ms + 7 * 3600e3).toISOString().slice(0, 10);
const TODAY = dayOf(Date.now());
const IN_60_DAYS = dayOf(Date.now() + 60 * 86400e3);

// A rate in basis points rounded half up, formatted with two decimals, like the server.
function rate(num, den) {
  if (!den || !num) return '0.00';
  const bp = (BigInt(num) * 20000n + BigInt(den)) / (2n * BigInt(den));
  return `${bp / 100n}.${String(bp % 100n).padStart(2, '0')}`;
}

let srv, sec, admin, stp, sonkim, tranphu, leader;
const id = {}; // unit ids by code
let seq = 0;
const uniq = (p) => `${p}-${process.pid}-${++seq}`;

before(async () => {
  srv = await startServer();
  [sec, admin, stp, sonkim, tranphu, leader] = await Promise.all(
    ['secretariat', 'admin', 'focal.stp', 'focal.sonkim1', 'focal.tranphu', 'chairman'].map((u) => signedIn(srv.base, u)));
  for (const q of [`date=${OLD}&limit=1000`, 'limit=1000']) {
    const r = await admin.get(`/api/v1/units?${q}`);
    assert.equal(r.status, 200, r.text);
    for (const u of r.json.items) id[u.code] ??= u.id;
  }
  for (const code of ['42', 'S03', 'S04', 'S05', '436', '439', '18070', '18196', '18145', '18214', '18073-2025'])
    assert.ok(id[code], `demo unit ${code} is missing`);
});
after(async () => { await srv?.stop(); });

async function newDocument(over = {}) {
  const r = await sec.post('/api/v1/documents', {
    number: uniq('01/KH-UBND'), issuer: 'UBND tỉnh Hà Tĩnh', issued_on: '2023-01-05',
    title: 'Kế hoạch cải cách hành chính năm 2023', assigning_body: 'people_committee', ...over,
  });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

// POST /tasks as the secretariat; resolves the created task's detail.
async function newTask(doc, over = {}) {
  const r = await sec.post('/api/v1/tasks', {
    document_id: doc.id, title: uniq('Nhiệm vụ'), field: 'procedures', lead_unit_id: id.S03,
    assigned_on: '2023-01-10', deadline: '2023-06-30', ...over,
  });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

const taskCount = () => Number(srv.db.sql('SELECT COUNT(*) FROM tasks'));
const state = () => srv.db.sql('SELECT (SELECT COUNT(*) FROM tasks), (SELECT COUNT(*) FROM task_units),' +
  ' (SELECT COUNT(*) FROM documents), (SELECT COUNT(*) FROM audit), (SELECT seq FROM audit_head), (SELECT hash FROM audit_head)');

describe('documents', () => {
  test('the secretariat registers a document (201) and reads it back', async () => {
    const number = uniq('01/NQ-CP');
    const r = await sec.post('/api/v1/documents', {
      number, issuer: 'Chính phủ', issued_on: '2023-01-06', title: 'Về nhiệm vụ, giải pháp chủ yếu năm 2023', assigning_body: 'government',
    });
    assert.equal(r.status, 201, r.text);
    assert.match(r.headers.get('content-type'), /^application\/json/);
    assert.deepEqual(Object.keys(r.json).sort(), ['assigning_body', 'id', 'issued_on', 'issuer', 'number', 'tasks', 'title']);
    assert.equal(r.json.number, number);
    assert.equal(r.json.issued_on, '2023-01-06');
    assert.equal(r.json.assigning_body, 'government');
    assert.equal(r.json.tasks, 0);
    const g = await stp.get(`/api/v1/documents/${r.json.id}`); // every role reads documents
    assert.equal(g.status, 200, g.text);
    assert.deepEqual(g.json, r.json);
    const l = await sec.get(`/api/v1/documents?q=${encodeURIComponent(number.toLowerCase())}`);
    assert.equal(l.status, 200, l.text);
    assert.deepEqual(l.json, { items: [r.json], next: null });
    assertProblem(assert, await sec.get(`/api/v1/documents/${NOWHERE}`), 404);
  });

  test('a duplicate number is 409 naming number and writes nothing', async () => {
    const d = await newDocument();
    const s0 = state();
    const r = await sec.post('/api/v1/documents', {
      number: d.number, issuer: 'Khác', issued_on: '2023-02-01', title: 'Trùng số', assigning_body: 'chairman',
    });
    assertProblem(assert, r, 409, 'number');
    assert.equal(state(), s0);
  });

  test('missing fields are 422 naming each of them', async () => {
    const s0 = state();
    const r = await sec.post('/api/v1/documents', {});
    assertProblem(assert, r, 422);
    assert.deepEqual(r.json.errors.map((e) => e.field).sort(), ['assigning_body', 'issued_on', 'issuer', 'number', 'title']);
    assert.ok(r.json.errors.every((e) => e.code === 'required'), r.text);
    assert.equal(state(), s0);
  });

  test('an unknown field is 400, a field of the wrong type 400', async () => {
    const s0 = state();
    let r = await sec.post('/api/v1/documents', {
      number: uniq('X'), issuer: 'X', issued_on: '2023-01-01', title: 'X', assigning_body: 'government', colour: 'red',
    });
    assertProblem(assert, r, 400, 'colour');
    r = await sec.post('/api/v1/documents', { number: 12, issuer: 'X', issued_on: '2023-01-01', title: 'X', assigning_body: 'government' });
    assertProblem(assert, r, 400, 'number');
    assert.equal(state(), s0);
  });

  test('a bad date is 422 naming issued_on; a bad assigning body 422 naming assigning_body', async () => {
    const s0 = state();
    for (const issued_on of ['2023-02-30', '06/01/2023', '2023-1-6']) {
      const r = await sec.post('/api/v1/documents', {
        number: uniq('X'), issuer: 'X', issued_on, title: 'X', assigning_body: 'government',
      });
      assertProblem(assert, r, 422, 'issued_on');
    }
    const r = await sec.post('/api/v1/documents', {
      number: uniq('X'), issuer: 'X', issued_on: '2023-01-01', title: 'X', assigning_body: 'national_assembly',
    });
    assertProblem(assert, r, 422, 'assigning_body');
    assert.equal(r.json.errors[0].code, 'enum');
    assert.equal(state(), s0);
  });

  test('a focal point, a leader and an admin cannot register documents (403)', async () => {
    const s0 = state();
    for (const c of [stp, sonkim, leader, admin]) {
      const r = await c.post('/api/v1/documents', {
        number: uniq('X'), issuer: 'X', issued_on: '2023-01-01', title: 'X', assigning_body: 'government',
      });
      assertProblem(assert, r, 403);
    }
    assert.equal(state(), s0);
  });
});

describe('creating tasks', () => {
  let doc;
  before(async () => { doc = await newDocument(); });

  test('POST /tasks creates one task (201) with its detail', async () => {
    const r = await sec.post('/api/v1/tasks', {
      document_id: doc.id, ref: uniq('KH-1'), title: 'Rà soát thủ tục hành chính lĩnh vực tư pháp',
      lead_unit_id: id.S03, coordinating_units: [id.S05, id.S04], field: 'procedures',
      assigned_on: '2023-01-10', deadline: '2023-06-30',
    });
    assert.equal(r.status, 201, r.text);
    const t = r.json;
    assert.equal(t.document_id, doc.id);
    assert.equal(t.document_number, doc.number);
    assert.equal(t.assigning_body, 'people_committee'); // the document's, when not given
    assert.equal(t.lead_unit_id, id.S03);
    assert.equal(t.lead_unit_code, 'S03');
    assert.equal(t.field, 'procedures');
    assert.equal(t.assigned_on, '2023-01-10');
    assert.equal(t.deadline, '2023-06-30');
    assert.equal(t.completed_on, null);
    assert.equal(t.percent, 0);
    assert.equal(t.date, TODAY);
    assert.equal(t.status, 'overdue');
    assert.equal(t.due, true);
    assert.deepEqual(t.deadlines, [{ set_on: '2023-01-10', deadline: '2023-06-30', reason: '' }]);
    assert.deepEqual(t.coordinating_units.map((u) => u.code).sort(), ['S04', 'S05']);
    assert.deepEqual(t.reports, []);
    const g = await sec.get(`/api/v1/tasks/${t.id}`);
    assert.equal(g.status, 200);
    assert.deepEqual(g.json, t);
    assert.equal((await sec.get(`/api/v1/documents/${doc.id}`)).json.tasks, 1);
    // a task without assigned_on is assigned on its document's date, without deadline a standing task
    const s = await newTask(doc, { assigned_on: undefined, deadline: undefined, assigning_body: 'chairman' });
    assert.equal(s.assigned_on, doc.issued_on);
    assert.equal(s.deadline, null);
    assert.equal(s.status, 'no_deadline');
    assert.equal(s.due, false);
    assert.equal(s.assigning_body, 'chairman');
    assert.deepEqual(s.deadlines, [{ set_on: doc.issued_on, deadline: null, reason: '' }]);
    // the answer to a creation is written from memory: it must equal a read of the task
    assert.deepEqual((await sec.get(`/api/v1/tasks/${s.id}`)).json, s);
  });

  test('forty tasks at once on a server of two threads are all answered, each as read back, each with its deadline and audit record', async () => {
    const two = await startServer({ args: ['--threads', '2'] });
    try {
      const s2 = await signedIn(two.base, 'secretariat');
      const d = await s2.post('/api/v1/documents', {
        number: uniq('02/KH-UBND'), issuer: 'UBND tỉnh Hà Tĩnh', issued_on: '2023-01-05',
        title: 'Kế hoạch số hóa', assigning_body: 'people_committee',
      });
      assert.equal(d.status, 201, d.text);
      // titles with what an array's text escapes: quotes, backslashes, braces, commas, "NULL"
      const titles = Array.from({ length: 40 }, (_, i) => (i % 4 === 0 ? 'NULL' : `Nhiệm vụ "${i}" \\ {a,b}, ${i}`));
      const all = await Promise.all(titles.map((title, i) => s2.post('/api/v1/tasks', {
        document_id: d.json.id, title, field: 'procedures', lead_unit_id: i % 2 ? id.S03 : id.S05,
        assigned_on: '2023-01-10', ...(i % 3 ? { deadline: '2023-06-30' } : {}),
      })));
      for (const r of all) assert.equal(r.status, 201, r.text);
      assert.equal(new Set(all.map((r) => r.json.id)).size, 40);
      for (const [i, r] of all.entries()) {
        assert.equal(r.json.title, titles[i]);
        assert.deepEqual((await s2.get(`/api/v1/tasks/${r.json.id}`)).json, r.json);
      }
      const ids = all.map((r) => r.json.id).join(',');
      assert.equal(Number(two.db.sql(`SELECT COUNT(*) FROM task_deadlines WHERE task_id IN (${ids})`)), 40);
      assert.equal(Number(two.db.sql(`SELECT COUNT(*) FROM audit WHERE entity = 'task' AND action = 'create' AND entity_id IN (${all.map((r) => `'${r.json.id}'`).join(',')})`)), 40);
    } finally {
      await two.stop();
    }
  });

  test('POST /documents/{id}/tasks creates all the tasks in one go (201 {ids})', async () => {
    const d = await newDocument();
    const n0 = taskCount();
    const r = await sec.post(`/api/v1/documents/${d.id}/tasks`, {
      tasks: [
        { title: 'Nhiệm vụ một', lead_unit_id: id.S03, field: 'institutions', deadline: '2023-03-31' },
        { title: 'Nhiệm vụ hai', lead_unit_id: id.S04, coordinating_units: [id.S03], field: 'public_finance', assigned_on: '2023-02-01' },
        { title: 'Nhiệm vụ ba', lead_unit_id: id['18070'], field: 'digital_government', assigning_body: 'steering_committee', deadline: '2023-12-31' },
      ],
    });
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(Object.keys(r.json), ['ids']);
    assert.equal(r.json.ids.length, 3);
    assert.equal(taskCount(), n0 + 3);
    const l = await sec.get(`/api/v1/tasks?document=${d.id}`);
    assert.equal(l.status, 200, l.text);
    assert.deepEqual(l.json.items.map((t) => t.id), r.json.ids);
    assert.deepEqual(l.json.items.map((t) => t.lead_unit_code), ['S03', 'S04', '18070']);
    assert.deepEqual(l.json.items.map((t) => t.assigning_body), ['people_committee', 'people_committee', 'steering_committee']);
    assert.equal((await sec.get(`/api/v1/documents/${d.id}`)).json.tasks, 3);
  });

  test('a bulk with one bad task writes nothing and names tasks[1].field', async () => {
    const d = await newDocument();
    const s0 = state();
    const r = await sec.post(`/api/v1/documents/${d.id}/tasks`, {
      tasks: [
        { title: 'Đúng', lead_unit_id: id.S03, field: 'institutions', deadline: '2023-03-31' },
        { title: 'Sai lĩnh vực', lead_unit_id: id.S03, field: 'agriculture', deadline: '2023-03-31' },
        { title: 'Đúng nữa', lead_unit_id: id.S04, field: 'apparatus' },
      ],
    });
    assertProblem(assert, r, 422, 'tasks[1].field');
    assert.equal(state(), s0);
    assert.equal((await sec.get(`/api/v1/documents/${d.id}`)).json.tasks, 0);
    // the last task bad, after two good ones were inserted in the transaction: still nothing
    const r2 = await sec.post(`/api/v1/documents/${d.id}/tasks`, {
      tasks: [
        { title: 'Đúng', lead_unit_id: id.S03, field: 'institutions' },
        { title: 'Đúng nữa', lead_unit_id: id.S04, field: 'apparatus' },
        { title: 'Đơn vị chưa có', lead_unit_id: id['18073-2025'], field: 'apparatus' },
      ],
    });
    assertProblem(assert, r2, 422, 'tasks[2].lead_unit_id');
    assert.equal(state(), s0);
    // a missing title in the second of two
    const r3 = await sec.post(`/api/v1/documents/${d.id}/tasks`, {
      tasks: [{ title: 'Đúng', lead_unit_id: id.S03, field: 'institutions' }, { lead_unit_id: id.S03, field: 'institutions' }],
    });
    assertProblem(assert, r3, 422, 'tasks[1].title');
    assert.equal(state(), s0);
  });

  test('a bulk with a body error in one task (wrong type, unknown field) is 400 naming tasks[i].field and writes nothing', async () => {
    const d = await newDocument();
    const s0 = state();
    let r = await sec.post(`/api/v1/documents/${d.id}/tasks`, {
      tasks: [{ title: 'Đúng', lead_unit_id: id.S03, field: 'institutions' }, { title: 42, lead_unit_id: id.S03, field: 'institutions' }],
    });
    assertProblem(assert, r, 400, 'tasks[1].title');
    r = await sec.post(`/api/v1/documents/${d.id}/tasks`, {
      tasks: [{ title: 'Đúng', lead_unit_id: id.S03, field: 'institutions' }, { title: 'X', lead_unit_id: id.S03, field: 'institutions', colour: 'red' }],
    });
    assertProblem(assert, r, 400, 'tasks[1].colour');
    assert.equal(state(), s0);
  });

  test('a bulk body that is not {"tasks": [1..1000 objects]} is 400 naming tasks', async () => {
    const d = await newDocument();
    const s0 = state();
    for (const body of [{}, { tasks: [] }, { tasks: {} }, { tasks: ['x'] }]) {
      const r = await sec.post(`/api/v1/documents/${d.id}/tasks`, body);
      assertProblem(assert, r, 400, 'tasks');
    }
    assertProblem(assert, await sec.post(`/api/v1/documents/${d.id}/tasks`, { tasks: [], extra: 1 }), 400, 'extra');
    assert.equal(state(), s0);
    // a document id in the body other than the path's
    assertProblem(assert, await sec.post(`/api/v1/documents/${d.id}/tasks`, { tasks: [{ document_id: NOWHERE, title: 'X', lead_unit_id: id.S03, field: 'institutions' }] }), 400, 'document_id');
    assert.equal(state(), s0);
  });

  test('POST /documents/{id}/tasks on a document that does not exist is 404', async () => {
    const s0 = state();
    const r = await sec.post(`/api/v1/documents/${NOWHERE}/tasks`, { tasks: [{ title: 'X', lead_unit_id: id.S03, field: 'institutions' }] });
    assertProblem(assert, r, 404);
    assert.deepEqual(r.json, (await sec.get(`/api/v1/documents/${NOWHERE}`)).json);
    assert.equal(state(), s0);
  });

  test('a lead unit not in force on the assigned date is 422 naming lead_unit_id', async () => {
    const s0 = state();
    // Phường Thành Sen exists from 2025-07-01 only; Thành phố Hà Tĩnh ended on 2025-07-01
    let r = await sec.post('/api/v1/tasks', { document_id: doc.id, title: 'X', lead_unit_id: id['18073-2025'], field: 'apparatus', assigned_on: '2023-03-01' });
    assertProblem(assert, r, 422, 'lead_unit_id');
    r = await sec.post('/api/v1/tasks', { document_id: doc.id, title: 'X', lead_unit_id: id['436'], field: 'apparatus', assigned_on: '2025-08-01' });
    assertProblem(assert, r, 422, 'lead_unit_id');
    r = await sec.post('/api/v1/tasks', { document_id: doc.id, title: 'X', lead_unit_id: NOWHERE, field: 'apparatus' });
    assertProblem(assert, r, 422, 'lead_unit_id');
    r = await sec.post('/api/v1/tasks', { document_id: doc.id, title: 'X', field: 'apparatus' });
    assertProblem(assert, r, 422, 'lead_unit_id');
    assert.equal(state(), s0);
  });

  test('a deadline before assigned_on is 422 naming deadline; bad dates name their field', async () => {
    const s0 = state();
    let r = await sec.post('/api/v1/tasks', { document_id: doc.id, title: 'X', lead_unit_id: id.S03, field: 'apparatus', assigned_on: '2023-03-01', deadline: '2023-02-28' });
    assertProblem(assert, r, 422, 'deadline');
    r = await sec.post('/api/v1/tasks', { document_id: doc.id, title: 'X', lead_unit_id: id.S03, field: 'apparatus', deadline: '2023-13-01' });
    assertProblem(assert, r, 422, 'deadline');
    r = await sec.post('/api/v1/tasks', { document_id: doc.id, title: 'X', lead_unit_id: id.S03, field: 'apparatus', assigned_on: '2022-12-31' });
    assertProblem(assert, r, 422, 'assigned_on'); // before its document's date
    r = await sec.post('/api/v1/tasks', { document_id: doc.id, title: 'X', lead_unit_id: id.S03, field: 'farming', assigning_body: 'king' });
    assertProblem(assert, r, 422, 'field');
    assertProblem(assert, r, 422, 'assigning_body');
    r = await sec.post('/api/v1/tasks', { title: 'X', lead_unit_id: id.S03, field: 'apparatus' });
    assertProblem(assert, r, 422, 'document_id');
    r = await sec.post('/api/v1/tasks', { document_id: NOWHERE, title: 'X', lead_unit_id: id.S03, field: 'apparatus' });
    assertProblem(assert, r, 422, 'document_id');
    assert.equal(state(), s0);
  });

  test('a coordinating unit equal to the lead, or twice, is 422 naming coordinating_units', async () => {
    const s0 = state();
    let r = await sec.post('/api/v1/tasks', { document_id: doc.id, title: 'X', lead_unit_id: id.S03, coordinating_units: [id.S03], field: 'apparatus' });
    assertProblem(assert, r, 422, 'coordinating_units');
    r = await sec.post('/api/v1/tasks', { document_id: doc.id, title: 'X', lead_unit_id: id.S03, coordinating_units: [id.S04, id.S03], field: 'apparatus' });
    assertProblem(assert, r, 422, 'coordinating_units');
    r = await sec.post('/api/v1/tasks', { document_id: doc.id, title: 'X', lead_unit_id: id.S03, coordinating_units: [id.S04, id.S04], field: 'apparatus' });
    assertProblem(assert, r, 422, 'coordinating_units');
    r = await sec.post('/api/v1/tasks', { document_id: doc.id, title: 'X', lead_unit_id: id.S03, coordinating_units: [id['18073-2025']], field: 'apparatus', assigned_on: '2023-02-01' });
    assertProblem(assert, r, 422, 'coordinating_units');
    r = await sec.post('/api/v1/tasks', { document_id: doc.id, title: 'X', lead_unit_id: id.S03, coordinating_units: ['S04'], field: 'apparatus' });
    assertProblem(assert, r, 400, 'coordinating_units');
    assert.equal(state(), s0);
  });

  test('a focal point cannot POST /tasks, bulk tasks, PATCH a task or extend a deadline (403)', async () => {
    const t = await newTask(doc);
    const s0 = state();
    assertProblem(assert, await stp.post('/api/v1/tasks', { document_id: doc.id, title: 'X', lead_unit_id: id.S03, field: 'apparatus' }), 403);
    assertProblem(assert, await stp.post(`/api/v1/documents/${doc.id}/tasks`, { tasks: [{ title: 'X', lead_unit_id: id.S03, field: 'apparatus' }] }), 403);
    assertProblem(assert, await stp.patch(`/api/v1/tasks/${t.id}`, { title: 'Đổi tên' }), 403);
    assertProblem(assert, await stp.post(`/api/v1/tasks/${t.id}/deadline`, { deadline: IN_60_DAYS, reason: 'Xin gia hạn' }), 403);
    assertProblem(assert, await leader.post(`/api/v1/tasks/${t.id}/reports`, { reported_on: '2023-02-01', percent: 10, note: 'X' }), 403);
    assert.equal(state(), s0);
  });

  test('the secretariat renames a task and changes its field (PATCH, 200)', async () => {
    const t = await newTask(doc);
    const r = await sec.patch(`/api/v1/tasks/${t.id}`, { title: 'Tên mới', field: 'civil_service' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.title, 'Tên mới');
    assert.equal(r.json.field, 'civil_service');
    assert.equal(r.json.lead_unit_id, t.lead_unit_id);
    assertProblem(assert, await sec.patch(`/api/v1/tasks/${t.id}`, { field: 'farming' }), 422, 'field');
    assertProblem(assert, await sec.patch(`/api/v1/tasks/${t.id}`, { deadline: '2024-01-01' }), 400, 'deadline');
    assertProblem(assert, await sec.patch(`/api/v1/tasks/${NOWHERE}`, { title: 'X' }), 404);
  });
});

describe('focal points report and complete for their own units', () => {
  let doc, own, foreign, coordinated;
  before(async () => {
    doc = await newDocument();
    own = await newTask(doc, { lead_unit_id: id.S03, coordinating_units: [id.S04] });
    foreign = await newTask(doc, { lead_unit_id: id.S05, coordinating_units: [id.S04] });
    coordinated = await newTask(doc, { lead_unit_id: id.S05, coordinating_units: [id.S03] });
  });

  test('focal.stp reports progress on a task S03 leads (201) and the percent shows in GET', async () => {
    const r = await stp.post(`/api/v1/tasks/${own.id}/reports`, { reported_on: '2023-03-15', percent: 40, note: 'Đã rà soát 40% thủ tục' });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.id, own.id);
    assert.equal(r.json.percent, 40);
    const g = await stp.get(`/api/v1/tasks/${own.id}`);
    assert.equal(g.status, 200, g.text);
    assert.equal(g.json.percent, 40);
    assert.equal(g.json.reports.length, 1);
    const rep = g.json.reports[0];
    assert.equal(rep.unit_id, id.S03);
    assert.equal(rep.unit_code, 'S03');
    assert.equal(rep.reported_on, '2023-03-15');
    assert.equal(rep.percent, 40);
    assert.equal(rep.note, 'Đã rà soát 40% thủ tục');
    assert.equal(rep.author_id, (await stp.get('/api/v1/session')).json.user.id);
    const l = await stp.get(`/api/v1/tasks?document=${doc.id}`);
    assert.equal(l.json.items.find((t) => t.id === own.id).percent, 40);
  });

  test('a report imported from a file, which no user signs, has author_id null', async () => {
    const imported = Number(srv.db.sql('SELECT MIN(task_id) FROM task_reports WHERE author_id = 0'));
    assert.ok(imported > 0, 'the demo province imports progress reports');
    const g = await sec.get(`/api/v1/tasks/${imported}`);
    assert.equal(g.status, 200, g.text);
    assert.ok(g.json.reports.length > 0);
    for (const rep of g.json.reports) assert.equal(rep.author_id, null);
  });

  test('a report with bad input is 422 naming the field, and writes nothing', async () => {
    const s0 = state();
    const post = (b) => stp.post(`/api/v1/tasks/${own.id}/reports`, { reported_on: '2023-03-15', percent: 10, note: 'X', ...b });
    assertProblem(assert, await post({ percent: 101 }), 422, 'percent');
    assertProblem(assert, await post({ percent: -1 }), 422, 'percent');
    assertProblem(assert, await post({ percent: undefined }), 422, 'percent');
    assertProblem(assert, await post({ percent: '50' }), 400, 'percent');
    assertProblem(assert, await post({ reported_on: '2023-01-09' }), 422, 'reported_on'); // before assignment
    assertProblem(assert, await post({ reported_on: IN_60_DAYS }), 422, 'reported_on'); // in the future
    assertProblem(assert, await post({ reported_on: undefined }), 422, 'reported_on');
    assertProblem(assert, await post({ note: undefined }), 422, 'note');
    assertProblem(assert, await post({ extra: 1 }), 400, 'extra');
    assert.equal(state(), s0);
  });

  test('focal.stp gets 404 on a task outside its scope, word for word like a missing one', async () => {
    const s0 = state();
    const missing = await stp.get(`/api/v1/tasks/${NOWHERE}`);
    assertProblem(assert, missing, 404);
    for (const [method, path, body] of [
      ['GET', `/api/v1/tasks/${foreign.id}`],
      ['GET', `/api/v1/tasks/${foreign.id}?date=2023-02-01`],
      ['POST', `/api/v1/tasks/${foreign.id}/reports`, { reported_on: '2023-03-15', percent: 10, note: 'X' }],
      ['POST', `/api/v1/tasks/${foreign.id}/complete`, { completed_on: '2023-03-15' }],
    ]) {
      const r = await stp.request(method, path, { body });
      const m = await stp.request(method, path.replace(String(foreign.id), String(NOWHERE)), { body });
      assertProblem(assert, r, 404);
      assert.deepEqual(r.json, m.json, `${method} ${path}`);
    }
    assert.deepEqual(missing.json, (await stp.get(`/api/v1/tasks/${foreign.id}`)).json);
    const l = await stp.get(`/api/v1/tasks?document=${doc.id}`);
    assert.deepEqual(l.json.items.map((t) => t.id), [own.id, coordinated.id]);
    assert.equal(state(), s0);
  });

  test('focal.stp reads and reports on a task S03 coordinates, but cannot complete it (403)', async () => {
    const g = await stp.get(`/api/v1/tasks/${coordinated.id}`);
    assert.equal(g.status, 200, g.text);
    const r = await stp.post(`/api/v1/tasks/${coordinated.id}/reports`, { reported_on: '2023-04-01', percent: 100, note: 'Đã góp ý dự thảo' });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.reports.at(-1).unit_code, 'S03');
    const s0 = state();
    const c = await stp.post(`/api/v1/tasks/${coordinated.id}/complete`, { completed_on: '2023-04-02' });
    assertProblem(assert, c, 403);
    assert.equal(state(), s0);
    const after = await sec.get(`/api/v1/tasks/${coordinated.id}`);
    assert.equal(after.json.completed_on, null);
    assert.equal(after.json.status, 'overdue');
  });

  test('a coordinating unit\'s contribution does not move the task\'s percent, the lead\'s reports do', async () => {
    // led by Phường Trần Phú, coordinated by Sở Tư pháp
    const t = await newTask(doc, { lead_unit_id: id['18070'], coordinating_units: [id.S03], field: 'apparatus' });
    let r = await tranphu.post(`/api/v1/tasks/${t.id}/reports`, { reported_on: '2023-03-01', percent: 30, note: 'Đang triển khai' });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.percent, 30);
    r = await stp.post(`/api/v1/tasks/${t.id}/reports`, { reported_on: '2023-03-05', percent: 100, note: 'Đã góp ý xong phần việc phối hợp' });
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(r.json.reports.map((x) => [x.unit_code, x.percent]), [['18070', 30], ['S03', 100]]);
    assert.equal(r.json.percent, 30, 'the task stands at its lead unit\'s 30%, not at a contribution\'s 100%');
    assert.equal(r.json.completed_on, null);
  });

  test('focal.stp completes its own task (200): on the deadline day on time, a day later late', async () => {
    const a = await newTask(doc, { deadline: '2023-06-30' });
    const b = await newTask(doc, { deadline: '2023-06-30' });
    let r = await stp.post(`/api/v1/tasks/${a.id}/complete`, { completed_on: '2023-06-30' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.completed_on, '2023-06-30');
    assert.equal(r.json.status, 'done_on_time');
    r = await stp.post(`/api/v1/tasks/${b.id}/complete`, { completed_on: '2023-07-01' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'done_late');
    // before completion it was in progress, and after the deadline overdue
    assert.equal((await stp.get(`/api/v1/tasks/${b.id}?date=2023-06-30`)).json.status, 'in_progress');
    assert.equal((await stp.get(`/api/v1/tasks/${b.id}?date=2023-06-29`)).json.due, false);
    assert.equal((await stp.get(`/api/v1/tasks/${b.id}?date=2023-06-30`)).json.due, true);
    // a second completion is refused
    const s0 = state();
    assertProblem(assert, await stp.post(`/api/v1/tasks/${a.id}/complete`, { completed_on: '2023-07-02' }), 409, 'completed_on');
    assert.equal(state(), s0);
  });

  test('a completion date before assignment, in the future or missing is 422 naming completed_on', async () => {
    const t = await newTask(doc);
    const s0 = state();
    for (const completed_on of ['2023-01-09', IN_60_DAYS, undefined, '2023-02-29'])
      assertProblem(assert, await stp.post(`/api/v1/tasks/${t.id}/complete`, { completed_on }), 422, 'completed_on');
    assert.equal(state(), s0);
  });

  test('lateness is judged against the deadline in force on the completion day', async () => {
    // both overdue since 2023-03-31; the secretariat extends both today
    const onTime = await newTask(doc, { deadline: '2023-03-31' });
    const late = await newTask(doc, { deadline: '2023-03-31' });
    for (const t of [onTime, late]) {
      assert.equal(t.status, 'overdue');
      const e = await sec.post(`/api/v1/tasks/${t.id}/deadline`, { deadline: IN_60_DAYS, reason: 'Chờ văn bản hướng dẫn của Bộ' });
      assert.equal(e.status, 200, e.text);
      assert.equal(e.json.deadline, IN_60_DAYS);
      assert.equal(e.json.status, 'in_progress');
      assert.deepEqual(e.json.deadlines, [
        { set_on: '2023-01-10', deadline: '2023-03-31', reason: '' },
        { set_on: TODAY, deadline: IN_60_DAYS, reason: 'Chờ văn bản hướng dẫn của Bộ' },
      ]);
      // on a past date the old deadline still applies
      assert.equal((await sec.get(`/api/v1/tasks/${t.id}?date=2023-05-01`)).json.status, 'overdue');
    }
    // completed today, under the extended deadline: on time
    let r = await stp.post(`/api/v1/tasks/${onTime.id}/complete`, { completed_on: TODAY });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'done_on_time');
    // completed on a day before the extension was granted: late against the deadline then
    r = await stp.post(`/api/v1/tasks/${late.id}/complete`, { completed_on: '2023-05-15' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'done_late');
    // an extension after completion is refused and writes nothing
    const s0 = state();
    r = await sec.post(`/api/v1/tasks/${late.id}/deadline`, { deadline: IN_60_DAYS, reason: 'Muộn' });
    assertProblem(assert, r, 409, 'deadline');
    assert.equal(state(), s0);
    assert.equal((await sec.get(`/api/v1/tasks/${late.id}`)).json.deadlines.length, 2);
  });

  test('an extension recorded later carries the day it was decided, which the status follows', async () => {
    // deadline 31 March; on 15 March the Chairman moved it to 30 June; the secretariat records it now
    const t = await newTask(doc, { deadline: '2023-03-31' });
    let r = await sec.post(`/api/v1/tasks/${t.id}/deadline`,
      { deadline: '2023-06-30', reason: 'Theo Công văn của Chủ tịch', decided_on: '2023-03-15' });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.deadlines.at(-1), { set_on: '2023-03-15', deadline: '2023-06-30', reason: 'Theo Công văn của Chủ tịch' });
    assert.equal((await sec.get(`/api/v1/tasks/${t.id}?date=2023-04-15`)).json.status, 'in_progress');
    // completed in May: on time against the deadline in force then
    r = await stp.post(`/api/v1/tasks/${t.id}/complete`, { completed_on: '2023-05-20' });
    assert.equal(r.json.status, 'done_on_time');
  });

  test('a decision day in the future, before the assignment or before the last change is 422 naming decided_on', async () => {
    const t = await newTask(doc, { deadline: '2023-03-31' });
    const s0 = state();
    for (const decided_on of [IN_60_DAYS, '2023-01-09', '2023-02-30', 'yesterday'])
      assertProblem(assert, await sec.post(`/api/v1/tasks/${t.id}/deadline`, { deadline: '2023-06-30', reason: 'X', decided_on }), 422, 'decided_on');
    assert.equal(state(), s0);
    let r = await sec.post(`/api/v1/tasks/${t.id}/deadline`, { deadline: '2023-06-30', reason: 'Lần một', decided_on: '2023-03-20' });
    assert.equal(r.status, 200, r.text);
    const s1 = state();
    r = await sec.post(`/api/v1/tasks/${t.id}/deadline`, { deadline: '2023-09-30', reason: 'Lần hai', decided_on: '2023-03-19' });
    assertProblem(assert, r, 422, 'decided_on');
    assert.equal(state(), s1);
    r = await sec.post(`/api/v1/tasks/${t.id}/deadline`, { deadline: '2023-09-30', reason: 'Lần hai', decided_on: '2023-03-20' });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.deadlines.map((d) => d.set_on), ['2023-01-10', '2023-03-20', '2023-03-20']);
    assert.equal(r.json.deadline, '2023-09-30');
  });

  test('an extension needs a reason and a deadline on or after assignment (422)', async () => {
    const t = await newTask(doc);
    const s0 = state();
    assertProblem(assert, await sec.post(`/api/v1/tasks/${t.id}/deadline`, { deadline: IN_60_DAYS }), 422, 'reason');
    assertProblem(assert, await sec.post(`/api/v1/tasks/${t.id}/deadline`, { deadline: '2023-01-09', reason: 'X' }), 422, 'deadline');
    assertProblem(assert, await sec.post(`/api/v1/tasks/${t.id}/deadline`, { deadline: '2023-02-30', reason: 'X' }), 422, 'deadline');
    assertProblem(assert, await sec.post(`/api/v1/tasks/${NOWHERE}/deadline`, { deadline: IN_60_DAYS, reason: 'X' }), 404);
    assert.equal(state(), s0);
    // without a deadline the task becomes a standing task from today
    const r = await sec.post(`/api/v1/tasks/${t.id}/deadline`, { reason: 'Chuyển thành nhiệm vụ thường xuyên' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.deadline, null);
    assert.equal(r.json.status, 'no_deadline');
    assert.equal(r.json.deadlines.at(-1).deadline, null);
  });

  test('the secretariat also reports and completes for the lead unit', async () => {
    const t = await newTask(doc, { lead_unit_id: id.S05 });
    let r = await sec.post(`/api/v1/tasks/${t.id}/reports`, { reported_on: '2023-02-01', percent: 20, note: 'Theo dõi' });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.reports[0].unit_code, 'S05');
    r = await sec.post(`/api/v1/tasks/${t.id}/complete`, { completed_on: '2023-06-01' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'done_on_time');
  });
});

describe('commune scope', () => {
  test('focal.sonkim1 cannot read another commune\'s tasks (404), and reads its own', async () => {
    const doc = await newDocument();
    const other = await newTask(doc, { lead_unit_id: id['18070'], field: 'apparatus' });
    const own = await newTask(doc, { lead_unit_id: id['18196'], field: 'apparatus' });
    const m = await sonkim.get(`/api/v1/tasks/${NOWHERE}`);
    const r = await sonkim.get(`/api/v1/tasks/${other.id}`);
    assertProblem(assert, r, 404);
    assert.deepEqual(r.json, m.json);
    const l = await sonkim.get(`/api/v1/tasks?document=${doc.id}`);
    assert.equal(l.status, 200, l.text);
    assert.deepEqual(l.json.items.map((t) => t.id), [own.id]);
    assert.equal((await sonkim.get(`/api/v1/tasks/${own.id}`)).status, 200);
    // and the other way round
    assertProblem(assert, await tranphu.get(`/api/v1/tasks/${own.id}`), 404);
    assert.equal((await tranphu.get(`/api/v1/tasks/${other.id}`)).status, 200);
    // a commune cannot see the figures of the province
    assertProblem(assert, await sonkim.get(`/api/v1/tasks/stats?period=2023&unit=${id['42']}`), 404);
  });
});

// The figures fixture: tasks of two communes that no demo data touches.
describe('status on a date and the figures', () => {
  let doc, A, B, C, D, E, G, F;
  before(async () => {
    doc = await newDocument({ assigning_body: 'government', issued_on: '2023-01-06' });
    const lead = id['18145'];
    // A: done on time; B: done late; C: overdue on 2023-09-30; D: not yet due; E: no deadline;
    // G: due on 2023-09-30 itself (still in progress), completed after; F: assigned after the period
    A = await newTask(doc, { lead_unit_id: lead, field: 'procedures', assigned_on: '2023-02-01', deadline: '2023-05-31' });
    B = await newTask(doc, { lead_unit_id: lead, field: 'procedures', assigned_on: '2023-02-01', deadline: '2023-04-30' });
    C = await newTask(doc, { lead_unit_id: lead, field: 'procedures', assigned_on: '2023-03-01', deadline: '2023-08-31' });
    D = await newTask(doc, { lead_unit_id: lead, field: 'digital_government', assigning_body: 'people_committee', assigned_on: '2023-03-01', deadline: '2023-12-31' });
    E = await newTask(doc, { lead_unit_id: lead, field: 'digital_government', assigning_body: 'people_committee', assigned_on: '2023-04-01', deadline: undefined });
    G = await newTask(doc, { lead_unit_id: lead, field: 'civil_service', assigning_body: 'people_committee', assigned_on: '2023-06-01', deadline: '2023-09-30' });
    F = await newTask(doc, { lead_unit_id: lead, field: 'procedures', assigned_on: '2023-10-15', deadline: '2023-11-30' });
    for (const [t, on] of [[A, '2023-05-20'], [B, '2023-06-15'], [G, '2023-10-10']]) {
      const r = await sec.post(`/api/v1/tasks/${t.id}/complete`, { completed_on: on });
      assert.equal(r.status, 200, r.text);
    }
  });

  const ids = (r) => r.json.items.map((t) => t.id);

  test('GET /tasks?status=&date= lists exactly the tasks in that status on that day', async () => {
    const list = async (q) => {
      const r = await sec.get(`/api/v1/tasks?document=${doc.id}&${q}`);
      assert.equal(r.status, 200, r.text);
      return r;
    };
    assert.deepEqual(ids(await list('status=overdue&date=2023-09-30')), [C.id]);
    assert.deepEqual(ids(await list('status=in_progress&date=2023-09-30')), [D.id, G.id]);
    assert.deepEqual(ids(await list('status=done_on_time&date=2023-09-30')), [A.id]);
    assert.deepEqual(ids(await list('status=done_late&date=2023-09-30')), [B.id]);
    assert.deepEqual(ids(await list('status=no_deadline&date=2023-09-30')), [E.id]);
    assert.deepEqual(ids(await list('status=overdue&date=2023-06-01')), [B.id]); // completed late on 06-15
    assert.deepEqual(ids(await list('status=in_progress&date=2023-06-01')), [C.id, D.id, G.id]);
    assert.deepEqual(ids(await list('status=overdue&date=2023-10-20')), [C.id]);
    assert.deepEqual(ids(await list('status=done_on_time&date=2023-10-20')), [A.id]);
    assert.deepEqual(ids(await list('status=done_late&date=2023-10-20')), [B.id, G.id]); // G after its deadline
    // each row carries its status on the date; not yet assigned is null
    const all = await list('date=2023-02-15');
    assert.deepEqual(all.json.items.map((t) => t.status), ['in_progress', 'in_progress', null, null, null, null, null]);
    // paging with a status filter
    const p1 = await list('status=in_progress&date=2023-06-01&limit=2');
    assert.deepEqual(ids(p1), [C.id, D.id]);
    assert.equal(typeof p1.json.next, 'string');
    const p2 = await list(`status=in_progress&date=2023-06-01&limit=2&cursor=${encodeURIComponent(p1.json.next)}`);
    assert.deepEqual(ids(p2), [G.id]);
    assert.equal(p2.json.next, null);
    // other filters
    assert.deepEqual(ids(await list('field=digital_government')), [D.id, E.id]);
    assert.deepEqual(ids(await list('assigning_body=people_committee')), [D.id, E.id, G.id]);
    assert.deepEqual(ids(await list('assigned_from=2023-03-01&assigned_to=2023-04-01')), [C.id, D.id, E.id]);
    assert.deepEqual(ids(await list('deadline_from=2023-08-31&deadline_to=2023-09-30')), [C.id, G.id]);
    assert.deepEqual(ids(await list(`lead_unit=${id['439']}&field=civil_service`)), [G.id]);
  });

  test('bad list filters are 400 naming the parameter', async () => {
    for (const [q, field] of [['status=late', 'status'], ['date=2023-02-30', 'date'], ['field=farming', 'field'],
      ['assigning_body=king', 'assigning_body'], ['deadline_from=yesterday', 'deadline_from'], ['limit=0', 'limit'],
      ['document=abc', 'document'], ['cursor=-1', 'cursor']])
      assertProblem(assert, await sec.get(`/api/v1/tasks?${q}`), 400, field);
  });

  test('GET /tasks/{id}?date= before assignment gives status null', async () => {
    const r = await sec.get(`/api/v1/tasks/${C.id}?date=2023-02-28`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.date, '2023-02-28');
    assert.equal(r.json.status, null);
    assert.equal(r.json.due, false);
    assert.equal((await sec.get(`/api/v1/tasks/${C.id}?date=2023-03-01`)).json.status, 'in_progress');
    assert.equal((await sec.get(`/api/v1/tasks/${C.id}?date=2023-09-01`)).json.status, 'overdue');
    assertProblem(assert, await sec.get(`/api/v1/tasks/${C.id}?date=2023-9-1`), 400, 'date');
  });

  test('GET /tasks/stats?period=2023-9M&as_of=2023-09-30 gives exact counts and rates', async () => {
    const r = await sec.get(`/api/v1/tasks/stats?period=2023-9M&as_of=2023-09-30&unit=${id['18145']}`);
    assert.equal(r.status, 200, r.text);
    const s = r.json;
    assert.equal(s.period, '2023-9M');
    assert.equal(s.from, '2023-01-01');
    assert.equal(s.to, '2023-09-30');
    assert.equal(s.as_of, '2023-09-30');
    assert.equal(s.unit_id, id['18145']);
    // A, B, C, D, E, G assigned in the period; F after it
    assert.deepEqual(s.total, {
      assigned: 6, done_on_time: 1, done_late: 1, in_progress: 2, overdue: 1, no_deadline: 1,
      completed: 2, completion_rate: '33.33', due: 4, completed_due: 2, due_completion_rate: '50.00',
    });
    assert.deepEqual(s.by_assigning_body, [
      { key: 'government', assigned: 3, done_on_time: 1, done_late: 1, in_progress: 0, overdue: 1, no_deadline: 0,
        completed: 2, completion_rate: '66.67', due: 3, completed_due: 2, due_completion_rate: '66.67' },
      { key: 'people_committee', assigned: 3, done_on_time: 0, done_late: 0, in_progress: 2, overdue: 0, no_deadline: 1,
        completed: 0, completion_rate: '0.00', due: 1, completed_due: 0, due_completion_rate: '0.00' },
    ]);
    assert.deepEqual(s.by_field.map((f) => [f.key, f.assigned, f.completed, f.completion_rate]),
      [['procedures', 3, 2, '66.67'], ['civil_service', 1, 0, '0.00'], ['digital_government', 2, 0, '0.00']]);
    assert.deepEqual(s.by_lead_unit.map((u) => [u.unit_id, u.code, u.assigned, u.completion_rate]),
      [[id['18145'], '18145', 6, '33.33']]);
    // as of a later day G counts as completed: 3 of 6, 3 of 5 due (D not due yet)
    const later = await sec.get(`/api/v1/tasks/stats?period=2023-9M&as_of=2023-10-20&unit=${id['18145']}`);
    assert.equal(later.status, 200, later.text);
    assert.equal(later.json.total.assigned, 6);
    assert.equal(later.json.total.completed, 3);
    assert.equal(later.json.total.completion_rate, '50.00');
    assert.equal(later.json.total.due, 4);
    assert.equal(later.json.total.due_completion_rate, '75.00');
    // the whole year counts F too; as_of defaults to the period's end when it is past
    const year = await sec.get(`/api/v1/tasks/stats?period=2023&unit=${id['18145']}`);
    assert.equal(year.status, 200, year.text);
    assert.equal(year.json.as_of, '2023-12-31');
    assert.equal(year.json.total.assigned, 7);
    assert.equal(year.json.total.completed, 3);
    assert.equal(year.json.total.completion_rate, '42.86'); // 3/7 = 42.857
    assert.equal(year.json.total.due, 6); // all but E
    assert.equal(year.json.total.overdue, 2); // C, F; D is on its deadline day
    assert.equal(year.json.total.in_progress, 1);
  });

  test('rates round half up to two decimals', async () => {
    // 1 of 8 = 12.5% exactly; 1 of 16 = 6.25%; 1 of 32 = 3.125% -> "3.13"
    const d = await newDocument({ assigning_body: 'chairman' });
    const lead = id['18214'];
    const made = [];
    for (let i = 0; i < 32; i++)
      made.push({ title: `Nhiệm vụ ${i}`, lead_unit_id: lead, field: 'apparatus', assigned_on: '2023-03-01', deadline: '2023-03-31' });
    const r = await sec.post(`/api/v1/documents/${d.id}/tasks`, { tasks: made });
    assert.equal(r.status, 201, r.text);
    const c = await sec.post(`/api/v1/tasks/${r.json.ids[0]}/complete`, { completed_on: '2023-03-10' });
    assert.equal(c.status, 200, c.text);
    const s = await sec.get(`/api/v1/tasks/stats?period=2023-Q1&unit=${lead}`);
    assert.equal(s.status, 200, s.text);
    assert.equal(s.json.as_of, '2023-03-31');
    assert.equal(s.json.total.assigned, 32);
    assert.equal(s.json.total.completion_rate, '3.13');
    assert.equal(s.json.total.due_completion_rate, '3.13');
    assert.equal(rate(1, 32), '3.13');
    assert.equal(rate(39, 133), '29.32');
  });

  test('?assigning_body= keeps only the tasks of those bodies', async () => {
    const q = `/api/v1/tasks/stats?period=2023-9M&as_of=2023-09-30&unit=${id['18145']}`;
    let r = await sec.get(q + '&assigning_body=government');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.total.assigned, 3);
    assert.equal(r.json.total.completion_rate, '66.67');
    assert.deepEqual(r.json.by_assigning_body.map((b) => b.key), ['government']);
    r = await sec.get(q + '&assigning_body=government,people_committee');
    assert.equal(r.json.total.assigned, 6);
    r = await sec.get(q + '&assigning_body=ministry');
    assert.equal(r.json.total.assigned, 0);
    assert.equal(r.json.total.completion_rate, '0.00');
    assert.deepEqual(r.json.by_assigning_body, []);
    assert.deepEqual(r.json.by_lead_unit, []);
    for (const bad of ['king', 'government,king', ',government'])
      assertProblem(assert, await sec.get(q + '&assigning_body=' + bad), 400, 'assigning_body');
  });

  test('a bad period or as_of is a 4xx naming it', async () => {
    for (const [q, field] of [['period=2023-Q5', 'period'], ['period=2023-13', 'period'], ['period=', 'period'],
      ['', 'period'], ['period=2023-12-31..2023-01-01', 'period'], ['period=2023&as_of=2023-02-30', 'as_of'],
      ['period=2023&unit=abc', 'unit']]) {
      const r = await sec.get(`/api/v1/tasks/stats?${q}`);
      assertProblem(assert, r, 400, field);
    }
    assertProblem(assert, await sec.get(`/api/v1/tasks/stats?period=2023&unit=${NOWHERE}`), 404);
  });

  test('a unit\'s figures count the tasks it leads, not those it only coordinates', async () => {
    const d = await newDocument();
    await newTask(d, { lead_unit_id: id.S04, coordinating_units: [id['18214']], assigned_on: '2023-02-01', deadline: '2023-12-31', field: 'apparatus' });
    const s = await sec.get(`/api/v1/tasks/stats?period=2023-02-01..2023-02-01&unit=${id['18214']}`);
    assert.equal(s.status, 200, s.text);
    assert.equal(s.json.total.assigned, 0, JSON.stringify(s.json.by_lead_unit));
    assert.deepEqual(s.json.by_lead_unit, []);
  });

  test('by_lead_unit rolls a ward\'s task up to its city (436) under the province', async () => {
    const q = `/api/v1/tasks/stats?period=2023-9M&as_of=2023-09-30&unit=${id['42']}`;
    const bucket = (s, code) => s.json.by_lead_unit.find((u) => u.code === code);
    const before = await sec.get(q);
    assert.equal(before.status, 200, before.text);
    const d = await newDocument();
    await newTask(d, { lead_unit_id: id['18070'], assigned_on: '2023-05-01', deadline: '2023-12-31', field: 'apparatus' });
    const after = await sec.get(q);
    assert.equal(after.status, 200, after.text);
    assert.equal(after.json.unit_id, id['42']);
    const city = bucket(after, '436');
    assert.ok(city, JSON.stringify(after.json.by_lead_unit.map((u) => u.code)));
    assert.equal(city.unit_id, id['436']);
    assert.equal(city.name, 'Thành phố Hà Tĩnh');
    assert.equal(city.assigned, (bucket(before, '436')?.assigned ?? 0) + 1);
    assert.equal(city.in_progress, (bucket(before, '436')?.in_progress ?? 0) + 1);
    assert.equal(bucket(after, '18070'), undefined);
    // the figures fixture rolls up under Hương Sơn (439)
    const hs = bucket(after, '439');
    assert.ok(hs);
    assert.ok(hs.assigned >= 6);
    // totals add up across the breakdowns
    const sum = (list, k) => list.reduce((n, u) => n + u[k], 0);
    for (const k of ['assigned', 'completed', 'due', 'overdue'])
      for (const list of ['by_lead_unit', 'by_assigning_body', 'by_field'])
        assert.equal(sum(after.json[list], k), after.json.total[k], `${list}.${k}`);
    assert.equal(after.json.total.completion_rate, rate(after.json.total.completed, after.json.total.assigned));
    assert.equal(after.json.total.due_completion_rate, rate(after.json.total.completed_due, after.json.total.due));
    // the city's leader sees the ward itself under the city
    const l = await leader.get(q); // the chairman sits at the province: same figures
    assert.equal(l.status, 200, l.text);
    assert.deepEqual(l.json, after.json);
    const cityView = await sec.get(`/api/v1/tasks/stats?period=2023-9M&as_of=2023-09-30&unit=${id['436']}`);
    assert.equal(cityView.status, 200, cityView.text);
    const ward = cityView.json.by_lead_unit.find((u) => u.code === '18070');
    assert.ok(ward, cityView.text);
    assert.ok(ward.assigned >= 1);
  });
});

describe('reading needs a session', () => {
  test('anonymous requests are 401', async () => {
    const { Client } = await import('./lib.mjs');
    const anon = new Client(srv.base);
    for (const p of ['/api/v1/documents', '/api/v1/tasks', '/api/v1/tasks/stats?period=2023', '/api/v1/tasks/1'])
      assertProblem(assert, await anon.get(p), 401);
  });
});

describe('kept list answers', () => {
  // A list's answer is kept until the province's data changes (its audit head
  // moves); these show that no change, however it is made, leaves it stale.
  test('a kept list follows every change, from this server or from another process', async () => {
    const doc = await newDocument();
    const path = `/api/v1/tasks?document=${doc.id}&limit=10`;
    const first = await sec.get(path);
    assert.equal(first.status, 200, first.text);
    assert.deepEqual(first.json.items, []);
    assert.deepEqual((await sec.get(path)).json, first.json);
    const t = await newTask(doc, { deadline: IN_60_DAYS, assigned_on: '2023-01-10' });
    let r = await sec.get(path);
    assert.deepEqual(r.json.items.map((x) => [x.id, x.status]), [[t.id, 'in_progress']]);
    const done = await stp.post(`/api/v1/tasks/${t.id}/complete`, { completed_on: '2023-03-01' });
    assert.equal(done.status, 200, done.text);
    r = await sec.get(path);
    assert.deepEqual(r.json.items.map((x) => [x.id, x.status]), [[t.id, 'done_on_time']]);
    // another process writes to the same database: the next read sees it
    const dir = mkdtempSync(join(tmpdir(), 'reform-kept-'));
    const file = join(dir, 'tasks.csv');
    writeFileSync(file,
      'ref,document,title,assigning_body,lead_unit,coordinating_units,field,assigned_on,deadline,' +
      'completed_on,extended_on,extended_deadline,extension_reason\n' +
      `${uniq('K')},${doc.number},Nhiệm vụ nhập từ tệp,people_committee,S04,,apparatus,2023-02-01,,,,,\n`);
    const cli = srv.cli('import', 'tasks', file);
    rmSync(dir, { recursive: true, force: true });
    assert.equal(cli.code, 0, cli.out);
    r = await sec.get(path);
    assert.deepEqual(r.json.items.map((x) => x.lead_unit_code), ['S03', 'S04']);
  });

  test('callers of different scopes asking the same query each get their own answer', async () => {
    const doc = await newDocument();
    const t = await newTask(doc, { lead_unit_id: id.S03 });
    const path = `/api/v1/tasks?document=${doc.id}`;
    for (let round = 0; round < 2; round++) {
      assert.deepEqual((await sonkim.get(path)).json.items, []);
      assert.deepEqual((await sec.get(path)).json.items.map((x) => x.id), [t.id]);
      assert.deepEqual((await stp.get(path)).json.items.map((x) => x.id), [t.id]);
    }
  });

  test('a query is kept under its parameters exactly: a search text holding "&field=" is not a filter', async () => {
    const doc = await newDocument();
    const text = uniq('kept');
    const t = await newTask(doc, { title: `Nhiệm vụ ${text}`, field: 'procedures' });
    const filtered = await sec.get(`/api/v1/tasks?document=${doc.id}&q=${text}&field=procedures`);
    assert.deepEqual(filtered.json.items.map((x) => x.id), [t.id]);
    const searched = await sec.get(`/api/v1/tasks?document=${doc.id}&q=${encodeURIComponent(`${text}&field=procedures`)}`);
    assert.equal(searched.status, 200);
    assert.deepEqual(searched.json.items, []);
  });

  test('a refused query is refused every time, never kept', async () => {
    for (let i = 0; i < 2; i++)
      assertProblem(assert, await sec.get('/api/v1/tasks?field=astrology'), 400, 'field');
    assertProblem(assert, await sonkim.get('/api/v1/tasks?lead_unit=0'), 400, 'lead_unit');
  });
});
