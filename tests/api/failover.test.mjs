// A standby that loses nothing: a PostgreSQL primary whose every commit waits for a synchronous
// standby, and Reform on a multi-host URL that asks for the server that takes writes. The primary
// is killed (its postmaster and every child at once) in the middle of a burst of receipts, and the
// standby promoted: while there is no primary the receipts are answered 503, Reform reconnects by
// itself, and every receipt it acknowledged is on the promoted server, as it was acknowledged.
// The test makes its own two servers (scripts/pg.sh), on ports next to REFORM_TEST_PG_URL's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, signedIn, assertProblem, reformCli, Client } from './lib.mjs';
import { namedDatabase, root } from '../lib/server.mjs';

const pgUrl = process.env.REFORM_TEST_PG_URL;
const pgsh = (...a) => execFileSync(join(root, 'scripts/pg.sh'), a.map(String), { stdio: ['ignore', 'pipe', 'pipe'] }).toString().trim();
const phone = '0987 654 321';

// The first port from 'from' up that nothing listens on, other than those in 'taken'.
async function freePort(from, taken = []) {
  for (let port = from; ; port++) {
    if (taken.includes(port)) continue;
    const free = await new Promise((ok) => {
      const probe = createServer();
      probe.once('error', () => ok(false));
      probe.listen(port, '127.0.0.1', () => probe.close(() => ok(true)));
    });
    if (free) return port;
  }
}

test('a primary killed under receipts: the standby promoted has every receipt acknowledged, and Reform writes to it by itself',
  { skip: !pgUrl && 'PostgreSQL only: set REFORM_TEST_PG_URL', timeout: 180000 }, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'reform-failover-'));
    chmodSync(dir, 0o755); // the servers run as the postgres account when the tests run as root
    const primaryDir = join(dir, 'primary'), standbyDir = join(dir, 'standby');
    let srv = null, stop = false;
    try {
      const primaryPort = await freePort(Number(new URL(pgUrl).port) + 1);
      const standbyPort = await freePort(primaryPort + 1);
      pgsh('primary', primaryDir, primaryPort);
      // before any write: the primary's commits wait for it (pg.sh waits until they can)
      pgsh('standby', standbyDir, standbyPort, primaryPort);
      execFileSync('psql', [`postgresql://postgres@127.0.0.1:${primaryPort}/postgres`, '-q', '-c', 'CREATE DATABASE reform']);
      const url = `postgresql://postgres@127.0.0.1:${primaryPort},127.0.0.1:${standbyPort}/reform?target_session_attrs=read-write`;
      srv = await startServer({ db: namedDatabase(url) });
      const promotedUrl = `postgresql://postgres@127.0.0.1:${standbyPort}/reform`;
      const promoted = namedDatabase(promotedUrl);

      // several clients at two desks, each sending its next receipt once its last is answered,
      // each receipt with an applicant of its own: a code given again by the promoted server to
      // another receipt would not pass for the one acknowledged
      const desks = [['clerk.hcc', 'province'], ['clerk.huongson', 'district']];
      const answers = []; // {user, name, status, code, phase, r}
      let phase = 'before', sent = 0;
      const clients = [];
      for (const [user, level] of desks) {
        const procedure = srv.db.sql(`SELECT code FROM procedures WHERE level = '${level}' ORDER BY id LIMIT 1`);
        const clerk = await signedIn(srv.base, user);
        for (let i = 0; i < 4; i++) {
          clients.push((async () => {
            while (!stop) {
              const name = `Người nộp ${++sent}`, at = phase;
              const r = await clerk.post('/api/v1/dossiers', { procedure_code: procedure, applicant_name: name, applicant_phone: phone });
              answers.push({ user, name, status: r.status, code: r.json?.code, phase: at, r });
              if (r.status !== 201) await new Promise((ok) => setTimeout(ok, 20)); // no primary yet
            }
          })());
        }
      }
      const until = async (done) => { while (!done()) await new Promise((ok) => setTimeout(ok, 10)); };
      const acknowledged = (p) => answers.filter((a) => a.status === 201 && (!p || a.phase === p)).length;
      // a client's failure, or the test's time running out (a receipt that waits for ever), ends
      // the burst at once instead of waiting on conditions that never come
      let failure = null;
      Promise.all(clients).catch((e) => { failure = e; stop = true; });
      t.signal.addEventListener('abort', () => { failure ??= new Error('the test ran out of time'); stop = true; });
      const waitFor = async (done) => { await until(() => done() || failure); if (failure) throw failure; };

      await waitFor(() => acknowledged() >= 100);
      pgsh('crash', primaryDir);
      phase = 'no primary';
      // Reform finds the primary gone: receipts are refused, none waits for ever
      await waitFor(() => answers.some((a) => a.phase === 'no primary' && a.status !== 201));
      pgsh('promote', standbyDir);
      phase = 'promoted';
      await waitFor(() => acknowledged('promoted') >= 50);
      stop = true;
      await Promise.all(clients);

      for (const a of answers) {
        if (a.status !== 201) assertProblem(assert, a.r, 503);
      }
      assert.ok(answers.some((a) => a.status === 503), 'no receipt was refused while there was no primary');
      assert.equal(srv.child.exitCode, null, srv.log());
      assert.equal(promoted.sql('SELECT pg_is_in_recovery()'), 'f');

      // every receipt acknowledged, on the promoted server, with its own applicant
      const kept = new Map(promoted.sql('SELECT code, applicant_name FROM dossiers').split('\n').map((l) => l.split('|')));
      const lost = answers.filter((a) => a.status === 201 && kept.get(a.code) !== a.name);
      assert.deepEqual(lost.map((a) => `${a.code} ${a.name} (${a.phase}): ${kept.get(a.code) ?? 'missing'}`), []);
      const verify = await reformCli(promotedUrl, 'audit', 'verify');
      assert.equal(verify.code, 0, verify.out);

      // reads after the failover: a receipt acknowledged before the kill, by its desk (signed in
      // anew: a write) and by the citizen
      const first = answers.find((a) => a.status === 201 && a.phase === 'before' && a.user === 'clerk.hcc');
      const clerk = await signedIn(srv.base, 'clerk.hcc');
      const detail = await clerk.get(`/api/v1/dossiers/${first.code}`);
      assert.equal(detail.status, 200, detail.text);
      assert.equal(detail.json.applicant.name, first.name);
      const lookup = await new Client(srv.base).get(`/api/v1/public/dossiers/${first.code}?phone=${encodeURIComponent(phone)}`);
      assert.equal(lookup.status, 200, lookup.text);
      assert.equal(lookup.json.code, first.code);
      // and it stops cleanly, all through
      assert.deepEqual(await srv.stop(), { code: 0, signal: null }, srv.log());
    } finally {
      stop = true;
      if (srv) await srv.stop();
      for (const d of [standbyDir, primaryDir]) {
        try { pgsh('stop', d); } catch { /* not made */ }
      }
      rmSync(dir, { recursive: true, force: true });
    }
  });
