// A full disk: the database lives on a small volume of its own (a tmpfs
// mounted for the test: the SQLite file, or a PostgreSQL tablespace), which a
// filler file then fills. Writes answer 503 disk_full with Retry-After and
// change nothing, reads go on, every acknowledged receipt stays, and once the
// filler is gone the same server takes writes again by itself.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, openSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startServer, signedIn, assertProblem, Client } from './lib.mjs';
import { namedDatabase } from '../lib/server.mjs';

const pgServer = process.env.REFORM_TEST_PG_URL;
const root = process.getuid() === 0;
const as = (cmd, args) => execFileSync(root ? cmd : 'sudo', root ? args : ['-n', cmd, ...args], { stdio: 'pipe' });
let canMount = root;
if (!root) {
  try { execFileSync('sudo', ['-n', 'true'], { stdio: 'ignore' }); canMount = true; } catch { /* no sudo */ }
}

let dir, srv, clerk, sec, db, dropDb = () => {};

// Fill the volume: one file written until the disk refuses a byte more.
function fill() {
  const fd = openSync(join(dir, 'filler'), 'w');
  const chunk = Buffer.alloc(1 << 20, 7);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (e) {
    if (e.code !== 'ENOSPC') throw e;
  }
  // the last bytes: what a page's worth still fits
  try { for (;;) writeSync(fd, chunk, 0, 512); } catch (e) { if (e.code !== 'ENOSPC') throw e; }
  closeSync(fd);
}
const unfill = () => rmSync(join(dir, 'filler'), { force: true });

before(async () => {
  if (!canMount) return;
  dir = mkdtempSync(join(tmpdir(), 'reform-disk-'));
  const owner = pgServer ? execFileSync('stat', ['-c', '%u', execFileSync('psql', [pgServer, '-At', '-c', 'SHOW data_directory']).toString().trim()]).toString().trim() : String(process.getuid());
  as('mount', ['-t', 'tmpfs', '-o', `size=24m,mode=0777,uid=${owner}`, 'tmpfs', dir]);
  if (pgServer) {
    // a tablespace on the small volume and a database in it; the server's log stays where it is
    const name = 'disk_' + randomBytes(5).toString('hex');
    execFileSync('psql', [pgServer, '-q', '-v', 'ON_ERROR_STOP=1', '-c', `CREATE TABLESPACE ${name} LOCATION '${dir}'`]);
    execFileSync('psql', [pgServer, '-q', '-v', 'ON_ERROR_STOP=1', '-c', `CREATE DATABASE ${name} TABLESPACE ${name}`]);
    const u = new URL(pgServer);
    u.pathname = '/' + name;
    db = namedDatabase(u.toString());
    dropDb = () => {
      execFileSync('psql', [pgServer, '-q', '-c', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]);
      execFileSync('psql', [pgServer, '-q', '-c', `DROP TABLESPACE IF EXISTS ${name}`]);
    };
  } else {
    db = namedDatabase('sqlite:' + join(dir, 'reform.db'));
  }
  srv = await startServer({ db, args: ['--threads', '4'] });
  [clerk, sec] = await Promise.all(['clerk.hcc', 'secretariat'].map((u) => signedIn(srv.base, u)));
});

after(async () => {
  if (!canMount) return;
  if (dir) unfill();
  await srv?.stop();
  dropDb();
  if (dir) {
    try { as('umount', [dir]); } catch { /* already gone */ }
    rmSync(dir, { recursive: true, force: true });
  }
});

const body = (code) => ({ procedure_code: code, applicant_name: 'Phạm Thị Đầy', applicant_phone: '0911 222 333' });

