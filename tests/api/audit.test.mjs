// The audit trail: the API shows the hash chain to admins and the
// secretariat only; tampering behind the server's back is found by
// `reform audit verify`, which names the record.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, Client, signedIn, assertProblem, cloneDatabase, reformCli, bin } from './lib.mjs';

const TAMPER = join(dirname(fileURLToPath(import.meta.url)), 'tamper.py');

const GENESIS = '0'.repeat(64);
const COLS = 'province_id, seq, at, actor_id, actor, action, entity, entity_id, before_json, after_json, via, prev_hash, hash';

// One server: the API tests run on it, then it stops and each tampering
// gets a fresh copy of its database.
let srv, admin;
before(async () => {
  srv = await startServer();
  admin = await signedIn(srv.base, 'admin');
});
after(async () => { await srv.stop(); });

async function everything(client, q = '', limit = 1000) {
  const items = [];
  let cursor = null, pages = 0;
  do {
    const r = await client.get(`/api/v1/audit?limit=${limit}${q}${cursor ? '&cursor=' + encodeURIComponent(cursor) : ''}`);
    assert.equal(r.status, 200, r.text);
    assert.ok(r.json.items.length <= limit);
    items.push(...r.json.items);
    cursor = r.json.next;
    pages++;
  } while (cursor);
  return { items, pages };
}

describe('GET /api/v1/audit', () => {
  test('the admin reads the whole chain: seq counts up and each prev_hash is the hash before', async () => {
    const { items } = await everything(admin);
    const n = Number(srv.db.sql('SELECT COUNT(*) FROM audit'));
    assert.ok(n > 300);
    assert.equal(items.length, n);
    assert.equal(items[0].seq, 1);
    assert.equal(items[0].prev_hash, GENESIS);
    for (let i = 0; i < items.length; i++) {
      const rec = items[i];
      assert.equal(rec.seq, i + 1);
      assert.match(rec.hash, /^[0-9a-f]{64}$/);
      assert.match(rec.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      for (const k of ['seq', 'at', 'actor_id', 'actor', 'action', 'entity', 'entity_id', 'before', 'after', 'prev_hash', 'hash'])
        assert.ok(k in rec, `record ${rec.seq} lacks ${k}`);
      assert.ok(rec.before === null || typeof rec.before === 'object');
      assert.ok(rec.after === null || typeof rec.after === 'object');
      if (i > 0) assert.equal(rec.prev_hash, items[i - 1].hash, `record ${rec.seq} does not chain`);
    }
    assert.equal(new Set(items.map((r) => r.hash)).size, n);
    assert.equal(items.at(-1).hash, srv.db.sql('SELECT hash FROM audit_head'));
    assert.equal(items.at(-1).action, 'signin');
    assert.equal(items.at(-1).actor, 'admin');
    assert.equal(items.at(-1).entity, 'session');
  });

  test('paging with a cursor gives the same records once each', async () => {
    const all = (await everything(admin)).items;
    const paged = await everything(admin, '', 37);
    assert.ok(paged.pages >= Math.ceil(all.length / 37));
    assert.deepEqual(paged.items, all);
    const r = await admin.get('/api/v1/audit?limit=3');
    assert.equal(r.json.items.length, 3);
    assert.equal(typeof r.json.next, 'string');
    const next = await admin.get('/api/v1/audit?limit=3&cursor=' + encodeURIComponent(r.json.next));
    assert.equal(next.json.items[0].seq, 4);
    assert.equal(next.json.items[0].prev_hash, r.json.items[2].hash);
  });

  test('filters by entity and id', async () => {
    const r = await admin.post('/api/v1/units', { code: 'AUD-1', name: 'Ban lọc', kind: 'department', parent_id: 1, valid_from: '2026-01-01' });
    assert.equal(r.status, 201, r.text);
    assert.equal((await admin.patch(`/api/v1/units/${r.json.id}`, { name: 'Ban lọc lại' })).status, 200);
    const f = await admin.get(`/api/v1/audit?entity=unit&entity_id=${r.json.id}`);
    assert.equal(f.status, 200);
    assert.deepEqual(f.json.items.map((x) => x.action), ['create', 'update']);
    assert.equal(f.json.items[0].after.code, 'AUD-1');
    assert.equal(f.json.items[1].after.name, 'Ban lọc lại');
    const s = await everything(admin, '&entity=session');
    assert.ok(s.items.length >= 1);
    assert.ok(s.items.every((x) => x.entity === 'session'));
    const none = await admin.get('/api/v1/audit?entity=unit&entity_id=999999');
    assert.deepEqual(none.json, { items: [], next: null });
  });

  test('the secretariat reads it; focal, leader, clerk and inspector get 403; no session 401', async () => {
    const sec = await signedIn(srv.base, 'secretariat');
    const r = await sec.get('/api/v1/audit?limit=5');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.items.length, 5);
    assert.equal(r.json.items[0].seq, 1);
    for (const name of ['focal.sonkim1', 'leader.tphatinh', 'chairman', 'clerk.hcc', 'inspector']) {
      const c = await signedIn(srv.base, name);
      const d = await c.get('/api/v1/audit');
      assertProblem(assert, d, 403);
      assert.ok(!d.text.includes('"hash"'));
    }
    assertProblem(assert, await new Client(srv.base).get('/api/v1/audit'), 401);
  });
});

