// Input types over HTTP (security review 2026-12, section 4: F10, F11, F12):
// an id of 0 or below, an integer beyond int64 and an empty string where
// absent or null has a meaning are refused naming exactly that member, 422
// like every refused value (400 stays for malformed JSON and wrong JSON
// types), and nothing is written; absent and null keep their documented
// meanings.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, signedIn, assertProblem, openSql, Client, demoPassword } from './lib.mjs';

// Integers no 64-bit integer holds; JSON.stringify cannot write them, so the
// body is sent as text with the marker replaced.
const BIG = { toJSON: () => '__big__' };
const NEG_BIG = { toJSON: () => '__neg_big__' };
const bodyText = (body) => JSON.stringify(body)
  .replaceAll('"__big__"', '99999999999999999999')
  .replaceAll('"__neg_big__"', '-99999999999999999999');

let srv, sql, admin, sec, clerk;
const id = {}; // unit ids by code
const fx = {}; // the fixtures the cases act on
let seq = 0;
const uniq = (p) => `${p}-${process.pid}-${++seq}`;

// Every table a refused request could write to, and the audit chain's head.
const SNAPSHOT = 'SELECT ' + ['audit', 'sessions', 'units', 'unit_links', 'users', 'documents', 'tasks',
  'task_units', 'task_deadlines', 'task_reports', 'calendar_years', 'calendar_days', 'working_hours',
  'dossiers', 'dossier_events'].map((t) => `(SELECT COUNT(*) FROM ${t})`).join(', ') +
  ', (SELECT MAX(seq) FROM audit_head), (SELECT MAX(hash) FROM audit_head)';
const snapshot = () => sql.query(SNAPSHOT);

const send = (client, method, path, body) =>
  client.request(method, path, { raw: bodyText(body), headers: { 'Content-Type': 'application/json' } });

before(async () => {
  srv = await startServer();
  sql = openSql(srv.db);
  [admin, sec, clerk] = await Promise.all(['admin', 'secretariat', 'clerk.hcc'].map((u) => signedIn(srv.base, u)));
  for (const q of ['date=2023-06-30&limit=1000', 'limit=1000']) {
    const r = await admin.get(`/api/v1/units?${q}`);
    assert.equal(r.status, 200, r.text);
    for (const u of r.json.items) id[u.code] ??= u.id;
  }
  for (const code of ['42', 'S03', 'S04']) assert.ok(id[code], `demo unit ${code} is missing`);
  fx.adminId = Number(srv.db.sql("SELECT id FROM users WHERE username = 'admin'"));

  let r = await sec.post('/api/v1/documents', {
    number: uniq('01/KH-UBND'), issuer: 'UBND tỉnh Hà Tĩnh', issued_on: '2023-01-05',
    title: 'Kế hoạch cải cách hành chính năm 2023', assigning_body: 'people_committee',
  });
  assert.equal(r.status, 201, r.text);
  fx.doc = r.json.id;
  fx.task = await newTask();
  r = await admin.post('/api/v1/units', {
    code: uniq('IN'), name: 'Sở Kiểm thử đầu vào', kind: 'department', parent_id: id['42'], valid_from: '2026-01-01',
  });
  assert.equal(r.status, 201, r.text);
  fx.unit = r.json.id;
  r = await admin.post('/api/v1/users', {
    username: `input.${process.pid}`, full_name: 'Người Kiểm Thử', unit_id: id.S03, roles: ['focal'],
    password: 'a long enough password',
  });
  assert.equal(r.status, 201, r.text);
  fx.user = r.json.id;
  r = await clerk.post('/api/v1/dossiers', receipt());
  assert.equal(r.status, 201, r.text);
  fx.dossier = r.json.code;
});
after(async () => {
  await sql?.close();
  await srv?.stop();
});

