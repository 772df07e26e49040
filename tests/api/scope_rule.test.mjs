// The one scope rule, for every list, figure and write, as every demo user:
// - a list never shows more than its detail: each item a user lists, that user reads (200);
// - a figure counts what the list behind it shows;
// - a write on a record outside the user's scope answers exactly as on a record that does not
//   exist, before anything about the record (its version, state or holder) or about the request
//   could tell otherwise: 404 where the user's roles allow the write at all (a role that never
//   allows it is refused alike for every record, existing or not).
// Each endpoint is a row of LISTS, FIGURES or WRITES: a new module adds its rows there.
//
// The dossiers are the demo's year (1 July 2025 to 30 June 2026, after the reorganisation), two
// received today at the desk of Xã Sơn Kim 1 (18196), which sat under Huyện Hương Sơn (439)
// until 30 June 2025, and one of them moved back to 20 June 2025 (as a dossier received then
// would be). clerk.huongson (439) must see that one and none of the others: findings F1 and F2
// of the penetration test of December 2026 are reproduced as it reported them.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, signedIn, Client } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const DEMO_USERS = readFileSync(join(here, '../../data/demo/users.csv'), 'utf8')
  .trim().split('\n').slice(1).map((line) => line.split(',')[0]);

const OLD = '2023-06-30';                  // the three-level tree
const YEAR = '2025-07-01..2026-06-30';     // the demo's dossiers
const REORGANISED = Date.parse('2025-06-30T17:00:00Z'); // 1 July 2025, 00:00 at UTC+7
const BEFORE = '2025-06-20T02:00:00Z';     // 20 June 2025, 09:00 at UTC+7
const NOWHERE = 999999;
const NO_DOSSIER = '18196-991231-9999';
const PAGES = 4;     // pages read of each list (1,000 items each)
const CHECKS = 40;   // details read for each user and list, besides the watched records

let srv, admin;
const users = {};    // username -> {client, me}
const unitId = {};   // unit code -> id
const watched = {};  // the dossiers of the F1 case: after (received today), before (moved back)

// ---- reading ----

// Up to PAGES pages of a list: {status, items}; 'pick' takes the items out of an answer.
async function walk(client, path, pick = (j) => j.items) {
  const items = [];
  let next = null;
  for (let page = 0; page < PAGES; page++) {
    const r = await client.get(path + (next ? `${path.includes('?') ? '&' : '?'}cursor=${next}` : ''));
    if (r.status !== 200) return { status: r.status, items: [] };
    items.push(...pick(r.json));
    next = r.json.next;
    if (!next) break;
  }
  return { status: 200, items };
}

// Every page of a list (for counts), however many.
async function count(client, path) {
  let n = 0, next = null;
  do {
    const r = await client.get(path + (next ? `&cursor=${next}` : ''));
    assert.equal(r.status, 200, `${path}: ${r.text}`);
    n += r.json.items.length;
    next = r.json.next;
  } while (next);
  return n;
}

// A deterministic sample of 'items': the first and last of each group, the watched ones, and
// CHECKS more evenly spaced.
function sample(items, key, group, watch = []) {
  const chosen = new Map(), last = new Map();
  for (const it of items) {
    if (!last.has(group(it)) || watch.includes(key(it))) chosen.set(key(it), it);
    last.set(group(it), it);
  }
  for (const it of last.values()) chosen.set(key(it), it);
  const step = Math.max(1, Math.ceil(items.length / CHECKS));
  for (let i = 0; i < items.length; i += step) chosen.set(key(items[i]), items[i]);
  return [...chosen.values()];
}

// Run 'fn' for each user, a few at a time (the server has its own threads to keep busy).
async function eachUser(fn, width = 4) {
  const names = Object.keys(users);
  for (let i = 0; i < names.length; i += width) {
    await Promise.all(names.slice(i, i + width).map((name) => fn(name, users[name].client, users[name].me)));
  }
}

// ---- the tables ----

