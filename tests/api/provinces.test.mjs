// Two provinces on one database, each served by a process of its own: Ha Tinh (42, the demo)
// and Quang Binh (44, imported beside it with --province). With data in both (units, users,
// documents, tasks with reports and deadlines, procedures, dossiers moved along their steps,
// calendar records, tokens, the audit trail), every endpoint of the API document the server
// serves is walked as users of 42 with the ids, codes and keys of 44's records: every answer is
// word for word the answer about a record that does not exist, and no list or figure of 42 shows
// anything of 44's. 44's users cannot sign in where 42 is served, nor its cookies or tokens
// pass there, and 42's public lookup does not find 44's dossiers. An endpoint added to the
// document without a row in PROBES fails the walk.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, signedIn, Client, assertProblem } from './lib.mjs';

const QB = '44';
const MISSING_ID = 987654321;
const MISSING_CODE = 'S20-991231-9999';
const B_PASSWORD = 'ngọn hải đăng Nhật Lệ sáng đêm';
// 44's units: its own codes (QB-...), and a desk whose code 42 also has (S20), so that both
// provinces' receipts make the same code on the same day
const UNITS = `code,name,kind,parent_code,valid_from,valid_to,successor_code,generated
${QB},Tỉnh Quảng Bình,province,,2020-01-01,,,0
QB-S02,Sở Nội vụ Quảng Bình,department,${QB},2020-01-01,,,0
QB-S20,Trung tâm Phục vụ hành chính công Quảng Bình,department,${QB},2020-01-01,,,0
S20,Bộ phận một cửa Văn phòng UBND Quảng Bình,department,${QB},2020-01-01,,,0
QB-19190,Phường Hải Thành Quảng Bình,ward,${QB},2025-07-01,,,0
`;
const PROCEDURES = `code,version_from,name,field,level,days,hours,fee,online,papers,steps,source
9.440001,2023-01-01,Thủ tục thử của Quảng Bình,land,province,2,,0,partial,Đơn,Tiếp nhận|desk|0.5d;Xử lý|QB-S02|1d;Trả kết quả|desk|0.5d,test
`;
const PHONE_B = '0912 440 440';
// what 44's answers hold and 42's never may (its document number and task reference are keys 42
// may hold too, as a record of its own)
const MARKERS = ['Quảng Bình', 'QB-S02', 'QB-S20', 'QB-19190', '.qb', '9.440001', PHONE_B.replaceAll(' ', '')];

let a, b;                 // the processes: 42's, 44's
const A = {};             // 42's users, signed in where 42 is served, by name
const B = {};             // 44's, where 44 is served, by the first part of their names
const qb = {};            // 44's records: ids, codes, keys
const mine = {};          // 42's own records the probes act on
let seqB;                 // 44's audit head before 42's users probe

// ---- the two provinces ----

const day = (offset = 0) => new Date(Date.now() + 7 * 3600e3 + offset * 86400e3).toISOString().slice(0, 10);
const ok = (r, status = 200) => { assert.equal(r.status, status, r.text); return r.json; };

function cliOk(...args) {
  const r = a.cli(...args);
  assert.equal(r.code, 0, `reform ${args.join(' ')}: ${r.out}`);
  return r.out;
}

async function signedInB(name, password = B_PASSWORD) {
  const c = new Client(b.base);
  ok(await c.signIn(name, password), 201);
  return c;
}