// A task of the fixture document with a deadline; resolves its id.
async function newTask(over = {}) {
  const r = await sec.post('/api/v1/tasks', taskBody(over));
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}
const taskBody = (over = {}) => ({
  document_id: fx.doc, title: uniq('Nhiệm vụ'), field: 'procedures', lead_unit_id: id.S03,
  assigned_on: '2023-01-10', deadline: '2023-06-30', ...over,
});
const task = async (tid) => {
  const r = await sec.get(`/api/v1/tasks/${tid}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
};
const unitBody = (over = {}) => ({
  code: uniq('NEW'), name: 'Sở Thử nghiệm', kind: 'department', parent_id: id['42'], valid_from: '2026-01-01', ...over,
});
const userBody = (over = {}) => ({
  username: uniq('new.user').toLowerCase(), full_name: 'Trần Văn Thử', unit_id: id.S03, roles: ['focal'],
  password: 'a long enough password', ...over,
});
const documentBody = (over = {}) => ({
  number: uniq('02/KH-UBND'), issuer: 'UBND tỉnh Hà Tĩnh', issued_on: '2023-01-05', title: 'Kế hoạch',
  assigning_body: 'people_committee', ...over,
});
const receipt = (over = {}) => ({
  procedure_code: '1.011441', applicant_name: 'Võ Thị Lan', applicant_phone: '0912000111', ...over,
});
const DAY = { date: '2027-02-08', kind: 'holiday', name: 'Nghỉ Tết', source: 'Công văn thử' };
const year = (day = {}, over = {}) => ({ source: 'Công văn thử', days: [{ ...DAY, ...day }], ...over });

// Each request below is refused with 'status' naming exactly 'field', and
// writes nothing; 'still' checks the record it aimed at is as it was. The
// path and the body are functions when they use the fixtures, which are made
// after the tables are written.
const who = () => ({ admin, sec, clerk });
async function refused({ as, method, path, body, status, field, still }) {
  const s0 = await snapshot();
  const r = await send(who()[as], method, path(), typeof body === 'function' ? body() : body);
  assertProblem(assert, r, status, field);
  assert.deepEqual(r.json.errors.map((e) => e.field), [field], r.text);
  assert.equal(await snapshot(), s0, `a refused ${method} ${path()} wrote something`);
  if (still) await still();
}
const row = (as, method, path, body, status, field, still) => ({ as, method, path, body, status, field, still });
const route = (path) => path.toString().replace(/^\(\) => /, '').replace(/[`']/g, '');

describe('F10: an integer beyond int64 is 422 naming its member', () => {
  const cases = [
    row('admin', 'POST', () => '/api/v1/tokens', { user_id: BIG, label: 'x' }, 422, 'user_id'),
    row('admin', 'POST', () => '/api/v1/tokens', () => ({ user_id: fx.adminId, label: 'x', expires_in_days: BIG }), 422, 'expires_in_days'),
    row('admin', 'POST', () => '/api/v1/units', () => unitBody({ parent_id: BIG }), 422, 'parent_id'),
    row('admin', 'POST', () => `/api/v1/units/${fx.unit}/end`, { date: '2026-06-01', successor_id: BIG }, 422, 'successor_id'),
    row('sec', 'POST', () => '/api/v1/tasks', () => taskBody({ document_id: BIG }), 422, 'document_id'),
    row('sec', 'PATCH', () => `/api/v1/tasks/${fx.task}`, { lead_unit_id: BIG }, 422, 'lead_unit_id'),
    row('sec', 'POST', () => `/api/v1/tasks/${fx.task}/reports`, { reported_on: '2023-03-15', percent: BIG, note: 'x' }, 422, 'percent'),
    row('clerk', 'POST', () => `/api/v1/dossiers/${fx.dossier}/actions`, { action: 'hand_over', version: BIG }, 422, 'version'),
    // the same below zero, inside an array and inside a task of a bulk
    row('sec', 'POST', () => '/api/v1/tasks', () => taskBody({ lead_unit_id: NEG_BIG }), 422, 'lead_unit_id'),
    row('sec', 'POST', () => '/api/v1/tasks', () => taskBody({ coordinating_units: [id.S04, BIG] }), 422, 'coordinating_units'),
    row('sec', 'POST', () => `/api/v1/documents/${fx.doc}/tasks`,
      () => ({ tasks: [taskBody(), taskBody({ lead_unit_id: BIG })] }), 422, 'tasks[1].lead_unit_id'),
    row('admin', 'POST', () => '/api/v1/users', () => userBody({ unit_id: BIG }), 422, 'unit_id'),
  ];
  for (const c of cases) test(`${c.method} ${route(c.path)} ${c.field}`, () => refused(c));

  test('an unknown member is still named first, as malformed input (400)', () => refused(
    row('admin', 'POST', () => '/api/v1/tokens', () => ({ user_id: fx.adminId, label: 'x', colour: BIG }), 400, 'colour')));
});

describe('F11: zero ids and empty strings are refused, not read as absent', () => {
  test('PATCH /tasks/{id} {"lead_unit_id":0} is 422 and the lead unit stays', () => refused(
    row('sec', 'PATCH', () => `/api/v1/tasks/${fx.task}`, { lead_unit_id: 0 }, 422, 'lead_unit_id',
      async () => assert.equal((await task(fx.task)).lead_unit_id, id.S03))));

  test('POST /units/{id}/end {"successor_id":0} is 422 and the unit stays in force', () => refused(
    row('admin', 'POST', () => `/api/v1/units/${fx.unit}/end`, { date: '2026-06-01', successor_id: 0 }, 422, 'successor_id',
      async () => assert.equal((await admin.get(`/api/v1/units/${fx.unit}`)).json.valid_to, null))));

  test('POST /tasks/{id}/deadline {"deadline":""} is 422 and the deadline stays', () => refused(
    row('sec', 'POST', () => `/api/v1/tasks/${fx.task}/deadline`, { deadline: '', reason: 'r' }, 422, 'deadline',
      async () => {
        const t = await task(fx.task);
        assert.equal(t.deadline, '2023-06-30');
        assert.equal(t.deadlines.length, 1);
      })));

  test('POST /tasks/{id}/deadline {"decided_on":""} is 422 and nothing changes', () => refused(
    row('sec', 'POST', () => `/api/v1/tasks/${fx.task}/deadline`, { deadline: '2023-12-31', reason: 'r', decided_on: '' }, 422,
      'decided_on', async () => assert.equal((await task(fx.task)).deadline, '2023-06-30'))));

  test('POST /tasks {"deadline":""} is 422 and no task is made', () => refused(
    row('sec', 'POST', () => '/api/v1/tasks', () => taskBody({ deadline: '' }), 422, 'deadline')));
});

describe('F12: a day of PUT /calendar/{year} is named once, as days[i].member', () => {
  const put = (body, status, field) => row('admin', 'PUT', () => '/api/v1/calendar/2027', body, status, field,
    async () => assert.equal((await admin.get('/api/v1/calendar/2027')).json.basis, 'proposal'));
  const cases = [
    ['a date of the wrong JSON type is 400', put(() => year({ date: 123 }), 400, 'days[0].date')],
    ['a name of the wrong JSON type is 400', put(() => year({ name: false }), 400, 'days[0].name')],
    ['a date that does not exist is 422', put(() => year({ date: '2027-02-30' }), 422, 'days[0].date')],
    ['an empty date is 422', put(() => year({ date: '' }), 422, 'days[0].date')],
    ['an unknown kind is 422', put(() => year({ kind: 'weekend' }), 422, 'days[0].kind')],
    ['an empty name is 422', put(() => year({ name: '' }), 422, 'days[0].name')],
    ['an empty source is 422', put(() => year({ source: '' }), 422, 'days[0].source')],
    ['a missing date is 422', put({ source: 'x', days: [{ kind: 'holiday', name: 'a', source: 'b' }] }, 422, 'days[0].date')],
    ['the second day is named by its place', put({ source: 'x', days: [DAY, { ...DAY, date: '2027-02-31' }] }, 422, 'days[1].date')],
  ];
  for (const [name, c] of cases) test(name, () => refused(c));
});

describe('the class: every id member refuses 0, a negative number and one beyond int64', () => {
  const ids = [
    ['admin', 'POST', () => '/api/v1/tokens', (v) => ({ user_id: v, label: 'x' }), 'user_id'],
    ['admin', 'POST', () => '/api/v1/units', (v) => unitBody({ parent_id: v }), 'parent_id'],
    ['admin', 'POST', () => `/api/v1/units/${fx.unit}/move`, (v) => ({ parent_id: v, from: '2026-03-01' }), 'parent_id'],
    ['admin', 'POST', () => `/api/v1/units/${fx.unit}/end`, (v) => ({ date: '2026-06-01', successor_id: v }), 'successor_id'],
    ['admin', 'POST', () => '/api/v1/users', (v) => userBody({ unit_id: v }), 'unit_id'],
    ['admin', 'PATCH', () => `/api/v1/users/${fx.user}`, (v) => ({ unit_id: v }), 'unit_id'],
    ['sec', 'POST', () => '/api/v1/tasks', (v) => taskBody({ document_id: v }), 'document_id'],
    ['sec', 'POST', () => '/api/v1/tasks', (v) => taskBody({ lead_unit_id: v }), 'lead_unit_id'],
    ['sec', 'POST', () => '/api/v1/tasks', (v) => taskBody({ coordinating_units: [v] }), 'coordinating_units'],
    ['sec', 'PATCH', () => `/api/v1/tasks/${fx.task}`, (v) => ({ lead_unit_id: v }), 'lead_unit_id'],
    ['sec', 'POST', () => `/api/v1/documents/${fx.doc}/tasks`, (v) => ({ tasks: [taskBody({ document_id: v })] }), 'tasks[0].document_id'],
    ['sec', 'POST', () => `/api/v1/documents/${fx.doc}/tasks`, (v) => ({ tasks: [taskBody({ lead_unit_id: v })] }), 'tasks[0].lead_unit_id'],
    ['clerk', 'POST', () => `/api/v1/dossiers/${fx.dossier}/actions`, (v) => ({ action: 'hand_over', version: v }), 'version'],
  ];
  for (const [as, method, path, body, field] of ids) {
    for (const [name, v] of [['0', 0], ['-1', -1], ['beyond int64', BIG]]) {
      test(`${method} ${route(path)} ${field} ${name}`, () => refused(row(as, method, path, body(v), 422, field)));
    }
    test(`${method} ${route(path)} ${field} as a string is 400`, () => refused(row(as, method, path, body('1'), 400, field)));
  }

  test('expires_in_days 0 or below is 422: every token expires', async () => {
    for (const v of [0, -1]) {
      await refused(row('admin', 'POST', () => '/api/v1/tokens', () => ({ user_id: fx.adminId, label: 'x', expires_in_days: v }), 422, 'expires_in_days'));
    }
  });
  test('percent below 0 or beyond int64 is 422', async () => {
    for (const v of [-1, NEG_BIG, 101]) {
      await refused(row('sec', 'POST', () => `/api/v1/tasks/${fx.task}/reports`, { reported_on: '2023-03-15', percent: v, note: 'x' }, 422, 'percent'));
    }
  });
});

describe('the class: "" is never a value', () => {
  // optional members, whose absence means a default, none or open-ended
  const optional = [
    ['admin', 'POST', () => '/api/v1/units', () => unitBody({ valid_to: '' }), 'valid_to'],
    ['sec', 'POST', () => '/api/v1/tasks', () => taskBody({ ref: '' }), 'ref'],
    ['sec', 'POST', () => '/api/v1/tasks', () => taskBody({ assigned_on: '' }), 'assigned_on'],
    ['sec', 'POST', () => `/api/v1/documents/${fx.doc}/tasks`, () => ({ tasks: [taskBody({ deadline: '' })] }), 'tasks[0].deadline'],
    ['clerk', 'POST', () => '/api/v1/dossiers', () => receipt({ channel: '' }), 'channel'],
    ['clerk', 'POST', () => '/api/v1/dossiers', () => receipt({ outcome: '' }), 'outcome'],
    ['clerk', 'POST', () => '/api/v1/dossiers', () => receipt({ applicant_address: '' }), 'applicant_address'],
  ];
  // required members and dates
  const required = [
    ['admin', 'POST', () => '/api/v1/tokens', { user_id: 1, label: '' }, 'label'],
    ...['code', 'name', 'kind', 'valid_from'].map((f) => ['admin', 'POST', () => '/api/v1/units', () => unitBody({ [f]: '' }), f]),
    ...['name', 'kind'].map((f) => ['admin', 'PATCH', () => `/api/v1/units/${fx.unit}`, { [f]: '' }, f]),
    ['admin', 'POST', () => `/api/v1/units/${fx.unit}/move`, () => ({ parent_id: id['42'], from: '' }), 'from'],
    ['admin', 'POST', () => `/api/v1/units/${fx.unit}/end`, { date: '' }, 'date'],
    ...['username', 'full_name', 'password'].map((f) => ['admin', 'POST', () => '/api/v1/users', () => userBody({ [f]: '' }), f]),
    ...['full_name', 'password'].map((f) => ['admin', 'PATCH', () => `/api/v1/users/${fx.user}`, { [f]: '' }, f]),
    ...['number', 'issuer', 'issued_on', 'title', 'assigning_body'].map((f) => ['sec', 'POST', () => '/api/v1/documents', () => documentBody({ [f]: '' }), f]),
    ...['title', 'field', 'assigning_body'].map((f) => ['sec', 'POST', () => '/api/v1/tasks', () => taskBody({ [f]: '' }), f]),
    ...['title', 'field'].map((f) => ['sec', 'PATCH', () => `/api/v1/tasks/${fx.task}`, { [f]: '' }, f]),
    ...['reported_on', 'note'].map((f) => ['sec', 'POST', () => `/api/v1/tasks/${fx.task}/reports`, { reported_on: '2023-03-15', percent: 5, note: 'x', [f]: '' }, f]),
    ['sec', 'POST', () => `/api/v1/tasks/${fx.task}/complete`, { completed_on: '' }, 'completed_on'],
    ['sec', 'POST', () => `/api/v1/tasks/${fx.task}/deadline`, { deadline: '2023-12-31', reason: '' }, 'reason'],
    ['admin', 'PUT', () => '/api/v1/calendar/2027', () => year({}, { source: '' }), 'source'],
    ['admin', 'POST', () => '/api/v1/calendar/hours', { from: '', periods: '07:00-11:30,13:30-17:00' }, 'from'],
    ['admin', 'POST', () => '/api/v1/calendar/hours', { from: '2027-01-01', periods: '' }, 'periods'],
    ...['procedure_code', 'applicant_name', 'applicant_phone'].map((f) => ['clerk', 'POST', () => '/api/v1/dossiers', () => receipt({ [f]: '' }), f]),
    ['clerk', 'POST', () => `/api/v1/dossiers/${fx.dossier}/actions`, { action: '', version: 1 }, 'action'],
  ];
  for (const [as, method, path, body, field] of [...optional, ...required]) {
    test(`${method} ${route(path)} ${field} ""`, () => refused(row(as, method, path, body, 422, field)));
  }

  test('sign-in and password change refuse "" naming the member', async () => {
    const anon = new Client(srv.base);
    for (const [body, field] of [[{ username: '', password: 'x' }, 'username'], [{ username: 'admin', password: '' }, 'password']]) {
      const s0 = await snapshot();
      const r = await anon.post('/api/v1/session', body);
      assertProblem(assert, r, 422, field);
      assert.deepEqual(r.json.errors.map((e) => e.field), [field]);
      assert.equal(anon.cookie, null);
      assert.equal(await snapshot(), s0);
    }
    const own = await signedIn(srv.base, 'admin');
    for (const [body, field] of [
      [{ current_password: '', new_password: 'another long password' }, 'current_password'],
      [{ current_password: demoPassword('admin'), new_password: '' }, 'new_password'],
    ]) {
      const s0 = await snapshot();
      const r = await own.put('/api/v1/session/password', body);
      assertProblem(assert, r, 422, field);
      assert.deepEqual(r.json.errors.map((e) => e.field), [field]);
      assert.equal(await snapshot(), s0);
    }
    assert.equal((await own.get('/api/v1/session')).status, 200, 'the session goes on');
  });
});

describe('absent and null keep their documented meanings', () => {
  test('POST /tasks/{id}/deadline: null makes a standing task, and so does absent', async () => {
    for (const body of [{ deadline: null, reason: 'Nhiệm vụ thường xuyên' }, { reason: 'Nhiệm vụ thường xuyên' }]) {
      const t = await newTask();
      const r = await sec.post(`/api/v1/tasks/${t}/deadline`, body);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.deadline, null);
      assert.equal(r.json.deadlines.length, 2);
    }
  });

  test('POST /tasks/{id}/deadline: decided_on null is today', async () => {
    const t = await newTask();
    const r = await sec.post(`/api/v1/tasks/${t}/deadline`, { deadline: '2027-12-31', reason: 'r', decided_on: null });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.deadline, '2027-12-31');
  });

  test('POST /tasks: deadline, ref and assigned_on null are left out', async () => {
    const r = await sec.post('/api/v1/tasks', taskBody({ deadline: null, ref: null, assigned_on: null }));
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.deadline, null);
    assert.equal(r.json.ref, null);
    assert.equal(r.json.assigned_on, '2023-01-05'); // the document's date
  });

  test('PATCH /tasks/{id}: lead_unit_id null or absent leaves the lead unit', async () => {
    for (const body of [{ lead_unit_id: null, title: 'Đổi tên' }, { title: 'Đổi tên lần nữa' }]) {
      const r = await sec.patch(`/api/v1/tasks/${fx.task}`, body);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.lead_unit_id, id.S03);
    }
  });

  test('POST /tasks/{id}/reports: percent null is missing (422), never 0%', async () => {
    const before = (await task(fx.task)).reports.length;
    await refused(row('sec', 'POST', () => `/api/v1/tasks/${fx.task}/reports`, { reported_on: '2023-03-15', percent: null, note: 'x' }, 422, 'percent'));
    assert.equal((await task(fx.task)).reports.length, before);
  });

  test('POST /units: valid_to null is open-ended; POST /units/{id}/end: successor_id null ends a unit without children', async () => {
    let r = await admin.post('/api/v1/units', unitBody({ valid_to: null }));
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.valid_to, null);
    r = await admin.post(`/api/v1/units/${r.json.id}/end`, { date: '2026-06-01', successor_id: null });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.valid_to, '2026-06-01');
    assert.equal(r.json.successor_id, null);
  });

  test('POST /tokens: expires_in_days null or absent is the default life, 90 days (F9)', async () => {
    for (const body of [{ user_id: fx.adminId, label: 'x', expires_in_days: null }, { user_id: fx.adminId, label: 'x' }]) {
      const r = await admin.post('/api/v1/tokens', body);
      assert.equal(r.status, 201, r.text);
      const days = (Date.parse(r.json.expires_at) - Date.now()) / 86400000;
      assert.ok(days > 89.9 && days <= 90, r.json.expires_at);
    }
    const r = await admin.post('/api/v1/tokens', { user_id: fx.adminId, label: 'x', expires_in_days: 1 });
    assert.equal(r.status, 201, r.text);
    assert.notEqual(r.json.expires_at, null);
  });

  test('PATCH /users/{id}: unit_id null leaves the unit', async () => {
    const r = await admin.patch(`/api/v1/users/${fx.user}`, { unit_id: null, full_name: 'Người Kiểm Thử Hai' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.unit_id, id.S03);
  });

  test('POST /dossiers: channel and outcome null are the defaults (desk, receive)', async () => {
    const r = await clerk.post('/api/v1/dossiers', receipt({ channel: null, outcome: null, applicant_address: null }));
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.channel, 'desk');
    assert.equal(r.json.state, 'processing');
  });
});