// A list and the detail of each item, as the same user reads them.
const dossier = { key: (d) => d.code, group: (d) => `${d.desk_unit_id} ${Date.parse(d.received_at) < REORGANISED}`,
  detail: (d) => `/api/v1/dossiers/${d.code}`, watch: () => [watched.after.code, watched.before.code] };
const task = { key: (t) => t.id, group: (t) => t.lead_unit_id, detail: (t) => `/api/v1/tasks/${t.id}` };
const LISTS = [
  { name: 'units today', path: () => '/api/v1/units?limit=1000', key: (u) => u.id, group: (u) => u.parent_id,
    detail: (u) => `/api/v1/units/${u.id}` },
  { name: `units on ${OLD}`, path: () => `/api/v1/units?date=${OLD}&limit=1000`, key: (u) => u.id, group: (u) => u.parent_id,
    detail: (u) => `/api/v1/units/${u.id}?date=${OLD}` },
  { name: `the tree of one's unit on ${OLD}`, path: (me) => `/api/v1/units/${me.scope_unit_id}/tree?date=${OLD}`,
    key: (u) => u.id, group: (u) => u.parent_id, detail: (u) => `/api/v1/units/${u.id}?date=${OLD}` },
  { name: 'users', path: () => '/api/v1/users?limit=1000', key: (u) => u.id, group: (u) => u.unit_id,
    detail: (u) => `/api/v1/users/${u.id}` },
  { name: 'documents', path: () => '/api/v1/documents?limit=1000', key: (d) => d.id, group: () => 0,
    detail: (d) => `/api/v1/documents/${d.id}` },
  { name: 'tasks', path: () => '/api/v1/tasks?limit=1000', ...task },
  { name: 'tasks on 2023-12-31', path: () => '/api/v1/tasks?date=2023-12-31&limit=1000', ...task,
    detail: (t) => `/api/v1/tasks/${t.id}?date=2023-12-31` },
  { name: 'task reminders on 2023-12-01', path: () => '/api/v1/tasks/reminders?within=366&date=2023-12-01', ...task,
    pick: (j) => j.units.flatMap((u) => [...u.overdue, ...u.due_soon]), detail: (t) => `/api/v1/tasks/${t.id}?date=2023-12-01` },
  { name: 'procedures', path: () => '/api/v1/procedures?limit=1000', key: (p) => p.id, group: (p) => p.level,
    detail: (p) => `/api/v1/procedures/${p.id}` },
  { name: 'dossiers', path: () => '/api/v1/dossiers?limit=1000', ...dossier },
  { name: 'dossiers waiting for papers', path: () => '/api/v1/dossiers?state=supplement&limit=1000', ...dossier },
  { name: 'dossiers of the demo year', path: () => `/api/v1/dossiers?received=${YEAR}&limit=1000`, ...dossier },
  { name: "dossiers of one's unit", path: (me) => `/api/v1/dossiers?unit=${me.scope_unit_id}&limit=1000`, ...dossier },
  { name: 'dossiers of Xã Sơn Kim 1', path: () => `/api/v1/dossiers?unit=${unitId['18196']}&limit=1000`, ...dossier },
  { name: 'the worklist', path: () => '/api/v1/dossiers/worklist?limit=1000', ...dossier },
  // the audit trail has no detail of its own: a record is read back through its entity's filter
  { name: 'audit', path: () => '/api/v1/audit?limit=1000', key: (a) => a.seq, group: (a) => a.entity,
    detail: (a) => `/api/v1/audit?entity=${a.entity}&entity_id=${a.entity_id}&limit=1000`,
    found: (j, a) => j.items.some((x) => x.seq === a.seq) },
];