// 44's records, made by its own users on its own process
async function makeQuangBinh() {
  const dir = mkdtempSync(join(tmpdir(), 'reform-provinces-'));
  writeFileSync(join(dir, 'units.csv'), UNITS);
  writeFileSync(join(dir, 'procedures.csv'), PROCEDURES);
  cliOk('import', 'units', join(dir, 'units.csv'), '--province', QB);
  cliOk('import', 'procedures', join(dir, 'procedures.csv'), '--province', QB);
  cliOk('user', 'add', 'admin.qb', '--name', 'Hoàng Minh Quảng Bình', '--unit', QB, '--roles', 'admin',
    '--password', B_PASSWORD, '--province', QB);
  rmSync(dir, { recursive: true, force: true });
  b = await startServer({ demo: false, db: a.db, args: ['--province', QB] });
  B.admin = await signedInB('admin.qb');
  const units = ok(await B.admin.get('/api/v1/units?limit=1000')).items;
  qb.unit = Object.fromEntries(units.map((u) => [u.code, u.id]));
  qb.units = units.map((u) => u.id);
  for (const [name, unit, roles] of [['secretariat.qb', 'QB-S02', ['secretariat']], ['clerk.qb', 'QB-S20', ['clerk']],
    ['officer.qb', 'QB-S02', ['officer']], ['clerk2.qb', 'S20', ['clerk']]]) {
    ok(await B.admin.post('/api/v1/users', { username: name, full_name: `Người dùng Quảng Bình ${name}`,
      unit_id: qb.unit[unit], roles, password: B_PASSWORD }), 201);
    B[name.split('.')[0]] = await signedInB(name);
  }
  qb.users = ok(await B.admin.get('/api/v1/users?limit=1000')).items.map((u) => u.id);
  qb.usernames = ['admin.qb', 'secretariat.qb', 'clerk.qb', 'officer.qb', 'clerk2.qb'];
  qb.user = qb.users[0];
  const token = ok(await B.admin.post('/api/v1/tokens', { user_id: qb.user, label: 'Cổng Quảng Bình' }), 201);
  qb.token = token.token;
  // the task book
  const doc = ok(await B.secretariat.post('/api/v1/documents', { number: 'QB-01/KH-UBND', issuer: 'UBND tỉnh Quảng Bình',
    issued_on: '2023-01-05', title: 'Kế hoạch cải cách hành chính Quảng Bình', assigning_body: 'people_committee' }), 201);
  qb.doc = doc.id;
  qb.docNumber = doc.number;
  const task = (title, over = {}) => B.secretariat.post('/api/v1/tasks', { document_id: qb.doc, title,
    field: 'procedures', lead_unit_id: qb.unit['QB-S02'], assigned_on: '2023-01-10', deadline: '2023-06-30', ...over });
  const t1 = ok(await task('Số hóa hồ sơ Quảng Bình', { ref: 'QB-T1', coordinating_units: [qb.unit['QB-S20']] }), 201);
  const t2 = ok(await task('Rà soát thủ tục Quảng Bình', { ref: 'QB-T2' }), 201);
  qb.task = t1.id;
  qb.taskRef = t1.ref;
  qb.tasks = [t1.id, t2.id];
  ok(await B.secretariat.post(`/api/v1/tasks/${t1.id}/reports`, { reported_on: '2023-03-01', percent: 40, note: 'Quảng Bình đang làm' }), 201);
  ok(await B.secretariat.post(`/api/v1/tasks/${t1.id}/deadline`, { deadline: '2023-12-31', reason: 'Quảng Bình xin gia hạn' }));
  ok(await B.secretariat.post(`/api/v1/tasks/${t2.id}/complete`, { completed_on: '2023-05-20' }));
  // the calendar: a year and working hours of 44's own
  ok(await B.admin.put('/api/v1/calendar/2031', { source: 'Công văn Quảng Bình', days: [
    { date: '2031-03-05', kind: 'holiday', name: 'Ngày nghỉ Quảng Bình', source: 'Công văn Quảng Bình' }] }));
  ok(await B.admin.post('/api/v1/calendar/hours', { from: '2031-01-01', periods: '08:00-12:00,13:00-17:00' }), 201);
  // dossiers: received at both desks, moved along their steps
  const receive = (clerk) => clerk.post('/api/v1/dossiers', { procedure_code: '9.440001',
    applicant_name: 'Trần Thị Quảng Bình', applicant_phone: PHONE_B, applicant_address: 'Đồng Hới, Quảng Bình' });
  let d1 = ok(await receive(B.clerk), 201);
  qb.secret = d1.secret;
  d1 = ok(await B.clerk.post(`/api/v1/dossiers/${d1.code}/actions`, { action: 'hand_over', version: d1.version }));
  d1 = ok(await B.officer.post(`/api/v1/dossiers/${d1.code}/actions`, { action: 'ask', version: d1.version,
    reason: 'Thiếu bản sao Quảng Bình' }));
  const d2 = ok(await receive(B.clerk2), 201);
  qb.dossier = d1;
  qb.dossiers = [d1.code, d2.code];
  qb.codeAtS20 = d2.code;
  qb.procedure = ok(await B.clerk.get('/api/v1/procedures?limit=1000')).items.find((p) => p.code === '9.440001').id;
}

