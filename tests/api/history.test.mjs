// The same history, the same answers, on both backends: one server on SQLite
// and one on PostgreSQL, each from a fresh demo province, are given the same
// random but valid history of writes and reads (tests/lib/history.mjs) in
// lock step, and every answer, then every figure, list and the audit trail
// at the end, must be the same on both. Two histories: a fixed seed, and one
// drawn for this run (named in the test's title; REFORM_HISTORY_SEED plays a
// given one again, REFORM_HISTORY_STEPS sets the length). Needs
// REFORM_TEST_PG_URL; without it (the SQLite-only passes) the histories are
// skipped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { bin, root, freshDatabase, startReform } from '../lib/server.mjs';
import { differences, replay, INSTANT_TOLERANCE_MS } from '../lib/history.mjs';

const pg = process.env.REFORM_TEST_PG_URL;
const STEPS = Number(process.env.REFORM_HISTORY_STEPS) || 300;
const FIXED_SEED = 20261207;
const drawn = process.env.REFORM_HISTORY_SEED || String(randomInt(1, 2 ** 31));
const skip = pg ? false : 'the histories need PostgreSQL: set REFORM_TEST_PG_URL';

// `reform audit verify` on a database, with the keys the servers used (var/keys of the checkout)
const verify = (url) => new Promise((ok) =>
  execFile(bin, ['audit', 'verify', '--db', url], { cwd: root }, (e, out, err) => ok({ code: e ? e.code : 0, out: `${out}${err}` })));

async function sameHistory(seed) {
  const args = ['--demo', '--demo-dossiers', '0'];
  const servers = await Promise.allSettled([
    startReform({ db: freshDatabase({ pg: null }), args }),
    startReform({ db: freshDatabase({ pg }), args }),
  ]);
  try {
    for (const s of servers) if (s.status === 'rejected') throw s.reason;
    const [lite, post] = servers.map((s) => s.value);
    const run = await replay({ bases: [lite.base, post.base], names: ['sqlite', 'postgresql'], seed, steps: STEPS });
    // the history went where it should: writes of every module, moves through the
    // dossiers' states, requests refused, and the figures read at the end
    for (const label of ['units.create', 'users.create', 'session.signin', 'documents.create', 'tasks.create',
      'tasks.report', 'dossiers.receive', 'dossiers.hand_over', 'calendar.record', 'tasks.list', 'dossiers.stats'])
      assert.ok(run.counts[label] > 0, `seed ${seed}: no ${label} in ${JSON.stringify(run.counts)}`);
    for (const status of ['400', '403', '404', '409', '422'])
      assert.ok(run.statuses[status] > 0, `seed ${seed}: no ${status} answer in ${JSON.stringify(run.statuses)}`);
    assert.ok(run.finalReads >= 19, `seed ${seed}: ${run.finalReads} final reads`);
    // each audit chain is whole on its own (their MACs cannot be compared across the two)
    for (const srv of [lite, post]) {
      const r = await verify(srv.db.url);
      assert.equal(r.code, 0, `seed ${seed}: audit verify on ${srv.db.url}: ${r.out}`);
    }
    return run;
  } finally {
    await Promise.all(servers.filter((s) => s.status === 'fulfilled').map((s) => s.value.stop()));
  }
}

test(`the same history of ${STEPS} operations (seed ${FIXED_SEED}) answers alike on SQLite and PostgreSQL`, { skip }, async () => {
  await sameHistory(FIXED_SEED);
});

test(`the same history of ${STEPS} operations (seed ${drawn}, this run's) answers alike on SQLite and PostgreSQL`, { skip }, async () => {
  await sameHistory(drawn);
});

test('the comparison excuses only what two databases cannot share', () => {
  const at = '2026-12-07T14:50:51Z';
  const later = (ms) => new Date(Date.parse(at) + ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  // the same answer: nothing
  assert.deepEqual(differences({ id: 7, items: [{ at }] }, { id: 7, items: [{ at }] }), []);
  // an id, a count, a name, an order, a missing member: each named by its path
  assert.deepEqual(differences({ id: 29 }, { id: 30 }), [['id', 29, 30]]);
  assert.deepEqual(differences({ items: [{ code: 'a' }, { code: 'b' }] }, { items: [{ code: 'b' }, { code: 'a' }] }),
    [['items[0].code', 'a', 'b'], ['items[1].code', 'b', 'a']]);
  assert.deepEqual(differences({ items: [1, 2] }, { items: [1] }), [['items.length', 2, 1]]);
  assert.deepEqual(differences({ a: 1 }, { a: 1, b: null }), [['b', undefined, null]]);
  assert.deepEqual(differences({ rate: '29.32' }, { rate: '29.33' }), [['rate', '29.32', '29.33']]);
  // the clocks: an instant read a second apart is excused, a due time a minute apart is not
  const seen = {};
  assert.deepEqual(differences({ at }, { at: later(1000) }, seen), []);
  assert.equal(seen.instant, 1);
  assert.deepEqual(differences({ due_at: at }, { due_at: later(60e3) }), [['due_at', at, later(60e3)]]);
  assert.ok(INSTANT_TOLERANCE_MS < 60e3);
  assert.deepEqual(differences({ due_local: '2026-12-31 17:00' }, { due_local: '2026-12-31 17:01' }),
    [['due_local', '2026-12-31 17:00', '2026-12-31 17:01']]);
  // ... and so is one kept as seconds since the epoch in an audit record (a token's expiry)
  assert.deepEqual(differences({ after: { expires_at: 1797866221 } }, { after: { expires_at: 1797866222 } }), []);
  assert.deepEqual(differences({ after: { expires_at: 1797866221 } }, { after: { expires_at: 1797866281 } }),
    [['after.expires_at', 1797866221, 1797866281]]);
  assert.deepEqual(differences({ after: { tasks: 1797866221 } }, { after: { tasks: 1797866222 } }),
    [['after.tasks', 1797866221, 1797866222]]);
  // each server's own random tokens and MACs, by name only
  const hex = (c) => c.repeat(64);
  assert.deepEqual(differences({ csrf_token: 'x'.repeat(43), secret: 'y'.repeat(20), hash: hex('a'), prev_hash: hex('b') },
    { csrf_token: 'z'.repeat(43), secret: 'w'.repeat(20), hash: hex('c'), prev_hash: hex('d') }), []);
  assert.deepEqual(differences({ name: 'x'.repeat(43) }, { name: 'z'.repeat(43) }), [['name', 'x'.repeat(43), 'z'.repeat(43)]]);
  assert.deepEqual(differences({ hash: 'not a hash' }, { hash: hex('c') }), [['hash', 'not a hash', hex('c')]]);
});