// A figure and the list of the records it counts, as the same user reads them.
const FIGURES = [
  { name: 'dossiers overdue now', figure: `/api/v1/dossiers/stats?period=${YEAR}`, value: (j) => j.now.overdue,
    list: '/api/v1/dossiers?state=processing&overdue=1&limit=1000' },
  { name: 'dossiers waiting for papers now', figure: `/api/v1/dossiers/stats?period=${YEAR}`,
    value: (j) => j.now.waiting_for_papers, list: '/api/v1/dossiers?state=supplement&limit=1000' },
  { name: 'dossiers received in the demo year', figure: `/api/v1/dossiers/stats?period=${YEAR}`,
    value: (j) => j.received, list: `/api/v1/dossiers?received=${YEAR}&limit=1000` },
  { name: "dossiers received in the demo year at one's unit", figure: (me) => `/api/v1/dossiers/stats?period=${YEAR}&unit=${me.scope_unit_id}`,
    value: (j) => j.received, list: (me) => `/api/v1/dossiers?received=${YEAR}&unit=${me.scope_unit_id}&limit=1000` },
];

// A write on a record, with bodies valid and not; 'roles' are those core/access.c lets write at
// all; 'missing' is how a record that does not exist answers (404 unless the record is named
// in the body rather than the path).
const today = () => new Date(Date.now() + 7 * 3600e3).toISOString().slice(0, 10);
const WRITES = [
  { entity: 'dossier', name: 'POST /dossiers/{code}/actions', roles: ['admin', 'leader', 'secretariat', 'clerk', 'officer', 'inspector'],
    path: (d) => `/api/v1/dossiers/${d.code}/actions`,
    bodies: (d) => [
      { action: 'hand_over', version: d.version },              // a holder's move
      { action: 'hand_over', version: d.version + 1 },          // a stale version
      { action: 'return', version: d.version },                 // not from its state
      { action: 'withdraw', version: d.version },               // the desk's move
      { action: 'ask', version: d.version },                    // without its reason
      { action: 'fly', version: d.version },                    // no such action
      { action: 'hand_over', version: 0 },                      // no version
      { action: 'apologise', version: d.version, reason: 'x', appointment: 'soon' },
      { action: 'hand_over', version: 'one' },                  // not even the right type
    ] },
  { entity: 'task', name: 'POST /tasks/{id}/reports', roles: ['focal', 'secretariat'], path: (t) => `/api/v1/tasks/${t.id}/reports`,
    bodies: () => [{ percent: 50, note: 'x' }, { percent: 500 }, { percent: 50, reported_on: '2023-02-30' }] },
  { entity: 'task', name: 'POST /tasks/{id}/complete', roles: ['focal', 'secretariat'], path: (t) => `/api/v1/tasks/${t.id}/complete`,
    bodies: () => [{}, { completed_on: today() }, { completed_on: '2099-01-01' }, { completed_on: '2023-02-30' }] },
  { entity: 'task', name: 'POST /tasks/{id}/deadline', roles: ['secretariat'], path: (t) => `/api/v1/tasks/${t.id}/deadline`,
    bodies: () => [{ deadline: '2030-12-31', reason: 'r' }, { deadline: '2030-13-01', reason: '' }] },
  { entity: 'task', name: 'PATCH /tasks/{id}', roles: ['secretariat'], method: 'patch', path: (t) => `/api/v1/tasks/${t.id}`,
    bodies: () => [{ title: 'X' }, { title: '' }, { lead_unit_id: NOWHERE }] },
  { entity: 'unit', name: 'PATCH /units/{id}', roles: ['admin'], method: 'patch', path: (u) => `/api/v1/units/${u.id}`,
    bodies: () => [{ name: 'X' }, { name: '' }] },
  { entity: 'unit', name: 'POST /units/{id}/move', roles: ['admin'], path: (u) => `/api/v1/units/${u.id}/move`,
    bodies: () => [{ parent_id: unitId['42'], from: today() }, { parent_id: NOWHERE, from: '2023-02-30' }] },
  { entity: 'unit', name: 'POST /units/{id}/end', roles: ['admin'], path: (u) => `/api/v1/units/${u.id}/end`,
    bodies: () => [{ date: today() }, { date: '2023-02-30' }] },
  { entity: 'user', name: 'PATCH /users/{id}', roles: ['admin'], method: 'patch', path: (u) => `/api/v1/users/${u.id}`,
    bodies: () => [{ full_name: 'X' }, { full_name: '' }, { roles: ['emperor'] }] },
  { entity: 'user', name: 'POST /tokens for a user', roles: ['admin'], path: () => '/api/v1/tokens', missing: 422,
    bodies: (u) => [{ user_id: u.id, label: 'x' }, { user_id: u.id, label: '' }] },
];