before(async () => {
  a = await startServer();
  for (const name of ['admin', 'secretariat', 'clerk.hcc', 'officer.stnmt', 'inspector', 'focal.stp']) {
    A[name] = await signedIn(a.base, name);
  }
  // 42's own records that the writes below aim at besides 44's; a receipt at its desk S20 today
  mine.unit = ok(await A.admin.get('/api/v1/units?limit=1000')).items.find((u) => u.code === 'S03').id;
  mine.task = ok(await A.secretariat.get('/api/v1/tasks?limit=1')).items[0].id;
  mine.doc = ok(await A.secretariat.get('/api/v1/documents?limit=1')).items[0].id;
  mine.dossier = ok(await A['clerk.hcc'].post('/api/v1/dossiers', { procedure_code: '1.011441',
    applicant_name: 'Võ Thị Lan', applicant_phone: '0912000111' }), 201);
  ok(await A['clerk.hcc'].post(`/api/v1/dossiers/${mine.dossier.code}/actions`, { action: 'hand_over',
    version: mine.dossier.version }));
  ok(await A.admin.put('/api/v1/calendar/2033', { source: 'Công văn Hà Tĩnh', days: [
    { date: '2033-03-07', kind: 'holiday', name: 'Ngày nghỉ Hà Tĩnh', source: 'Công văn Hà Tĩnh' }] }));
  mine.token = ok(await A.admin.post('/api/v1/tokens', { user_id: ok(await A.admin.get('/api/v1/session')).user.id,
    label: 'Cổng Hà Tĩnh' }), 201).token;
  mine.before = await snapshot();
  await makeQuangBinh();
  seqB = a.db.sql(`SELECT seq FROM audit_head WHERE province_id = (SELECT id FROM provinces WHERE code = '${QB}')`);
});
after(async () => {
  await b?.stop();
  await a?.stop();
});

// ---- reading 42's answers ----

// Every list and figure of 42, as its users read them: 44's records must leave them as they were.
const VIEWS = [
  ['admin', '/api/v1/units?limit=1000'], ['admin', '/api/v1/units?date=2023-06-30&limit=1000'],
  ['admin', '/api/v1/users?limit=1000'], ['admin', '/api/v1/documents?limit=1000'],
  ['secretariat', '/api/v1/tasks?limit=1000'], ['secretariat', '/api/v1/tasks/stats?period=2023'],
  ['secretariat', '/api/v1/tasks/reminders?date=2023-06-01&within=366'],
  ['admin', '/api/v1/procedures?limit=1000'], ['admin', '/api/v1/dossiers?limit=1000'],
  ['officer.stnmt', '/api/v1/dossiers/worklist?limit=1000'], ['admin', `/api/v1/dossiers/stats?period=${day(-1)}..${day(1)}`],
  ['anonymous', '/api/v1/calendar/2031'], ['anonymous', '/api/v1/calendar/2033'],
  ['anonymous', '/api/v1/calendar/due?from=2031-03-04%2016:00&hours=2'],
];
async function snapshot() {
  const seen = {};
  for (const [who, path] of VIEWS) {
    const client = who === 'anonymous' ? new Client(a.base) : A[who];
    seen[path] = ok(await client.get(path));
  }
  return seen;
}

// An answer with 'key' written as <key> wherever it stands whole: two answers about two keys compare.
function masked(r, key) {
  const token = String(key).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return { status: r.status, body: r.text.replace(new RegExp(`(?<![\\w.-])${token}(?![\\w-])`, 'g'), '<key>') };
}

// No trace of 44 in an answer's text: its names, unit codes, sign-ins, procedure, phone, dossiers.
function noneOfQuangBinh(text, what) {
  for (const m of [...MARKERS, ...qb.dossiers]) assert.ok(!text.includes(m), `${what} shows ${m}: ${text.slice(0, 300)}`);
}

// ---- the walk ----