describe('a full disk', { skip: !canMount && 'mounting a small volume needs root or sudo' }, () => {
  test('writes answer 503 disk_full and change nothing, reads go on, and writes come back with the space', async () => {
    const code = db.sql("SELECT code FROM procedures WHERE level = 'province' ORDER BY id LIMIT 1");
    const acknowledged = [];
    for (let i = 0; i < 20; i++) {
      const r = await clerk.post('/api/v1/dossiers', body(code));
      assert.equal(r.status, 201, r.text);
      acknowledged.push(r.json);
    }
    fill();
    // a burst of receipts meets the full disk: each is refused as disk_full, or (the few that
    // still found room in pages already written) acknowledged and kept
    let refused = null;
    for (let i = 0; i < 400 && !refused; i++) {
      const r = await clerk.post('/api/v1/dossiers', body(code));
      if (r.status === 201) { acknowledged.push(r.json); continue; }
      refused = r;
    }
    assert.ok(refused, 'no write was refused on a full disk');
    assertProblem(assert, refused, 503);
    assert.equal(refused.json.errors[0].code, 'disk_full', refused.text);
    assert.ok(Number(refused.headers.get('retry-after')) > 0);
    // a refused receipt leaves nothing behind, not a row, not an audit record
    const counted = db.sql('SELECT COUNT(*) FROM dossiers');
    const audited = db.sql('SELECT COUNT(*) FROM audit');
    const again = await clerk.post('/api/v1/dossiers', body(code));
    assertProblem(assert, again, 503);
    assert.equal(db.sql('SELECT COUNT(*) FROM dossiers'), counted);
    assert.equal(db.sql('SELECT COUNT(*) FROM audit'), audited);
    // another kind of write is refused the same way, or, where its table still has room in
    // pages it holds (PostgreSQL), made whole
    const t = await sec.post('/api/v1/tasks', { document_id: Number(db.sql('SELECT id FROM documents ORDER BY id LIMIT 1')),
      title: 'Nhiệm vụ khi đĩa đầy', field: 'procedures', lead_unit_id: Number(db.sql("SELECT id FROM units WHERE code = 'S05'")), deadline: '2026-12-31' });
    if (t.status !== 201) {
      assertProblem(assert, t, 503);
      assert.equal(t.json.errors[0].code, 'disk_full');
    }
    // reads go on: the list, a dossier, the citizen's lookup, the figures
    const list = await clerk.get('/api/v1/dossiers?limit=5');
    assert.equal(list.status, 200, list.text);
    const first = acknowledged[0];
    assert.equal((await clerk.get(`/api/v1/dossiers/${first.code}`)).status, 200);
    assert.equal((await new Client(srv.base).get(`/api/v1/public/dossiers/${first.code}?secret=${first.secret}`)).status, 200);
    const today = new Date(Date.now() + 7 * 3600e3).toISOString().slice(0, 10);
    const figures = await sec.get(`/api/v1/dossiers/stats?period=${today}..${today}`);
    assert.equal(figures.status, 200, figures.text);
    assert.ok(figures.json.received >= acknowledged.length);

    unfill();
    // the same server, no restart: writes are taken again
    let back = null;
    for (let i = 0; i < 50 && !back; i++) {
      const r = await clerk.post('/api/v1/dossiers', body(code));
      if (r.status === 201) back = r;
      else await new Promise((ok) => setTimeout(ok, 100));
    }
    assert.ok(back, 'writes did not come back once the disk had space');
    acknowledged.push(back.json);
    const t2 = await sec.post('/api/v1/tasks', { document_id: Number(db.sql('SELECT id FROM documents ORDER BY id LIMIT 1')),
      title: 'Nhiệm vụ sau khi có chỗ', field: 'procedures', lead_unit_id: Number(db.sql("SELECT id FROM units WHERE code = 'S05'")), deadline: '2026-12-31' });
    assert.equal(t2.status, 201, t2.text);
    // every acknowledged receipt is there, and the chain is whole
    const codes = acknowledged.map((d) => `'${d.code}'`).join(',');
    assert.equal(Number(db.sql(`SELECT COUNT(*) FROM dossiers WHERE code IN (${codes})`)), acknowledged.length);
    const verify = srv.cli('audit', 'verify');
    assert.equal(verify.code, 0, verify.out);
    assert.match(srv.log(), /disk is full|could not extend file/);
    // a commit SQLite undid itself is not undone again
    assert.doesNotMatch(srv.log(), /rollback failed/);
  });
});