// Records of each entity, as a province-wide reader lists them, and how each is named when absent.
const ENTITIES = {
  dossier: { absent: { code: NO_DOSSIER, version: 1 }, detail: (d) => `/api/v1/dossiers/${d.code}` },
  task: { absent: { id: NOWHERE }, detail: (t) => `/api/v1/tasks/${t.id}` },
  unit: { absent: { id: NOWHERE }, detail: (u) => `/api/v1/units/${u.id}` },
  user: { absent: { id: NOWHERE }, detail: (u) => `/api/v1/users/${u.id}` },
};
const candidates = {}; // entity -> records, each with what its writes need

// Up to 'n' records of 'entity' outside the user's scope: their detail answers 404 to the user
// (or, for a user whose roles read none of them, records other than the user's own).
async function foreign(entity, name, client, me, n = 2, first = []) {
  const found = [];
  for (const rec of [...first, ...candidates[entity]]) {
    if (found.length >= n) break;
    if (found.includes(rec)) continue;
    const r = await client.get(ENTITIES[entity].detail(rec));
    if (r.status === 404 || (r.status === 403 && rec.id !== me.id && rec.id !== me.unit?.id)) found.push(rec);
  }
  return found;
}

// ---- the province ----

// the clerks this test adds: a password of their own (the demo's pattern is refused to everyone else)
const SONKIM_PASSWORD = 'lúa chín vàng đồng Sơn Kim';
async function signedInWith(name, password) {
  const c = new Client(srv.base);
  const r = await c.signIn(name, password);
  assert.equal(r.status, 201, r.text);
  return c;
}

before(async () => {
  srv = await startServer();
  admin = await signedIn(srv.base, 'admin');
  for (const q of [`date=${OLD}&limit=1000`, 'limit=1000']) {
    for (const u of (await admin.get('/api/v1/units?' + q)).json.items) unitId[u.code] ??= u.id;
  }
  // a desk at Xã Sơn Kim 1: the demo has a focal point there, not a clerk
  let r = await admin.post('/api/v1/users', { username: 'clerk.sonkim1', full_name: 'Lê Thị Thu', unit_id: unitId['18196'],
    roles: ['clerk'], password: SONKIM_PASSWORD });
  assert.equal(r.status, 201, r.text);
  // the demo's year of dossiers, all received after the reorganisation
  r = srv.cli('demo', 'dossiers', '--count', '1500');
  assert.equal(r.code, 0, r.out);
  for (const name of [...DEMO_USERS, 'clerk.sonkim1']) {
    const client = name === 'clerk.sonkim1' ? await signedInWith(name, SONKIM_PASSWORD) : await signedIn(srv.base, name);
    users[name] = { client, me: (await client.get('/api/v1/session')).json.user };
  }
  // two receipts at Sơn Kim 1 today; one of them moved back to before the reorganisation
  const clerk = users['clerk.sonkim1'].client;
  const proc = (await clerk.get('/api/v1/procedures?level=commune&limit=1')).json.items[0];
  for (const k of ['after', 'before']) {
    r = await clerk.post('/api/v1/dossiers', { procedure_code: proc.code, applicant_name: 'Nguyễn Thị Hoa',
      applicant_phone: '0912 000 111', applicant_address: 'Thôn 1, Sơn Kim 1' });
    assert.equal(r.status, 201, r.text);
    watched[k] = r.json;
  }
  const at = Date.parse(BEFORE) / 1000;
  srv.db.sql(`UPDATE dossiers SET received_at = ${at} WHERE code = '${watched.before.code}'`);
  srv.db.sql(`UPDATE dossier_events SET at = ${at} WHERE action = 'receive' AND dossier_id =` +
    ` (SELECT id FROM dossiers WHERE code = '${watched.before.code}')`);
  // the records the writes are tried on, as province-wide readers see them
  const dossiers = (await walk(admin, '/api/v1/dossiers?limit=1000')).items;
  const byDesk = new Map();
  for (const d of dossiers) if (!byDesk.has(d.desk_unit_id) || d.state === 'processing') byDesk.set(d.desk_unit_id, d);
  candidates.dossier = [];
  for (const d of [watched.after, ...byDesk.values()]) {
    candidates.dossier.push((await admin.get(`/api/v1/dossiers/${d.code}`)).json); // with its version
  }
  const sec = users.secretariat.client;
  const tasks = (await walk(sec, '/api/v1/tasks?limit=1000')).items;
  candidates.task = sample(tasks, task.key, task.group).slice(0, 60);
  candidates.unit = (await walk(admin, '/api/v1/units?limit=1000')).items;
  candidates.user = (await walk(admin, '/api/v1/users?limit=1000')).items;
});
after(async () => { await srv?.stop(); });