// One row per operation of the API document: each sends the request as 42's user with 44's key
// and with a key that names nothing, and the two answers must be the same (sameAsMissing), or
// checks what that operation promises (a list with none of 44's, a sign-in refused...).
const sameAsMissing = (as, send, key, missing = MISSING_ID) => async () => {
  const theirs = await send(A[as], key());
  const none = await send(A[as], missing);
  const shown = masked(theirs, key());
  assert.deepEqual(shown, masked(none, missing), `44's key ${key()} answered otherwise than a missing one`);
  // neither refused for the role (the probe would prove nothing) nor done
  assert.ok([200, 400, 404, 422].includes(theirs.status), `${theirs.status} ${theirs.text}`);
  noneOfQuangBinh(shown.body, 'the answer');
};
const unitId = () => qb.unit['QB-S02'];
const rootId = () => qb.unit[QB];
const userId = () => qb.user;
const docId = () => qb.doc;
const taskId = () => qb.task;
const procedureId = () => qb.procedure;
const dossierCode = () => qb.dossier.code;
const procedureCode = () => '9.440001';

// A list of 42's, read as 42's user 'as': none of 44's records of 'theirs' (ids or codes) in it.
const listed = (as, path, theirs = () => []) => async () => {
  const r = await A[as].get(path);
  assert.equal(r.status, 200, r.text);
  noneOfQuangBinh(r.text, path);
  const keys = new Set(theirs());
  for (const it of r.json.items) assert.ok(!keys.has(it.id) && !keys.has(it.code), `${path} lists ${JSON.stringify(it).slice(0, 200)}`);
};

