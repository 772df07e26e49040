// Unit scope: a user sees their own unit's subtree only, and anything outside
// it answers 404 exactly like something that does not exist.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, signedIn, assertProblem } from './lib.mjs';

const OLD = 'date=2023-06-30'; // the three-level tree, when Thành phố Hà Tĩnh (436) existed
const NOWHERE = 999999;

describe('unit scope', () => {
  let srv, admin, focal, leader;
  const id = {}; // unit ids by code
  const uid = {}; // user ids by name

  before(async () => {
    srv = await startServer();
    [admin, focal, leader] = await Promise.all(
      ['admin', 'focal.sonkim1', 'leader.tphatinh'].map((u) => signedIn(srv.base, u)));
    const all = await admin.get(`/api/v1/units?${OLD}&limit=1000`);
    assert.equal(all.status, 200);
    for (const u of all.json.items) id[u.code] = u.id;
    const today = await admin.get('/api/v1/units?limit=1000');
    for (const u of today.json.items) id[u.code] ??= u.id;
    const users = await admin.get('/api/v1/users?limit=1000');
    for (const u of users.json.items) uid[u.username] = u.id;
  });
  after(async () => { await srv.stop(); });

  // 404 for both, with the same problem document
  async function sameAsMissing(client, foreignPath, missingPath) {
    const f = await client.get(foreignPath);
    const m = await client.get(missingPath);
    assertProblem(assert, m, 404);
    assertProblem(assert, f, 404);
    assert.deepEqual(f.json, m.json, `${foreignPath} must answer like ${missingPath}`);
    assert.equal(f.headers.get('content-type'), m.headers.get('content-type'));
  }

  test('the demo users sit where the tests expect', () => {
    assert.ok(id['18196'] && id['436'] && id['439'] && id['18070']);
    assert.ok(uid['focal.sonkim1'] && uid['leader.tphatinh'] && uid['clerk.huongson']);
  });

  describe('focal.sonkim1 (commune Sơn Kim 1, under the province today)', () => {
    test('reads its own unit, tree and lists', async () => {
      let r = await focal.get(`/api/v1/units/${id['18196']}`);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.code, '18196');
      assert.equal(r.json.parent_id, id['42']);
      r = await focal.get(`/api/v1/units/${id['18196']}/tree`);
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.json.items.map((u) => u.id), [id['18196']]);
      r = await focal.get(`/api/v1/units?root=${id['18196']}`);
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.json.items.map((u) => u.id), [id['18196']]);
      r = await focal.get(`/api/v1/units?parent=${id['18196']}`);
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.json, { items: [], next: null });
      r = await focal.get('/api/v1/units?limit=1000');
      assert.deepEqual(r.json.items.map((u) => u.id), [id['18196']]);
      r = await focal.get(`/api/v1/units?limit=1000&${OLD}`);
      assert.deepEqual(r.json.items.map((u) => u.id), [id['18196']]);
      r = await focal.get('/api/v1/units?q=ha%20tinh&limit=1000');
      assert.deepEqual(r.json.items, []);
    });

    test('GET /units/{id} of the province, its former district and another ward answers like a missing unit', async () => {
      for (const code of ['42', '439', '18070']) {
        const date = code === '18070' ? `?${OLD}` : '';
        await sameAsMissing(focal, `/api/v1/units/${id[code]}${date}`, `/api/v1/units/${NOWHERE}${date}`);
      }
    });

    test('GET /units/{id}/tree of foreign units answers like a missing unit', async () => {
      for (const code of ['42', '439', '437']) {
        const q = code === '42' ? '' : OLD;
        await sameAsMissing(focal, `/api/v1/units/${id[code]}/tree?${q}`, `/api/v1/units/${NOWHERE}/tree?${q}`);
      }
    });

    test('GET /units?root= and ?parent= of foreign units answer like missing ones', async () => {
      for (const code of ['42', '439', '437']) {
        const q = code === '42' ? '' : OLD;
        await sameAsMissing(focal, `/api/v1/units?root=${id[code]}&${q}`, `/api/v1/units?root=${NOWHERE}&${q}`);
        await sameAsMissing(focal, `/api/v1/units?parent=${id[code]}&${q}`, `/api/v1/units?parent=${NOWHERE}&${q}`);
      }
    });

    test('a focal may not write units, read users or read the audit trail (403)', async () => {
      const before = srv.db.sql('SELECT COUNT(*) FROM units');
      let r = await focal.post('/api/v1/units', { code: 'F1', name: 'F1', kind: 'department', parent_id: id['42'], valid_from: '2026-01-01' });
      assertProblem(assert, r, 403);
      r = await focal.patch(`/api/v1/units/${id['18196']}`, { name: 'Renamed by focal' });
      assertProblem(assert, r, 403);
      r = await focal.post(`/api/v1/units/${id['18196']}/end`, { date: '2026-06-01', successor_id: id['42'] });
      assertProblem(assert, r, 403);
      assertProblem(assert, await focal.get('/api/v1/users'), 403);
      assertProblem(assert, await focal.get(`/api/v1/users/${uid['focal.sonkim1']}`), 403);
      assertProblem(assert, await focal.get('/api/v1/audit'), 403);
      r = await focal.post('/api/v1/users', { username: 'sneaky', full_name: 'X', unit_id: id['18196'], roles: ['admin'], password: 'long enough password' });
      assertProblem(assert, r, 403);
      assert.equal(srv.db.sql('SELECT COUNT(*) FROM units'), before);
      assert.equal((await focal.get(`/api/v1/units/${id['18196']}`)).json.name, 'Xã Sơn Kim 1');
    });
  });

  describe('leader.tphatinh (Thành phố Hà Tĩnh, ended 2025-07-01)', () => {
    test('reads 436 and its wards on 2023-06-30, not Hương Sơn\'s communes', async () => {
      let r = await leader.get(`/api/v1/units/${id['436']}/tree?${OLD}`);
      assert.equal(r.status, 200, r.text);
      const inside = r.json.items.map((u) => u.id);
      assert.equal(inside.length, 16); // the city and its 15 wards and communes
      assert.equal(inside[0], id['436']);
      assert.ok(inside.includes(id['18070']));
      assert.ok(r.json.items.slice(1).every((u) => u.parent_id === id['436']));
      r = await leader.get(`/api/v1/units/${id['18070']}?${OLD}`);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.name, 'Phường Trần Phú');
      r = await leader.get(`/api/v1/units?${OLD}&limit=1000`);
      assert.equal(r.status, 200);
      assert.deepEqual(r.json.items.map((u) => u.id).sort((a, b) => a - b), [...inside].sort((a, b) => a - b));
      r = await leader.get(`/api/v1/units?parent=${id['436']}&${OLD}&limit=1000`);
      assert.equal(r.status, 200);
      assert.equal(r.json.items.length, 15);
      // Hương Sơn's communes, e.g. Sơn Kim 1, are outside
      const hs = await admin.get(`/api/v1/units?parent=${id['439']}&${OLD}&limit=1000`);
      assert.ok(hs.json.items.length > 0);
      for (const u of hs.json.items) assert.ok(!inside.includes(u.id));
      r = await leader.get(`/api/v1/units?q=son%20kim&${OLD}&limit=1000`);
      assert.deepEqual(r.json.items, []);
    });

    test('GET /units/{id} of Hương Sơn, Sơn Kim 1 and the province answers like a missing unit', async () => {
      for (const code of ['439', '18196', '42']) {
        await sameAsMissing(leader, `/api/v1/units/${id[code]}?${OLD}`, `/api/v1/units/${NOWHERE}?${OLD}`);
      }
    });

    test('GET /units/{id}/tree outside 436 answers like a missing unit', async () => {
      for (const code of ['439', '18196', '42', '437']) {
        await sameAsMissing(leader, `/api/v1/units/${id[code]}/tree?${OLD}`, `/api/v1/units/${NOWHERE}/tree?${OLD}`);
      }
    });

    test('GET /units?root= and ?parent= outside 436 answer like missing ones', async () => {
      for (const code of ['439', '18196', '42', '437']) {
        await sameAsMissing(leader, `/api/v1/units?root=${id[code]}&${OLD}`, `/api/v1/units?root=${NOWHERE}&${OLD}`);
        await sameAsMissing(leader, `/api/v1/units?parent=${id[code]}&${OLD}`, `/api/v1/units?parent=${NOWHERE}&${OLD}`);
      }
    });

    test('GET /users lists only users of the subtree', async () => {
      const r = await leader.get('/api/v1/users?limit=1000');
      assert.equal(r.status, 200, r.text);
      const tree = await leader.get(`/api/v1/units/${id['436']}/tree?${OLD}`);
      const inside = new Set(tree.json.items.map((u) => u.id));
      assert.ok(r.json.items.length >= 2);
      for (const u of r.json.items) assert.ok(inside.has(u.unit_id), `${u.username} of unit ${u.unit_code} leaked`);
      const names = r.json.items.map((u) => u.username);
      assert.ok(names.includes('leader.tphatinh') && names.includes('focal.tphatinh'));
      for (const foreign of ['admin', 'chairman', 'clerk.huongson', 'focal.sonkim1', 'secretariat', 'focal.thanhsen'])
        assert.ok(!names.includes(foreign), `${foreign} leaked`);
      assert.equal(r.json.items.some((u) => 'password_hash' in u || 'password' in u), false);
      // a search does not reach outside either
      const q = await leader.get('/api/v1/users?q=admin');
      assert.equal(q.status, 200);
      assert.deepEqual(q.json.items, []);
    });

    test('GET /users?unit= of a foreign unit lists nobody, exactly like a missing unit', async () => {
      const f = await leader.get(`/api/v1/users?unit=${id['439']}`);
      const m = await leader.get(`/api/v1/users?unit=${NOWHERE}`);
      assert.equal(f.status, 200, f.text);
      assert.deepEqual(f.json, { items: [], next: null });
      assert.deepEqual(f.json, m.json);
      const p = await leader.get(`/api/v1/users?unit=${id['42']}`);
      assert.deepEqual(p.json, { items: [], next: null });
      // the admin does see the Hương Sơn clerk there
      const a = await admin.get(`/api/v1/users?unit=${id['439']}`);
      assert.deepEqual(a.json.items.map((u) => u.username), ['clerk.huongson']);
    });

    test('GET /users/{id} inside the subtree answers 200', async () => {
      let r = await leader.get(`/api/v1/users/${uid['focal.tphatinh']}`);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.username, 'focal.tphatinh');
      r = await leader.get(`/api/v1/users/${uid['focal.tranphu']}`); // ward 18070 of 436
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.unit_code, '18070');
    });

    test('GET /users/{id} of users outside 436 answers like a missing user', async () => {
      for (const name of ['clerk.huongson', 'admin', 'focal.sonkim1']) {
        await sameAsMissing(leader, `/api/v1/users/${uid[name]}`, `/api/v1/users/${NOWHERE}`);
      }
    });

    test('a foreign user id answers 404 and leaks no field of that user', async () => {
      const r = await leader.get(`/api/v1/users/${uid['clerk.huongson']}`);
      assertProblem(assert, r, 404);
      assert.ok(!r.text.includes('clerk.huongson') && !r.text.includes('Phạm Văn Long'));
    });

    test('a leader may not write units or users, nor read the audit trail (403)', async () => {
      assertProblem(assert, await leader.patch(`/api/v1/users/${uid['focal.tphatinh']}`, { full_name: 'X' }), 403);
      assertProblem(assert, await leader.post('/api/v1/units', { code: 'L1', name: 'L1', kind: 'department', parent_id: id['42'], valid_from: '2026-01-01' }), 403);
      assertProblem(assert, await leader.get('/api/v1/audit'), 403);
    });
  });
});