// ---- F1 and F2 as the pen test reported them ----

describe('F1: a district ended on 2025-07-01 lists none of the dossiers its communes received after it', () => {
  test('clerk.huongson lists the dossier Sơn Kim 1 received while under Hương Sơn, not those after', async () => {
    const huongson = users['clerk.huongson'].client;
    const listed = (await walk(huongson, '/api/v1/dossiers?limit=1000')).items;
    const codes = listed.map((d) => d.code);
    assert.ok(!codes.includes(watched.after.code), `${watched.after.code}, received today at Sơn Kim 1, listed to Hương Sơn`);
    assert.ok(codes.includes(watched.before.code), `${watched.before.code}, received there on 20 June 2025, not listed`);
    // the demo's dossiers of Sơn Kim 1 and 2, all after the reorganisation, stay out too
    const theirs = (await walk(admin, `/api/v1/dossiers?unit=${unitId['18196']}&limit=1000`)).items
      .concat((await walk(admin, `/api/v1/dossiers?unit=${unitId['18199']}&limit=1000`)).items);
    assert.ok(theirs.length > 2, 'the demo gave Sơn Kim 1 and 2 no dossiers');
    for (const d of listed) {
      assert.ok(Date.parse(d.received_at) < REORGANISED, `${d.code} received ${d.received_at} listed to Hương Sơn`);
    }
  });

  test('the detail agrees: 404 word for word as no dossier after, 200 before', async () => {
    const huongson = users['clerk.huongson'].client;
    const later = await huongson.get(`/api/v1/dossiers/${watched.after.code}`);
    const none = await huongson.get(`/api/v1/dossiers/${NO_DOSSIER}`);
    assert.equal(later.status, 404);
    assert.equal(later.text, none.text);
    const earlier = await huongson.get(`/api/v1/dossiers/${watched.before.code}`);
    assert.equal(earlier.status, 200, earlier.text);
    assert.equal(earlier.json.applicant.name, 'Nguyễn Thị Hoa');
  });
});