const PROBES = {
  'GET /healthz': async () => assert.equal((await new Client(a.base).get('/healthz')).status, 200),
  'GET /api/v1/openapi.json': async () => assert.equal((await new Client(a.base).get('/api/v1/openapi.json')).status, 200),
  'POST /api/v1/session': async () => {
    // 44's user where 42 is served: as a user that does not exist, and 42's user where 44 is
    for (const [base, user, other] of [[a.base, 'admin.qb', B_PASSWORD], [b.base, 'admin', 'demo-admin']]) {
      const theirs = await new Client(base).signIn(user, other);
      const none = await new Client(base).signIn('nobody.qb-missing', other);
      assertProblem(assert, theirs, 401);
      assert.deepEqual(masked(theirs, user), masked(none, 'nobody.qb-missing'));
    }
  },
  'GET /api/v1/session': async () => {
    // a cookie or a token of one province is nobody's at the other's process
    for (const [base, from] of [[a.base, B.admin], [b.base, A.admin]]) {
      const c = new Client(base);
      c.cookie = from.cookie;
      const none = new Client(base);
      none.cookie = 'reform_session=' + 'A'.repeat(43);
      const [r, n] = [await c.get('/api/v1/session'), await none.get('/api/v1/session')];
      assertProblem(assert, r, 401);
      assert.deepEqual([r.status, r.json], [n.status, n.json]);
    }
    for (const [base, token] of [[a.base, qb.token], [b.base, mine.token]]) {
      const c = new Client(base);
      c.bearer = token;
      const none = new Client(base);
      none.bearer = 'B'.repeat(43);
      const [r, n] = [await c.get('/api/v1/session'), await none.get('/api/v1/session')];
      assertProblem(assert, r, 401);
      assert.deepEqual([r.status, r.json], [n.status, n.json]);
    }
    assert.equal((await B.admin.get('/api/v1/session')).status, 200, '44 signs in at home');
    const own = new Client(b.base);
    own.bearer = qb.token;
    assert.equal((await own.get('/api/v1/session')).status, 200, "44's token works at home");
  },
  'DELETE /api/v1/session': async () => {
    const c = new Client(a.base);
    c.cookie = B.admin.cookie;
    c.csrf = B.admin.csrf;
    assertProblem(assert, await c.del('/api/v1/session'), 401);
    const t = new Client(a.base);
    t.bearer = qb.token;
    assertProblem(assert, await t.del('/api/v1/session'), 401);
    assert.equal((await B.admin.get('/api/v1/session')).status, 200, "44's session lives on");
  },
  'PUT /api/v1/session/password': async () => {
    const c = new Client(a.base);
    c.cookie = B.admin.cookie;
    c.csrf = B.admin.csrf;
    assertProblem(assert, await c.put('/api/v1/session/password', { current_password: B_PASSWORD,
      new_password: 'một mật khẩu mới rất dài' }), 401);
  },
  'POST /api/v1/tokens': sameAsMissing('admin', (c, id) => c.post('/api/v1/tokens', { user_id: id, label: 'x' }), userId),
  'GET /api/v1/units': async () => {
    await sameAsMissing('admin', (c, id) => c.get(`/api/v1/units?root=${id}`), rootId)();
    await sameAsMissing('admin', (c, id) => c.get(`/api/v1/units?parent=${id}`), unitId)();
    await listed('admin', '/api/v1/units?q=quang binh&limit=1000', () => qb.units)();
    await listed('admin', '/api/v1/units?limit=1000', () => qb.units)();
    await listed('admin', '/api/v1/units?date=2023-06-30&limit=1000', () => qb.units)();
  },
  'POST /api/v1/units': async () => {
    await sameAsMissing('admin', (c, id) => c.post('/api/v1/units', { code: `X${id}`, name: 'Sở Thử', kind: 'department',
      parent_id: id, valid_from: '2026-01-01' }), unitId)();
  },
  'GET /api/v1/units/{id}': sameAsMissing('admin', (c, id) => c.get(`/api/v1/units/${id}`), unitId),
  'PATCH /api/v1/units/{id}': sameAsMissing('admin', (c, id) => c.patch(`/api/v1/units/${id}`, { name: 'Sở Đổi Tên' }), unitId),
  'GET /api/v1/units/{id}/tree': sameAsMissing('admin', (c, id) => c.get(`/api/v1/units/${id}/tree`), rootId),
  'POST /api/v1/units/{id}/move': async () => {
    await sameAsMissing('admin', (c, id) => c.post(`/api/v1/units/${id}/move`, { parent_id: mine.unit, from: day() }), unitId)();
    await sameAsMissing('admin', (c, id) => c.post(`/api/v1/units/${mine.unit}/move`, { parent_id: id, from: day() }), unitId)();
  },
  'POST /api/v1/units/{id}/end': async () => {
    await sameAsMissing('admin', (c, id) => c.post(`/api/v1/units/${id}/end`, { date: day() }), unitId)();
  },
  'GET /api/v1/users': async () => {
    await sameAsMissing('admin', (c, id) => c.get(`/api/v1/users?unit=${id}`), unitId)();
    await listed('admin', '/api/v1/users?q=qb&limit=1000', () => qb.users)();
    await listed('admin', '/api/v1/users?limit=1000', () => qb.users)();
  },
  'POST /api/v1/users': async () => {
    await sameAsMissing('admin', (c, id) => c.post('/api/v1/users', { username: `new.${id}`, full_name: 'Người Mới',
      unit_id: id, roles: ['focal'], password: 'a long enough password' }), unitId)();
    // A sign-in name is one across the database (users.username is unique): a name 44 holds is
    // taken for 42 too, the one thing 42 learns of 44, and the answer carries nothing of 44's
    const taken = await A.admin.post('/api/v1/users', { username: 'admin.qb', full_name: 'Người Mới',
      unit_id: mine.unit, roles: ['focal'], password: 'a long enough password' });
    assertProblem(assert, taken, 409, 'username');
    noneOfQuangBinh(masked(taken, 'admin.qb').body, 'a taken name'); // the name sent, said back
  },
  'GET /api/v1/users/{id}': sameAsMissing('admin', (c, id) => c.get(`/api/v1/users/${id}`), userId),
  'PATCH /api/v1/users/{id}': sameAsMissing('admin', (c, id) => c.patch(`/api/v1/users/${id}`, { full_name: 'Đổi Tên' }), userId),
  'GET /api/v1/audit': async () => {
    await sameAsMissing('admin', (c, id) => c.get(`/api/v1/audit?entity=unit&entity_id=${id}`), unitId)();
    await sameAsMissing('admin', (c, id) => c.get(`/api/v1/audit?entity=task&entity_id=${id}`), taskId)();
    // the whole of 42's trail: none of 44's records; a failed sign-in names what was typed
    let n = 0;
    for (let next = null, first = true; first || next; first = false) {
      const page = ok(await A.admin.get(`/api/v1/audit?limit=1000${next ? `&cursor=${next}` : ''}`));
      for (const it of page.items) {
        assert.ok(!qb.usernames.includes(it.actor), `42's audit shows ${JSON.stringify(it)}`);
        if (it.action !== 'signin_failed') noneOfQuangBinh(JSON.stringify(it), "42's audit trail");
        n++;
      }
      next = page.next;
    }
    assert.ok(n > 1000, `42's trail read whole: ${n} records`);
  },
  'GET /api/v1/documents': listed('admin', '/api/v1/documents?limit=1000', () => [qb.doc]),
  'POST /api/v1/documents': async () => {
    // a number 44 holds is free in 42, as one nobody holds
    const r = await A.secretariat.post('/api/v1/documents', { number: qb.docNumber, issuer: 'UBND tỉnh Hà Tĩnh',
      issued_on: '2023-01-05', title: 'Kế hoạch', assigning_body: 'people_committee' });
    assert.equal(r.status, 201, r.text);
    noneOfQuangBinh(r.text, 'a new document');
  },
  'GET /api/v1/documents/{id}': sameAsMissing('admin', (c, id) => c.get(`/api/v1/documents/${id}`), docId),
  'POST /api/v1/documents/{id}/tasks': sameAsMissing('secretariat', (c, id) => c.post(`/api/v1/documents/${id}/tasks`,
    { tasks: [{ title: 'Nhiệm vụ', field: 'procedures', lead_unit_id: mine.unit, assigned_on: '2023-01-10' }] }), docId),
  'GET /api/v1/tasks': async () => {
    await sameAsMissing('secretariat', (c, id) => c.get(`/api/v1/tasks?document=${id}`), docId)();
    await sameAsMissing('secretariat', (c, id) => c.get(`/api/v1/tasks?lead_unit=${id}`), unitId)();
    await listed('secretariat', '/api/v1/tasks?q=quang binh&limit=1000', () => qb.tasks)();
    await listed('secretariat', '/api/v1/tasks?limit=1000', () => qb.tasks)();
  },
  'POST /api/v1/tasks': async () => {
    const body = (over) => ({ document_id: mine.doc, title: 'Nhiệm vụ thử', field: 'procedures', lead_unit_id: mine.unit,
      assigned_on: '2023-01-10', ...over });
    await sameAsMissing('secretariat', (c, id) => c.post('/api/v1/tasks', body({ document_id: id })), docId)();
    await sameAsMissing('secretariat', (c, id) => c.post('/api/v1/tasks', body({ lead_unit_id: id })), unitId)();
    await sameAsMissing('secretariat', (c, id) => c.post('/api/v1/tasks', body({ coordinating_units: [id] })), unitId)();
    // a reference 44 holds is free in 42
    const r = await A.secretariat.post('/api/v1/tasks', body({ ref: qb.taskRef }));
    assert.equal(r.status, 201, r.text);
  },
  'GET /api/v1/tasks/stats': sameAsMissing('secretariat', (c, id) => c.get(`/api/v1/tasks/stats?period=2023&unit=${id}`), unitId),
  'GET /api/v1/tasks/reminders': sameAsMissing('secretariat', (c, id) => c.get(`/api/v1/tasks/reminders?date=2023-06-01&within=366&unit=${id}`), unitId),
  'GET /api/v1/tasks/{id}': sameAsMissing('secretariat', (c, id) => c.get(`/api/v1/tasks/${id}`), taskId),
  'PATCH /api/v1/tasks/{id}': async () => {
    await sameAsMissing('secretariat', (c, id) => c.patch(`/api/v1/tasks/${id}`, { title: 'Đổi tên' }), taskId)();
    await sameAsMissing('secretariat', (c, id) => c.patch(`/api/v1/tasks/${mine.task}`, { lead_unit_id: id }), unitId)();
  },
  'POST /api/v1/tasks/{id}/reports': sameAsMissing('secretariat', (c, id) => c.post(`/api/v1/tasks/${id}/reports`,
    { reported_on: '2023-03-15', percent: 50, note: 'x' }), taskId),
  'POST /api/v1/tasks/{id}/complete': sameAsMissing('secretariat', (c, id) => c.post(`/api/v1/tasks/${id}/complete`, {}), taskId),
  'POST /api/v1/tasks/{id}/deadline': sameAsMissing('secretariat', (c, id) => c.post(`/api/v1/tasks/${id}/deadline`,
    { deadline: '2030-12-31', reason: 'r' }), taskId),
  'GET /api/v1/procedures': listed('admin', '/api/v1/procedures?limit=1000', () => [qb.procedure]),
  'GET /api/v1/procedures/{id}': sameAsMissing('admin', (c, id) => c.get(`/api/v1/procedures/${id}`), procedureId),
  'GET /api/v1/dossiers': async () => {
    await sameAsMissing('admin', (c, id) => c.get(`/api/v1/dossiers?unit=${id}`), unitId)();
    await listed('admin', '/api/v1/dossiers?state=supplement&limit=1000', () => qb.dossiers)();
    await listed('admin', '/api/v1/dossiers?limit=1000', () => qb.dossiers)();
  },
  'POST /api/v1/dossiers': sameAsMissing('clerk.hcc', (c, code) => c.post('/api/v1/dossiers', { procedure_code: code,
    applicant_name: 'Võ Thị Lan', applicant_phone: '0912000111' }), procedureCode, '9.999999'),
  'GET /api/v1/dossiers/worklist': listed('officer.stnmt', '/api/v1/dossiers/worklist?limit=1000', () => qb.dossiers),
  'GET /api/v1/dossiers/stats': sameAsMissing('admin', (c, id) => c.get(`/api/v1/dossiers/stats?period=${day(-1)}..${day(1)}&unit=${id}`), unitId),
  'GET /api/v1/dossiers/{code}': sameAsMissing('admin', (c, code) => c.get(`/api/v1/dossiers/${code}`), dossierCode, MISSING_CODE),
  'POST /api/v1/dossiers/{code}/actions': async () => {
    for (const body of [{ action: 'supplied', version: qb.dossier.version }, { action: 'hand_over', version: qb.dossier.version },
      { action: 'withdraw', version: 1 }, { action: 'fly', version: 1 }]) {
      await sameAsMissing('admin', (c, code) => c.post(`/api/v1/dossiers/${code}/actions`, body), dossierCode, MISSING_CODE)();
      await sameAsMissing('clerk.hcc', (c, code) => c.post(`/api/v1/dossiers/${code}/actions`, body), dossierCode,
        MISSING_CODE)();
    }
  },
  'GET /api/v1/public/dossiers/{code}': async () => {
    // 42's lookup does not find 44's dossier by its phone nor by its slip's secret; 44's does
    const anon = new Client(a.base);
    for (const q of [`phone=${encodeURIComponent(PHONE_B)}`, `secret=${qb.secret}`]) {
      const theirs = await anon.get(`/api/v1/public/dossiers/${qb.dossier.code}?${q}`);
      const none = await anon.get(`/api/v1/public/dossiers/${MISSING_CODE}?${q}`);
      assertProblem(assert, theirs, 404);
      assert.deepEqual(masked(theirs, qb.dossier.code), masked(none, MISSING_CODE));
      const home = await new Client(b.base).get(`/api/v1/public/dossiers/${qb.dossier.code}?${q}`);
      assert.equal(home.status, 200, home.text);
    }
  },
  'GET /api/v1/calendar/{year}': async () => {
    // 44's year recorded is none of 42's: 42 answers as before it was recorded
    assert.deepEqual(ok(await new Client(a.base).get('/api/v1/calendar/2031')), mine.before['/api/v1/calendar/2031']);
    assert.equal(ok(await new Client(b.base).get('/api/v1/calendar/2031')).basis, 'recorded');
  },
  'PUT /api/v1/calendar/{year}': async () => {
    const r = await A.admin.put('/api/v1/calendar/2032', { source: 'Công văn thử', days: [
      { date: '2032-03-05', kind: 'holiday', name: 'Nghỉ thử', source: 'Công văn thử' }] });
    assert.equal(r.status, 200, r.text);
    noneOfQuangBinh(r.text, "42's calendar record");
    assert.notEqual(ok(await new Client(b.base).get('/api/v1/calendar/2032')).basis, 'recorded', "42's year reached 44");
  },
  'POST /api/v1/calendar/hours': async () => {
    const before = ok(await new Client(b.base).get('/api/v1/calendar/due?from=2032-06-01%2016:00&hours=2'));
    const r = await A.admin.post('/api/v1/calendar/hours', { from: '2032-06-01', periods: '07:30-11:30,13:00-16:30' });
    assert.equal(r.status, 201, r.text);
    noneOfQuangBinh(r.text, "42's hours");
    assert.deepEqual(ok(await new Client(b.base).get('/api/v1/calendar/due?from=2032-06-01%2016:00&hours=2')), before);
  },
  'GET /api/v1/calendar/due': async () => {
    // 44's hours from 2031 are not 42's: 42's due time is as before they were recorded
    const path = '/api/v1/calendar/due?from=2031-03-04%2016:00&hours=2';
    assert.deepEqual(ok(await new Client(a.base).get(path)), mine.before[path]);
    assert.notDeepEqual(ok(await new Client(b.base).get(path)), mine.before[path], "44's hours did not count at home");
  },
};