describe('reform audit verify', () => {
  let max;

  before(async () => {
    const live = srv.cli('audit', 'verify'); // while the server runs
    assert.equal(live.code, 0, live.out);
    assert.match(live.out, /intact/);
    // stop the server but keep its database (the top-level after drops it)
    srv.child.kill('SIGTERM');
    await new Promise((ok) => (srv.child.exitCode !== null ? ok() : srv.child.on('exit', ok)));
    max = Number(srv.db.sql('SELECT MAX(seq) FROM audit'));
    assert.ok(max > 300, `only ${max} audit records`);
  });

  // Each case tampers with a fresh copy of the database.
  async function withTampered(tamper, check) {
    const db = await cloneDatabase(srv.db);
    try {
      await tamper(db, max);
      await check(await reformCli(db.url, 'audit', 'verify'), max, db);
    } finally {
      await db.drop();
    }
  }

  test('the untouched database verifies intact, counting every record', () =>
    withTampered(async () => {}, (v, n) => {
      assert.equal(v.code, 0, v.out);
      assert.match(v.out, /intact/);
      assert.match(v.out, new RegExp(`\\b${n} records\\b`));
    }));

  test('an altered record is named, and restoring it makes the chain whole again', () =>
    withTampered(
      async (db) => {
        await db.query('CREATE TABLE audit_saved AS SELECT * FROM audit');
        await db.query(`UPDATE audit SET after_json = '{"x":1}' WHERE seq = 5`);
      },
      async (v, n, db) => {
        assert.equal(v.code, 1, v.out);
        assert.match(v.out, /\brecord 5\b/);
        assert.match(v.out, /altered/);
        assert.doesNotMatch(v.out, /intact/);
        const restore = (seq) => db.query(`DELETE FROM audit WHERE seq = ${seq}; INSERT INTO audit (${COLS}) SELECT ${COLS} FROM audit_saved WHERE seq = ${seq}`);
        await restore(5);
        const back = await reformCli(db.url, 'audit', 'verify');
        assert.equal(back.code, 0, back.out);
        // any other field counts too, the stored hash itself, and the last record
        for (const [seq, set] of [[7, "actor = 'chairman'"], [7, 'at = at + 1'], [7, "entity_id = '2'"], [9, `hash = '${'f'.repeat(64)}'`], [n, `after_json = '{"name":"forged"}'`]]) {
          await db.query(`UPDATE audit SET ${set} WHERE seq = ${seq}`);
          const w = await reformCli(db.url, 'audit', 'verify');
          assert.equal(w.code, 1, `${set}: ${w.out}`);
          assert.match(w.out, new RegExp(`\\brecord ${seq}\\b`), set);
          await restore(seq);
          const ok = await reformCli(db.url, 'audit', 'verify');
          assert.equal(ok.code, 0, `after restoring ${set}: ${ok.out}`);
        }
      }));

  test('a record deleted from the middle, or the first one, is named', () =>
    withTampered(
      async (db) => {
        await db.query('CREATE TABLE audit_saved AS SELECT * FROM audit WHERE seq = 5');
        await db.query('DELETE FROM audit WHERE seq = 5');
      },
      async (v, n, db) => {
        assert.equal(v.code, 1, v.out);
        assert.match(v.out, /\brecord 5\b/);
        assert.match(v.out, /missing|deleted/);
        await db.query(`INSERT INTO audit (${COLS}) SELECT ${COLS} FROM audit_saved`);
        assert.equal((await reformCli(db.url, 'audit', 'verify')).code, 0);
        await db.query('DELETE FROM audit WHERE seq = 1');
        const first = await reformCli(db.url, 'audit', 'verify');
        assert.equal(first.code, 1, first.out);
        assert.match(first.out, /\brecord 1\b/);
      }));

  test('a record deleted from the end is found and named', () =>
    withTampered(
      (db, n) => db.query(`DELETE FROM audit WHERE seq = ${n}`),
      (v, n) => {
        assert.equal(v.code, 1, v.out);
        assert.match(v.out, /deleted/);
        assert.doesNotMatch(v.out, /intact/);
        assert.match(v.out, new RegExp(`\\brecord (${n}|${n - 1})\\b`));
      }));

  test('a record deleted from the end is named by its own number',
    () => withTampered(
      (db, n) => db.query(`DELETE FROM audit WHERE seq = ${n}`),
      (v, n) => {
        assert.equal(v.code, 1, v.out);
        assert.match(v.out, new RegExp(`\\brecord ${n}\\b`));
      }));

  test('two records swapped are named', () =>
    withTampered(
      (db) => db.query('UPDATE audit SET seq = -5 WHERE seq = 5; UPDATE audit SET seq = 5 WHERE seq = 6; UPDATE audit SET seq = 6 WHERE seq = -5'),
      (v) => {
        assert.equal(v.code, 1, v.out);
        assert.match(v.out, /\brecord 5\b/);
        assert.match(v.out, /reordered|does not follow/);
      }));

  test('a forged record appended is named, even with the right prev_hash', () =>
    withTampered(
      (db, n) => db.query(`INSERT INTO audit (${COLS}) SELECT province_id, ${n + 1}, at, actor_id, actor, action, entity, entity_id, before_json, '{"forged":true}', via, prev_hash, hash FROM audit WHERE seq = 5`),
      async (v, n, db) => {
        assert.equal(v.code, 1, v.out);
        assert.match(v.out, new RegExp(`\\brecord ${n + 1}\\b`));
        // a forger who chains it properly is still caught: the head disagrees
        await db.query(`UPDATE audit SET prev_hash = (SELECT hash FROM audit WHERE seq = ${n}) WHERE seq = ${n + 1}`);
        const w = await reformCli(db.url, 'audit', 'verify');
        assert.equal(w.code, 1, w.out);
        assert.match(w.out, new RegExp(`\\brecord ${n + 1}\\b`));
      }));

  // Someone who can write the database but holds neither the audit key nor the
  // checkpoint key (tests/api/tamper.py rewrites history as they would).
  const tamper = (db, ...a) => new Promise((ok, fail) => execFile('python3', [TAMPER, db.url, ...a],
    (e, out, err) => (e ? fail(new Error(err || e.message)) : ok(out))));

  test('a record rewritten with every later hash and the head recomputed is named (F17)', () =>
    withTampered(
      (db) => tamper(db, 'alter', '5', '{"name":"rewritten"}'),
      (v) => {
        assert.equal(v.code, 1, v.out);
        assert.match(v.out, /\brecord 5\b.*(altered|forged)/);
        assert.doesNotMatch(v.out, /intact/);
      }));

  test('a rewrite under a guessed key is named too', () =>
    withTampered(
      (db) => tamper(db, '--key', '00'.repeat(32), 'alter', '5', '{"name":"rewritten"}'),
      (v) => {
        assert.equal(v.code, 1, v.out);
        assert.match(v.out, /\brecord 5 does not match its hash/);
      }));

  test('a forged record appended and chained, head moved, is named (F17)', () =>
    withTampered(
      (db) => tamper(db, 'append', '{"forged":true}'),
      (v, n) => {
        assert.equal(v.code, 1, v.out);
        assert.match(v.out, new RegExp(`\\brecord ${n + 1}\\b`));
      }));

  test('records cut from the end with the head moved back are found against a checkpoint (F17)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'reform-anchor-'));
    const file = join(dir, 'checkpoints');
    try {
      await withTampered(
        async (db) => {
          const a = await reformCli(db.url, 'audit', 'anchor', '--out', file);
          assert.equal(a.code, 0, a.out);
          assert.match(a.out, /^reform-audit-anchor v1 \d+ \d+ [0-9a-f]{64} \S+Z \S+\n$/);
          assert.equal(readFileSync(file, 'utf8'), a.out);
          const ok = await reformCli(db.url, 'audit', 'verify', '--checkpoints', file);
          assert.equal(ok.code, 0, ok.out);
          assert.match(ok.out, /1 checkpoint held/);
          await tamper(db, 'truncate', '3');
        },
        async (v, n, db) => {
          // alone, the keyed chain cannot tell a cut from an end
          assert.equal(v.code, 0, v.out);
          const w = await reformCli(db.url, 'audit', 'verify', '--checkpoints', file);
          assert.equal(w.code, 1, w.out);
          assert.match(w.out, new RegExp(`record ${n - 2} is missing: the chain ends at ${n - 3}`));
        });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a checkpoint edited by hand is named as forged, and a rewrite under it as rewritten', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'reform-anchor-'));
    const file = join(dir, 'checkpoints');
    try {
      await withTampered(
        async (db) => {
          const a = await reformCli(db.url, 'audit', 'anchor', '--out', file);
          assert.equal(a.code, 0, a.out);
          // the same line with the head one record back: no longer the signer's
          const [magic, v1, prov, seq, ...rest] = a.out.trim().split(' ');
          writeFileSync(file, a.out + [magic, v1, prov, Number(seq) - 1, ...rest].join(' ') + '\n');
        },
        async (v, n, db) => {
          const w = await reformCli(db.url, 'audit', 'verify', '--checkpoints', file);
          assert.equal(w.code, 1, w.out);
          assert.match(w.out, /checkpoint line 2 is not signed by the checkpoint key \(forged\)/);
          assert.doesNotMatch(w.out, /checkpoint line 1/);
          writeFileSync(file, readFileSync(file, 'utf8').split('\n')[0] + '\n');
          await db.query(`UPDATE audit SET hash = '${'e'.repeat(64)}' WHERE seq = ${n}`);
          await db.query(`UPDATE audit_head SET hash = '${'e'.repeat(64)}'`);
          const r = await reformCli(db.url, 'audit', 'verify', '--checkpoints', file);
          assert.equal(r.code, 1, r.out);
          assert.match(r.out, new RegExp(`record ${n} is not the one checkpointed`));
        });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('every problem is named, not only the first (F18)', () =>
    withTampered(
      async (db) => {
        await db.query(`UPDATE audit SET after_json = '{"x":1}' WHERE seq = 10`);
        await db.query('DELETE FROM audit WHERE seq = 90');
        await db.query(`UPDATE audit SET actor = 'chairman' WHERE seq = 200`);
      },
      (v) => {
        assert.equal(v.code, 1, v.out);
        assert.match(v.out, /record 10 does not match its hash \(altered\)/);
        assert.match(v.out, /record 90 is missing \(deleted\)/);
        assert.match(v.out, /record 200 does not match its hash \(altered\)/);
        // one problem each: the records after them are not blamed
        assert.doesNotMatch(v.out, /record (11|91|201)\b/);
        assert.match(v.out, /^3 problems in \d+ records$/m);
      }));

  test('a process holding another audit key refuses to start on the database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'reform-keys-'));
    try {
      const r = await new Promise((ok) => execFile(bin, ['audit', 'verify', '--db', srv.db.url, '--keys', dir],
        (e, out, err) => ok({ code: e ? e.code : 0, out: out + err })));
      assert.equal(r.code, 1, r.out);
      assert.match(r.out, /is not the key this database's audit chain is written with/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