describe('F2: an action on a dossier out of scope answers as on a code that does not exist', () => {
  test('clerk.huongson on a dossier Sơn Kim 1 received today: 404 whatever the version, action or body', async () => {
    const huongson = users['clerk.huongson'].client;
    const d = watched.after;
    const bodies = [
      { action: 'hand_over', version: 1 },   // was 403 "only the unit that holds its step..."
      { action: 'hand_over', version: 2 },   // was 409 "...it is at version 1 now"
      { action: 'return', version: 1 },      // was 409 "a dossier processing cannot be return"
      { action: 'ask', version: 1 },         // was 422 "this needs a written reason"
      { action: 'fly', version: 1 },         // was 422 naming action
    ];
    const got = [], none = [];
    for (const body of bodies) {
      got.push((await huongson.post(`/api/v1/dossiers/${d.code}/actions`, body)).text);
      none.push((await huongson.post(`/api/v1/dossiers/${NO_DOSSIER}/actions`, body)).text);
    }
    assert.equal(JSON.parse(none[0]).status, 404);
    assert.deepEqual(got, none);
    const now = (await admin.get(`/api/v1/dossiers/${d.code}`)).json;
    assert.equal(now.version, d.version);
    assert.equal(now.state, d.state);
  });

  test('the desk that holds it still moves it, at its version', async () => {
    const clerk = users['clerk.sonkim1'].client;
    const r = await clerk.post(`/api/v1/dossiers/${watched.before.code}/actions`, { action: 'hand_over', version: 9 });
    assert.equal(r.status, 409, r.text); // in scope: the version is told
    assert.equal(r.json.errors[0].field, 'version');
  });
});

// ---- every list, figure and write, as every user ----

describe('every list shows only what its detail shows, to every demo user', () => {
  for (const row of LISTS) {
    test(row.name, async () => {
      let checked = 0;
      await eachUser(async (name, client, me) => {
        const { status, items } = await walk(client, row.path(me), row.pick);
        assert.ok([200, 403, 404].includes(status), `${name} ${row.path(me)}: ${status}`);
        for (const it of sample(items, row.key, row.group, row.watch ? row.watch() : [])) {
          const r = await client.get(row.detail(it));
          assert.equal(r.status, 200, `${name} lists ${row.key(it)} at ${row.path(me)} but reads ${row.detail(it)} as ${r.status}`);
          if (row.found) assert.ok(row.found(r.json, it), `${name}: ${row.detail(it)} lacks ${row.key(it)}`);
          checked++;
        }
      });
      assert.ok(checked > 0, `${row.name}: nobody listed anything`);
    });
  }
});

describe('every figure counts what the list behind it shows, to every demo user', () => {
  for (const row of FIGURES) {
    test(row.name, async () => {
      let compared = 0;
      await eachUser(async (name, client, me) => {
        const f = await client.get(typeof row.figure === 'function' ? row.figure(me) : row.figure);
        if (f.status === 403) return; // no dossier role
        assert.equal(f.status, 200, `${name}: ${f.text}`);
        const listed = await count(client, typeof row.list === 'function' ? row.list(me) : row.list);
        assert.equal(row.value(f.json), listed, `${name}: ${row.name} is ${row.value(f.json)}, the list shows ${listed}`);
        compared++;
      });
      assert.ok(compared > 0);
    });
  }
});

describe('every write answers a record outside scope as one that does not exist, to every demo user', () => {
  let seq;
  before(() => { seq = srv.db.sql('SELECT seq FROM audit_head'); });
  after(() => assert.equal(srv.db.sql('SELECT seq FROM audit_head'), seq, 'a refused write wrote something'));

  for (const row of WRITES) {
    test(row.name, async () => {
      let tried = 0;
      await eachUser(async (name, client, me) => {
        const first = row.entity === 'dossier' && name === 'clerk.huongson' ? [candidates.dossier[0]] : [];
        const records = await foreign(row.entity, name, client, me, 2, first);
        const allowed = me.roles.some((role) => row.roles.includes(role));
        const send = (rec, body) => client[row.method || 'post'](row.path(rec), body);
        for (const rec of records) {
          const absent = { ...rec, ...ENTITIES[row.entity].absent };
          const bodies = row.bodies(rec), absentBodies = row.bodies(absent);
          for (let i = 0; i < bodies.length; i++) {
            const r = await send(rec, bodies[i]);
            const m = await send(absent, absentBodies[i]);
            const what = `${name} ${row.name} on ${row.entity} ${rec.code || rec.id} with ${JSON.stringify(bodies[i])}`;
            assert.ok(![409, 200, 201, 204].includes(r.status), `${what}: ${r.status} ${r.text}`);
            assert.equal(r.status, m.status, `${what}: ${r.status}, a missing one ${m.status}: ${r.text}`);
            assert.deepEqual(r.json, m.json, what);
            // a body that is not even JSON of the right types is 400 before any record is read
            if (allowed && m.status !== 400) assert.equal(r.status, row.missing || 404, `${what}: ${r.text}`);
            if (!allowed && m.status !== 400) assert.equal(r.json.errors[0].code, 'role', `${what}: ${r.text}`);
            tried++;
          }
        }
      });
      assert.ok(tried > 0, `${row.name}: no record outside anyone's scope`);
    });
  }
});