describe('the demo again, as a province of another code', () => {
  test('serve --demo --province 45 loads it beside 42 and 44: its own sign-ins, the same tree', async () => {
    const c = await startServer({ demo: true, db: a.db, args: ['--province', '45'] });
    try {
      assert.match(c.log(), /Demo sign-ins of province 45/);
      const admin = new Client(c.base);
      ok(await admin.signIn('admin.45', 'demo-admin.45'), 201);
      assertProblem(assert, await new Client(c.base).signIn('admin', 'demo-admin'), 401);
      assertProblem(assert, await new Client(a.base).signIn('admin.45', 'demo-admin.45'), 401);
      const theirs = ok(await admin.get('/api/v1/units?limit=1000')).items;
      const ours = ok(await A.admin.get('/api/v1/units?limit=1000')).items;
      assert.deepEqual(theirs.map((u) => u.code).sort(), ours.map((u) => (u.code === '42' ? '45' : u.code)).sort());
      assert.equal(theirs.find((u) => u.code === '45').name, 'Tỉnh demo 45');
      assert.equal(ok(await admin.get('/api/v1/tasks?limit=1000')).items.length,
        ok(await A.secretariat.get('/api/v1/tasks?limit=1000')).items.length);
    } finally {
      await c.stop();
    }
  });
});