describe('ids in the query and the path', () => {
  test('a query id of 0, below 0 or beyond int64 is 400 naming the parameter', async () => {
    const cases = [
      ['/api/v1/units?root=', 'root'], ['/api/v1/units?parent=', 'parent'], ['/api/v1/users?unit=', 'unit'],
      ['/api/v1/tasks?document=', 'document'], ['/api/v1/tasks?lead_unit=', 'lead_unit'],
      ['/api/v1/tasks/stats?period=2023&unit=', 'unit'], ['/api/v1/tasks/reminders?unit=', 'unit'],
      ['/api/v1/dossiers?unit=', 'unit'], ['/api/v1/dossiers/stats?period=2026&unit=', 'unit'],
      ['/api/v1/audit?cursor=', 'cursor'],
    ];
    for (const [path, field] of cases) {
      for (const v of ['0', '-1', '99999999999999999999']) {
        const r = await admin.get(path + v);
        assertProblem(assert, r, 400, field);
        assert.deepEqual(r.json.errors.map((e) => e.field), [field], path + v);
      }
    }
  });

  test('a path id of 0, below 0 or beyond int64 is 404 and writes nothing', async () => {
    for (const v of ['0', '-1', '99999999999999999999']) {
      const s0 = await snapshot();
      assertProblem(assert, await admin.post(`/api/v1/units/${v}/end`, { date: '2026-06-01' }), 404);
      assertProblem(assert, await sec.post(`/api/v1/tasks/${v}/deadline`, { reason: 'r' }), 404);
      assertProblem(assert, await sec.patch(`/api/v1/tasks/${v}`, { title: 'x' }), 404);
      assert.equal(await snapshot(), s0);
    }
  });
});
