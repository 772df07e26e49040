// Units as the admin: the demo tree, search and paging, create / rename /
// move / end with their audit records, and bad input of every kind with
// nothing written.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, signedIn, assertProblem, dbState, openSql } from './lib.mjs';

const OLD = 'date=2023-06-30';

describe('units', () => {
  let srv, admin, sql;
  const id = {};

  before(async () => {
    srv = await startServer();
    sql = openSql(srv.db);
    admin = await signedIn(srv.base, 'admin');
    for (const q of [`${OLD}&limit=1000`, 'limit=1000']) {
      const r = await admin.get('/api/v1/units?' + q);
      for (const u of r.json.items) id[u.code] ??= u.id;
    }
  });
  after(async () => {
    await sql.close();
    await srv.stop();
  });

  // Run a request that must be refused with 'status' naming 'field', and
  // show that it wrote nothing at all.
  async function refused(send, status, field) {
    const before = await dbState(sql);
    const r = await send();
    assertProblem(assert, r, status, field);
    assert.deepEqual(await dbState(sql), before, `a refused request (${status} ${field}) wrote something`);
    return r;
  }

  const post = (body) => () => admin.post('/api/v1/units', body);
  const raw = (text, type = 'application/json') => () =>
    admin.request('POST', '/api/v1/units', { raw: text, headers: type ? { 'Content-Type': type } : {} });
  const DEPT = { code: 'NEW-1', name: 'Sở Thử nghiệm', kind: 'department', valid_from: '2026-01-01' };
  const dept = (over = {}) => ({ ...DEPT, parent_id: id['42'], ...over });
  const without = (k) => { const b = dept(); delete b[k]; return b; };

  test('the demo tree: 251 units on 2023-06-30, 91 today', async () => {
    let r = await admin.get(`/api/v1/units/${id['42']}/tree?${OLD}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.root_id, id['42']);
    assert.equal(r.json.items.length, 251);
    assert.equal(r.json.items[0].id, id['42']);
    assert.equal(r.json.items[0].depth, 0);
    assert.equal(r.json.items.filter((u) => u.kind === 'district').length, 10);
    assert.equal(new Set(r.json.items.map((u) => u.id)).size, 251);
    r = await admin.get(`/api/v1/units/${id['42']}/tree`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.items.length, 91);
    assert.equal(r.json.items.filter((u) => ['district', 'city', 'town', 'township'].includes(u.kind)).length, 0);
    assert.ok(r.json.items.slice(1).every((u) => u.depth >= 1));
    r = await admin.get(`/api/v1/units/${id['42']}/tree?depth=1`);
    assert.equal(r.status, 200);
    assert.equal(r.json.items.length, 1 + r.json.items[0].children);
    assert.ok(r.json.items.every((u) => u.depth <= 1));
  });

  test('the tree answer names its date', async () => {
    const r = await admin.get(`/api/v1/units/${id['42']}/tree?${OLD}`);
    assert.equal(r.json.date, '2023-06-30');
    const t = await admin.get(`/api/v1/units/${id['42']}/tree`);
    assert.match(t.json.date, /^\d{4}-\d\d-\d\d$/);
  });

  test('search folds case and Vietnamese marks: "ha tinh" finds Thành phố Hà Tĩnh in 2023', async () => {
    let r = await admin.get(`/api/v1/units?q=${encodeURIComponent('ha tinh')}&${OLD}`);
    assert.equal(r.status, 200, r.text);
    const names = r.json.items.map((u) => u.name);
    assert.ok(names.includes('Thành phố Hà Tĩnh'), names.join(', '));
    assert.ok(names.includes('Tỉnh Hà Tĩnh'));
    for (const n of names) assert.match(n.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase(), /ha tinh/);
    r = await admin.get(`/api/v1/units?q=${encodeURIComponent('HÀ TĨNH')}&${OLD}`);
    assert.ok(r.json.items.some((u) => u.name === 'Thành phố Hà Tĩnh'));
    // today the city is gone
    r = await admin.get(`/api/v1/units?q=${encodeURIComponent('ha tinh')}`);
    assert.ok(!r.json.items.some((u) => u.name === 'Thành phố Hà Tĩnh'));
    r = await admin.get(`/api/v1/units?q=${encodeURIComponent('huong son')}&kind=district&${OLD}`);
    assert.deepEqual(r.json.items.map((u) => u.code), ['439']);
  });

  test('paging with limit=5 follows next through every unit once', async () => {
    for (const date of [OLD, '']) {
      const all = await admin.get(`/api/v1/units?limit=1000&${date}`);
      assert.equal(all.json.next, null);
      const seen = [];
      let cursor = null, pages = 0;
      do {
        const r = await admin.get(`/api/v1/units?limit=5&${date}${cursor ? '&cursor=' + encodeURIComponent(cursor) : ''}`);
        assert.equal(r.status, 200, r.text);
        assert.ok(r.json.items.length <= 5);
        assert.ok(r.json.next === null || typeof r.json.next === 'string');
        if (r.json.next !== null) assert.equal(r.json.items.length, 5);
        seen.push(...r.json.items.map((u) => u.id));
        cursor = r.json.next;
        assert.ok(++pages < 100);
      } while (cursor);
      assert.equal(new Set(seen).size, seen.length, 'a unit came twice');
      assert.deepEqual(seen, all.json.items.map((u) => u.id));
      assert.equal(seen.length, date ? 251 : 91);
    }
  });

  test('create a department: 201, readable, in the tree, audited', async () => {
    const before = await dbState(sql);
    const r = await admin.post('/api/v1/units', dept({ code: 'S99', name: 'Sở Thử nghiệm' }));
    assert.equal(r.status, 201, r.text);
    const u = r.json;
    assert.equal(typeof u.id, 'number');
    assert.equal(u.code, 'S99');
    assert.equal(u.name, 'Sở Thử nghiệm');
    assert.equal(u.kind, 'department');
    assert.equal(u.parent_id, id['42']);
    assert.equal(u.valid_from, '2026-01-01');
    assert.equal(u.valid_to, null);
    assert.equal(u.successor_id, null);
    assert.equal(u.generated, false);
    const after = await dbState(sql);
    assert.equal(after.units, before.units + 1);
    assert.equal(after.head, before.head + 1);
    const g = await admin.get(`/api/v1/units/${u.id}`);
    assert.equal(g.status, 200, g.text);
    assert.equal(g.json.name, 'Sở Thử nghiệm');
    assert.deepEqual(g.json.links, [{ parent_id: id['42'], parent_code: '42', valid_from: '2026-01-01', valid_to: null }]);
    const t = await admin.get(`/api/v1/units/${id['42']}/tree`);
    assert.equal(t.json.items.length, 92);
    assert.equal(t.json.items.find((x) => x.id === u.id)?.depth, 1);
    assert.equal(t.json.items[0].children, (await admin.get(`/api/v1/units/${id['42']}`)).json.children);
    // not there before it starts
    const old = await admin.get(`/api/v1/units/${id['42']}/tree?date=2025-12-31`);
    assert.ok(!old.json.items.some((x) => x.id === u.id));
    const a = await admin.get(`/api/v1/audit?entity=unit&entity_id=${u.id}`);
    assert.equal(a.status, 200, a.text);
    assert.equal(a.json.items.length, 1);
    const rec = a.json.items[0];
    assert.equal(rec.action, 'create');
    assert.equal(rec.entity, 'unit');
    assert.equal(rec.entity_id, String(u.id));
    assert.equal(rec.actor, 'admin');
    assert.equal(rec.before, null);
    assert.equal(rec.after.name, 'Sở Thử nghiệm');
    assert.equal(rec.after.code, 'S99');
    assert.equal(rec.seq, after.head);
  });

  test('rename: 200, audited with before and after, seen by the (cached) tree', async () => {
    const c = await admin.post('/api/v1/units', dept({ code: 'REN-1', name: 'Tên cũ' }));
    assert.equal(c.status, 201, c.text);
    const t0 = await admin.get(`/api/v1/units/${id['42']}/tree`); // warm any cache
    assert.equal(t0.json.items.find((x) => x.id === c.json.id).name, 'Tên cũ');
    const r = await admin.patch(`/api/v1/units/${c.json.id}`, { name: 'Tên mới', generated: true });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.name, 'Tên mới');
    assert.equal(r.json.generated, true);
    assert.equal(r.json.code, 'REN-1');
    assert.equal((await admin.get(`/api/v1/units/${c.json.id}`)).json.name, 'Tên mới');
    const t1 = await admin.get(`/api/v1/units/${id['42']}/tree`);
    assert.equal(t1.json.items.find((x) => x.id === c.json.id).name, 'Tên mới');
    const a = await admin.get(`/api/v1/audit?entity=unit&entity_id=${c.json.id}`);
    assert.deepEqual(a.json.items.map((x) => x.action), ['create', 'update']);
    const upd = a.json.items[1];
    assert.equal(upd.before.name, 'Tên cũ');
    assert.equal(upd.after.name, 'Tên mới');
    assert.equal(upd.before.generated, false);
    assert.equal(upd.after.generated, true);
    // names are stored NFC: a decomposed name reads back composed
    const nfd = await admin.patch(`/api/v1/units/${c.json.id}`, { name: 'Tên mới'.normalize('NFD') });
    assert.equal(nfd.status, 200, nfd.text);
    assert.equal(nfd.json.name, 'Tên mới');
  });

  test('move a department under another from a date: two periods in links', async () => {
    const a = (await admin.post('/api/v1/units', dept({ code: 'MV-A', name: 'Sở A' }))).json;
    const b = (await admin.post('/api/v1/units', dept({ code: 'MV-B', name: 'Sở B' }))).json;
    const c = await admin.post('/api/v1/units', dept({ code: 'MV-C', name: 'Trung tâm C', parent_id: a.id }));
    assert.equal(c.status, 201, c.text);
    const r = await admin.post(`/api/v1/units/${c.json.id}/move`, { parent_id: b.id, from: '2026-03-01' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.parent_id, b.id);
    const g = await admin.get(`/api/v1/units/${c.json.id}?date=2026-04-01`);
    assert.equal(g.json.parent_id, b.id);
    assert.deepEqual(g.json.links, [
      { parent_id: a.id, parent_code: 'MV-A', valid_from: '2026-01-01', valid_to: '2026-03-01' },
      { parent_id: b.id, parent_code: 'MV-B', valid_from: '2026-03-01', valid_to: null },
    ]);
    assert.equal((await admin.get(`/api/v1/units/${c.json.id}?date=2026-02-01`)).json.parent_id, a.id);
    assert.equal((await admin.get(`/api/v1/units?parent=${a.id}&date=2026-02-15`)).json.items.length, 1);
    assert.equal((await admin.get(`/api/v1/units?parent=${a.id}&date=2026-03-01`)).json.items.length, 0);
    assert.deepEqual((await admin.get(`/api/v1/units/${b.id}/tree?date=2026-03-01`)).json.items.map((x) => x.id), [b.id, c.json.id]);
    const au = await admin.get(`/api/v1/audit?entity=unit&entity_id=${c.json.id}`);
    const mv = au.json.items.at(-1);
    assert.equal(mv.action, 'move');
    assert.equal(mv.before.parent_id, a.id);
    assert.equal(mv.after.parent_id, b.id);
  });

  test('end with a successor: its units move to the successor', async () => {
    const a = (await admin.post('/api/v1/units', dept({ code: 'END-A', name: 'Sở sáp nhập' }))).json;
    const b = (await admin.post('/api/v1/units', dept({ code: 'END-B', name: 'Sở nhận' }))).json;
    const c = (await admin.post('/api/v1/units', dept({ code: 'END-C', name: 'Trung tâm', parent_id: a.id }))).json;
    // without a successor while it holds a unit: refused, nothing written
    await refused(() => admin.post(`/api/v1/units/${a.id}/end`, { date: '2026-06-01' }), 422, 'successor_id');
    const r = await admin.post(`/api/v1/units/${a.id}/end`, { date: '2026-06-01', successor_id: b.id });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.valid_to, '2026-06-01');
    assert.equal(r.json.successor_id, b.id);
    const ended = await admin.get(`/api/v1/units/${a.id}?date=2026-07-01`);
    assert.equal(ended.status, 200);
    assert.equal(ended.json.valid_to, '2026-06-01');
    assert.equal(ended.json.date, '2026-05-31'); // seen on its last day
    const child = await admin.get(`/api/v1/units/${c.id}?date=2026-07-01`);
    assert.equal(child.json.parent_id, b.id);
    assert.deepEqual(child.json.links.map((l) => [l.parent_id, l.valid_from, l.valid_to]),
      [[a.id, '2026-01-01', '2026-06-01'], [b.id, '2026-06-01', null]]);
    assert.deepEqual((await admin.get(`/api/v1/units/${b.id}/tree?date=2026-06-01`)).json.items.map((x) => x.id), [b.id, c.id]);
    const tree = await admin.get(`/api/v1/units/${id['42']}/tree?date=2026-06-01`);
    assert.ok(!tree.json.items.some((x) => x.id === a.id));
    const au = await admin.get(`/api/v1/audit?entity=unit&entity_id=${a.id}`);
    const end = au.json.items.at(-1);
    assert.equal(end.action, 'end');
    assert.equal(end.before.valid_to, null);
    assert.equal(end.after.valid_to, '2026-06-01');
    assert.equal(end.after.successor_id, b.id);
    // a unit without units of its own ends without a successor
    const lone = (await admin.post('/api/v1/units', dept({ code: 'END-D', name: 'Ban lẻ' }))).json;
    const e2 = await admin.post(`/api/v1/units/${lone.id}/end`, { date: '2026-02-01' });
    assert.equal(e2.status, 200, e2.text);
    assert.equal(e2.json.successor_id, null);
  });

  test('an end that fails half-way (second unit cannot go to the successor) writes nothing', async () => {
    const d = await admin.post('/api/v1/units', { code: 'HX-D', name: 'Huyện thử', kind: 'district', parent_id: id['42'], valid_from: '2023-01-01', valid_to: '2025-07-01' });
    assert.equal(d.status, 201, d.text);
    const dc = await admin.post('/api/v1/units', { code: 'HX-P', name: 'Phòng thử', kind: 'department', parent_id: d.json.id, valid_from: '2023-01-01', valid_to: '2025-07-01' });
    assert.equal(dc.status, 201, dc.text);
    const cc = await admin.post('/api/v1/units', { code: 'HX-X', name: 'Xã thử', kind: 'commune', parent_id: d.json.id, valid_from: '2023-01-01', valid_to: '2025-07-01' });
    assert.equal(cc.status, 201, cc.text);
    // a department takes the department but not the commune
    await refused(() => admin.post(`/api/v1/units/${d.json.id}/end`, { date: '2024-01-01', successor_id: id['S02'] }), 422, 'successor_id');
    const t = await admin.get(`/api/v1/units/${d.json.id}/tree?date=2024-06-01`);
    assert.deepEqual(t.json.items.map((x) => x.id), [d.json.id, dc.json.id, cc.json.id]);
  });

  describe('bad input writes nothing', () => {
    test('a missing required field answers 422 naming it', async () => {
      for (const f of ['code', 'name', 'kind', 'parent_id', 'valid_from'])
        await refused(post(without(f)), 422, f);
      for (const f of ['code', 'name', 'kind', 'valid_from'])
        await refused(post(dept({ [f]: '' })), 422, f);
      await refused(post(dept({ code: null })), 422, 'code');
    });

    test('an unknown field answers 400 naming it', async () => {
      await refused(post(dept({ colour: 'red' })), 400, 'colour');
      await refused(post(dept({ id: 5 })), 400, 'id');
      await refused(post(dept({ successor_id: 2 })), 400, 'successor_id');
    });

    test('a field of the wrong JSON type answers 400 naming it', async () => {
      const cases = [['code', 42], ['name', ['x']], ['kind', { k: 1 }], ['parent_id', String(1)],
        ['parent_id', 1.5], ['valid_from', 20260101], ['valid_to', true], ['generated', 'yes'], ['generated', 1]];
      for (const [f, v] of cases) await refused(post(dept({ [f]: v })), 400, f);
    });

    test('malformed JSON, a non-object or a nest deeper than 32 answers 400', async () => {
      for (const text of ['{"code":', '{"code":"A",}', "{'code':'A'}", '', '[]', '"x"', 'null', '{"code":"A","code":"B"}']) {
        const r = await refused(raw(text), 400);
        assert.ok(r.json.errors.length >= 1);
      }
      const deep = (n) => JSON.stringify({ ...dept(), name: undefined }).replace(/}$/, `,"name":"x","x":${'['.repeat(n - 1)}${']'.repeat(n - 1)}}`);
      let r = await refused(raw(deep(33)), 400);
      assert.equal(r.json.errors[0].code, 'too_deep');
      // brackets inside strings do not count
      r = await refused(raw(JSON.stringify(dept({ name: '['.repeat(40), colour: 1 }))), 400, 'colour');
      // 32 levels pass the depth check and stop at the unknown field
      r = await refused(raw(deep(32)), 400, 'x');
      assert.notEqual(r.json.errors[0].code, 'too_deep');
    });

    test('a body over 1 MiB answers 413', async () => {
      const big = JSON.stringify(dept({ name: 'x'.repeat(1024 * 1024) }));
      await refused(raw(big), 413);
    });

    test('a body that is not application/json answers 415 naming Content-Type', async () => {
      const body = JSON.stringify(dept());
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/jsonp', 'multipart/form-data; boundary=x', null])
        await refused(raw(body, type), 415, 'Content-Type');
      // a charset parameter is fine
      const r = await admin.request('POST', '/api/v1/units', { raw: JSON.stringify(dept({ code: 'CT-OK' })), headers: { 'Content-Type': 'application/json; charset=utf-8' } });
      assert.equal(r.status, 201, r.text);
    });

    test('bad codes, names and dates answer 422 naming the field', async () => {
      for (const code of ['a b', 'mã', 'a/b', 'x;DROP', 'A'.repeat(33), "it's", 'tab\t'])
        await refused(post(dept({ code })), 422, 'code');
      await refused(post(dept({ name: 'ă'.repeat(201) })), 422, 'name');
      await refused(post(dept({ name: 'bad\u0007name' })), 422, 'name');
      await refused(post(dept({ name: 'bad\u0085name' })), 422, 'name');
      for (const d of ['2023-02-30', '2026-1-1', '20260101', '2026-13-01', '2026-00-10', 'tomorrow', '2026-01-01T00:00:00Z', '1899-12-31'])
        await refused(post(dept({ valid_from: d })), 422, 'valid_from');
      await refused(post(dept({ valid_to: '2026-02-30' })), 422, 'valid_to');
      await refused(post(dept({ valid_to: '2025-12-31' })), 422, 'valid_to');
      await refused(post(dept({ valid_to: '2026-01-01' })), 422, 'valid_to');
    });

    test('the limits themselves are accepted: a 32-character code, a 200-character name', async () => {
      const r = await admin.post('/api/v1/units', dept({ code: 'B'.repeat(32), name: 'ă'.repeat(200) }));
      assert.equal(r.status, 201, r.text);
      assert.equal(r.json.name, 'ă'.repeat(200));
    });

    test('a parent of the wrong kind, a missing or ended parent, a dissolved level answer 422', async () => {
      await refused(post(dept({ kind: 'commune', parent_id: id['S02'], code: 'X-1' })), 422, 'parent_id');
      await refused(post(dept({ kind: 'department', parent_id: id['18196'], code: 'X-1' })), 422, 'parent_id');
      await refused(post(dept({ kind: 'commune', parent_id: id['S02'], code: 'X-1', valid_from: '2024-01-01', valid_to: '2025-01-01' })), 422, 'parent_id');
      await refused(post(dept({ kind: 'ward', parent_id: id['439'], code: 'X-1' })), 422, 'parent_id');
      await refused(post(dept({ parent_id: 999999 })), 422, 'parent_id');
      await refused(post(dept({ parent_id: -1 })), 422, 'parent_id');
      await refused(post(dept({ parent_id: id['436'] })), 422, 'parent_id'); // ended 2025-07-01
      await refused(post(dept({ valid_from: '2019-06-01' })), 422, 'parent_id'); // before the province
      for (const kind of ['district', 'city', 'town', 'township'])
        await refused(post(dept({ kind, code: 'X-2' })), 422, 'kind');
      await refused(post(dept({ kind: 'province' })), 422, 'kind');
      await refused(post(dept({ kind: 'Department' })), 422, 'kind');
    });

    test('a duplicate code answers 409 naming code', async () => {
      await refused(post(dept({ code: 'S01' })), 409, 'code');
      await refused(post(dept({ code: '436' })), 409, 'code'); // even of an ended unit
    });

    test('bad query parameters answer 400 naming the parameter', async () => {
      const cases = [['/api/v1/units?limit=0', 'limit'], ['/api/v1/units?limit=abc', 'limit'], ['/api/v1/units?limit=1001', 'limit'],
        ['/api/v1/units?limit=5x', 'limit'], ['/api/v1/units?date=2023-13-01', 'date'], ['/api/v1/units?date=2023-02-29', 'date'],
        ['/api/v1/units?date=yesterday', 'date'], ['/api/v1/units?cursor=abc', 'cursor'], ['/api/v1/units?root=-1', 'root'],
        ['/api/v1/units?parent=x', 'parent'], ['/api/v1/units?depth=0', 'depth'], ['/api/v1/units?depth=99', 'depth'],
        ['/api/v1/units?kind=county', 'kind'], [`/api/v1/units/1?date=2023-13-01`, 'date'],
        [`/api/v1/units/1/tree?date=2023-13-01`, 'date'], [`/api/v1/units/1/tree?depth=abc`, 'depth'],
        ['/api/v1/users?limit=0', 'limit'], ['/api/v1/users?unit=abc', 'unit'], ['/api/v1/audit?limit=abc', 'limit'],
        ['/api/v1/audit?cursor=-5', 'cursor']];
      for (const [path, field] of cases) await refused(() => admin.get(path), 400, field);
    });

    test('bad renames answer 4xx naming the field', async () => {
      const u = `/api/v1/units/${id['S03']}`;
      await refused(() => admin.patch(u, { code: 'S333' }), 400, 'code');
      await refused(() => admin.patch(u, { parent_id: 1 }), 400, 'parent_id');
      await refused(() => admin.patch(u, { name: 7 }), 400, 'name');
      await refused(() => admin.patch(u, { name: '' }), 422, 'name');
      await refused(() => admin.patch(u, { name: 'y'.repeat(201) }), 422, 'name');
      await refused(() => admin.patch(u, { kind: 'county' }), 422, 'kind');
      await refused(() => admin.patch(u, { kind: 'province' }), 422, 'kind');
      await refused(() => admin.patch(`/api/v1/units/${id['42']}`, { kind: 'department' }), 422, 'kind');
      await refused(() => admin.patch('/api/v1/units/999999', { name: 'x' }), 404);
    });

    test('bad moves and ends answer 4xx naming the field', async () => {
      const a = (await admin.post('/api/v1/units', dept({ code: 'BM-A', name: 'A' }))).json;
      const b = (await admin.post('/api/v1/units', dept({ code: 'BM-B', name: 'B', parent_id: a.id }))).json;
      const mv = (x, body) => () => admin.post(`/api/v1/units/${x}/move`, body);
      const end = (x, body) => () => admin.post(`/api/v1/units/${x}/end`, body);
      await refused(mv(a.id, { parent_id: b.id, from: '2026-05-01' }), 422, 'parent_id'); // under its own unit
      await refused(mv(a.id, { parent_id: a.id, from: '2026-05-01' }), 422, 'parent_id');
      await refused(mv(a.id, { parent_id: 999999, from: '2026-05-01' }), 422, 'parent_id');
      await refused(mv(a.id, { parent_id: id['18196'], from: '2026-05-01' }), 422, 'parent_id'); // a commune holds no department
      await refused(mv(a.id, { parent_id: id['S02'], from: '2025-05-01' }), 422, 'from'); // before it exists
      await refused(mv(a.id, { parent_id: id['S02'] }), 422, 'from');
      await refused(mv(a.id, { parent_id: id['S02'], from: '2026-02-30' }), 422, 'from');
      await refused(mv(a.id, { parent_id: id['S02'], from: '2026-05-01', note: 'x' }), 400, 'note');
      await refused(mv(id['42'], { parent_id: id['S02'], from: '2026-05-01' }), 422, 'parent_id');
      await refused(mv(999999, { parent_id: id['S02'], from: '2026-05-01' }), 404);
      await refused(end(a.id, {}), 422, 'date');
      await refused(end(a.id, { date: '2026-02-30', successor_id: id['S02'] }), 422, 'date');
      await refused(end(a.id, { date: '2025-02-01', successor_id: id['S02'] }), 422, 'date');
      await refused(end(a.id, { date: '2026-06-01', successor_id: b.id }), 422, 'successor_id');
      await refused(end(a.id, { date: '2026-06-01', successor_id: a.id }), 422, 'successor_id');
      await refused(end(a.id, { date: '2026-06-01', successor_id: 999999 }), 422, 'successor_id');
      await refused(end(a.id, { date: '2026-06-01', successor_id: id['436'] }), 422, 'successor_id'); // ended
      await refused(end(a.id, { date: '2026-06-01', successor_id: id['18196'] }), 422, 'successor_id'); // wrong kind
      await refused(end(a.id, { date: '2026-06-01', successor_id: '5' }), 400, 'successor_id');
      await refused(end(id['42'], { date: '2026-06-01', successor_id: id['S02'] }), 422, 'date');
      await refused(end(999999, { date: '2026-06-01', successor_id: id['S02'] }), 404);
    });
  });

  describe('rules of the tree over time', () => {
    test('a district created in 2024 without an end would outlive the district level',
      async () => {
        await refused(post(dept({ code: 'RULE-1', kind: 'district', valid_from: '2024-01-01' })), 422, 'valid_to');
      });

    test('a commune under a district must end when the district does',
      async () => {
        const r = await refused(post(dept({ code: 'RULE-2', kind: 'commune', parent_id: id['439'], valid_from: '2024-01-01' })), 422);
        assert.ok(r.json.errors.some((e) => ['valid_to', 'parent_id'].includes(e.field)));
      });

    test('renaming the kind must respect the parent, the children and the dissolved levels',
      async () => {
        await refused(() => admin.patch(`/api/v1/units/${id['S06']}`, { kind: 'commune' }), 422, 'kind');
        await refused(() => admin.patch(`/api/v1/units/${id['S02']}`, { kind: 'district' }), 422, 'kind');
        await refused(() => admin.patch(`/api/v1/units/${id['18070']}`, { kind: 'district' }), 422, 'kind');
      });
  });

  test('the tree stays right under concurrent reads and writes', async () => {
    const old = (await admin.get(`/api/v1/units/${id['42']}/tree?${OLD}`)).json.items.length;
    const paths = [];
    for (let i = 0; i < 30; i++)
      paths.push(`/api/v1/units/${id['42']}/tree?${['', OLD, 'depth=1', 'date=2025-06-30', 'date=2026-01-01&depth=2'][i % 5]}`);
    const writes = [1, 2, 3].map((n) => admin.post('/api/v1/units', dept({ code: 'CONC-' + n, name: 'Song song ' + n })));
    const answers = await Promise.all([...paths.map((p) => admin.get(p)), ...writes]);
    for (const r of answers) assert.ok(r.status === 200 || r.status === 201, r.status + ' ' + r.text.slice(0, 200));
    const t = await admin.get(`/api/v1/units/${id['42']}/tree`);
    for (let n = 1; n <= 3; n++) assert.ok(t.json.items.some((x) => x.code === 'CONC-' + n));
    assert.equal((await admin.get(`/api/v1/units/${id['42']}/tree?${OLD}`)).json.items.length, old);
    const h = await new Client(srv.base).get('/healthz');
    assert.equal(h.status, 200);
  });
});