describe('two provinces on one database', () => {
  test("44's records are real where 44 is served", async () => {
    for (const path of [`/api/v1/units/${unitId()}`, `/api/v1/users/${userId()}`, `/api/v1/documents/${docId()}`,
      `/api/v1/tasks/${taskId()}`, `/api/v1/procedures/${procedureId()}`, `/api/v1/dossiers/${dossierCode()}`]) {
      assert.equal((await B.admin.get(path)).status, 200, path);
    }
    // both desks named S20 received today: two codes, each its own province's
    assert.match(qb.codeAtS20, /^S20-\d{6}-\d{4}$/);
    assert.notEqual(qb.codeAtS20, mine.dossier.code);
    assert.equal((await A.admin.get(`/api/v1/dossiers/${qb.codeAtS20}`)).status, 404);
  });

  test("every list and figure of 42 is what it was before 44 came", async () => {
    const now = await snapshot();
    for (const [, path] of VIEWS) {
      assert.deepEqual(now[path], mine.before[path], `${path} changed when 44's records were made`);
    }
  });

  test('every endpoint of the API document, as users of 42 with the ids, codes and keys of 44', async () => {
    const doc = ok(await new Client(a.base).get('/api/v1/openapi.json'));
    const ops = [];
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const method of ['get', 'post', 'put', 'patch', 'delete']) if (item[method]) ops.push(`${method.toUpperCase()} ${path}`);
    }
    const missing = ops.filter((op) => !PROBES[op]);
    assert.deepEqual(missing, [], 'endpoints the walk does not cover: add them to PROBES');
    for (const op of ops) {
      try {
        await PROBES[op]();
      } catch (e) {
        e.message = `${op}: ${e.message}`;
        throw e;
      }
    }
    // nothing of 44's was written by any of it: 44's trail has only the sign-ins that failed at
    // 44's own process (42's admin trying there, and a name nobody has)
    const added = a.db.sql(`SELECT action FROM audit WHERE seq > ${seqB} AND province_id =` +
      ` (SELECT id FROM provinces WHERE code = '${QB}') ORDER BY seq`).split('\n');
    assert.deepEqual(added, ['signin_failed', 'signin_failed']);
    const d = ok(await B.officer.get(`/api/v1/dossiers/${qb.dossier.code}`));
    assert.equal(d.version, qb.dossier.version);
    assert.equal(d.state, 'supplement');
  });
});