// A dossier's figures go to the units above its desk on the day it was received, whichever day
// they are counted on: a desk moved to another unit after a receipt leaves the result with the
// unit that took the dossier in, as the list behind the figure shows it (and as that unit's
// "open" count, which the receipt raised, goes down again).
describe('the figures of a dossier stay with the units it was received under', () => {
  test('a result counted after its desk moved: the figure of the unit it was received under, as its list', async () => {
    const post = async (path, body) => {
      const r = await admin.post(path, body);
      assert.equal(r.status, 201, r.text);
      return r.json;
    };
    const a = await post('/api/v1/units', { code: 'TA', name: 'Phòng thử A', kind: 'department', parent_id: unitId['42'], valid_from: '2020-01-01' });
    const b = await post('/api/v1/units', { code: 'TB', name: 'Phòng thử B', kind: 'department', parent_id: unitId['42'], valid_from: '2020-01-01' });
    const desk = await post('/api/v1/units', { code: 'TC', name: 'Bộ phận một cửa thử', kind: 'department', parent_id: a.id, valid_from: '2020-01-01' });
    await post('/api/v1/users', { username: 'clerk.tc', full_name: 'Đỗ Văn Nam', unit_id: desk.id, roles: ['clerk'], password: SONKIM_PASSWORD });
    const clerk = await signedInWith('clerk.tc', SONKIM_PASSWORD);
    const proc = (await clerk.get('/api/v1/procedures?level=commune&limit=1')).json.items[0];
    let d = (await clerk.post('/api/v1/dossiers', { procedure_code: proc.code, applicant_name: 'Phan Văn Bình', applicant_phone: '0912 222 333' })).json;
    assert.ok(d.code, JSON.stringify(d));
    // received ten days ago under A; the desk under B from five days ago
    const day = (n) => new Date(Date.now() + 7 * 3600e3 - n * 86400e3).toISOString().slice(0, 10);
    const at = Math.floor(Date.now() / 1000) - 10 * 86400;
    srv.db.sql(`UPDATE dossiers SET received_at = ${at} WHERE code = '${d.code}'`);
    let r = await admin.post(`/api/v1/units/${desk.id}/move`, { parent_id: b.id, from: day(5) });
    assert.equal(r.status, 200, r.text);
    while (d.state === 'processing') {
      r = await clerk.post(`/api/v1/dossiers/${d.code}/actions`, { action: 'hand_over', version: d.version });
      assert.equal(r.status, 200, r.text);
      d = r.json;
    }
    assert.equal(d.state, 'ready');
    const period = `${day(0)}..${day(0)}`;
    for (const [unit, expected] of [[a.id, 1], [b.id, 0]]) {
      const f = (await admin.get(`/api/v1/dossiers/stats?period=${period}&unit=${unit}`)).json;
      const listed = await count(admin, `/api/v1/dossiers?result=${period}&unit=${unit}&limit=1000`);
      assert.equal(listed, expected, `unit ${unit}`);
      assert.equal(f.processed, listed, `unit ${unit}: processed ${f.processed}, the list shows ${listed}`);
      assert.equal(f.now.within_due + f.now.overdue + f.now.waiting_for_papers, 0, `unit ${unit}: ${JSON.stringify(f.now)}`);
    }
  });
});
