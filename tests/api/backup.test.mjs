// reform backup and reform restore on both backends: a copy taken while the server
// serves, restored into an empty database, answers as the original did, and its audit
// chain verifies; a restore into a database that is not empty writes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, signedIn, freshDatabase, reformCli } from './lib.mjs';

const pg = !!process.env.REFORM_TEST_PG_URL;

// what the two servers are asked, as the admin; none of it depends on the session
const reads = [
  '/api/v1/units?limit=200',
  '/api/v1/documents?limit=200',
  '/api/v1/tasks?limit=200',
  '/api/v1/tasks/stats?period=2023',
  '/api/v1/procedures?limit=200',
  '/api/v1/dossiers?limit=200',
  '/api/v1/dossiers/stats?period=2025-07-01..2026-06-30',
  '/api/v1/calendar/2026',
];

test('a copy taken while serving, restored into an empty database, answers as the original did and its chain verifies', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'reform-backup-'));
  const a = await startServer();
  const target = freshDatabase();
  let b;
  try {
    const clerk = await signedIn(a.base, 'clerk.hcc');
    const procedure = a.db.sql("SELECT code FROM procedures WHERE level = 'province' ORDER BY id LIMIT 1");
    const receipt = await clerk.post('/api/v1/dossiers', { procedure_code: procedure, applicant_name: 'Lê Thị Hoa', applicant_phone: '0912 000 111' });
    assert.equal(receipt.status, 201, receipt.text);
    const admin = await signedIn(a.base, 'admin');

    const copy = join(dir, pg ? 'reform.dump' : 'reform.db');
    const backup = await reformCli(a.db.url, 'backup', copy);
    assert.equal(backup.code, 0, backup.out);
    const records = a.db.sql('SELECT COUNT(*) FROM audit');
    const restore = await reformCli(target.url, 'restore', copy);
    assert.equal(restore.code, 0, restore.out);
    assert.equal(target.sql('SELECT COUNT(*) FROM audit'), records);
    assert.equal(target.sql('SELECT COUNT(*) FROM dossiers'), a.db.sql('SELECT COUNT(*) FROM dossiers'));

    // the restored database is no longer empty: a second restore is refused and writes nothing
    const again = await reformCli(target.url, 'restore', copy);
    assert.equal(again.code, 1);
    assert.match(again.out, /reform: db: the database holds \d+ tables: restore into an empty one/);
    assert.equal(target.sql('SELECT COUNT(*) FROM audit'), records);

    const verify = await reformCli(target.url, 'audit', 'verify');
    assert.equal(verify.code, 0, verify.out);
    assert.match(verify.out, new RegExp(`audit chain intact: ${records} records`));

    b = await startServer({ demo: false, db: target });
    const restored = await signedIn(b.base, 'admin');
    for (const path of reads) {
      const x = await admin.get(path);
      const y = await restored.get(path);
      assert.equal(x.status, 200, `${path}: ${x.text}`);
      assert.equal(y.status, 200, `${path}: ${y.text}`);
      assert.deepEqual(y.json, x.json, path);
    }
    const lookup = `/api/v1/public/dossiers/${receipt.json.code}?phone=0912000111`;
    const x = await admin.get(lookup);
    const y = await restored.get(lookup);
    assert.equal(x.status, 200, x.text);
    assert.deepEqual(y.json, x.json);
  } finally {
    if (b) await b.stop();
    await a.stop();
    await target.drop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a restore of what is not a copy says so, and leaves the database empty', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'reform-backup-'));
  const target = freshDatabase();
  try {
    const junk = join(dir, 'notes.txt');
    (await import('node:fs')).writeFileSync(junk, 'not a copy of anything\n');
    const r = await reformCli(target.url, 'restore', junk);
    assert.equal(r.code, 1);
    assert.match(r.out, /reform: path: /);
    const tables = pg
      ? target.sql("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'")
      : target.sql("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'");
    assert.equal(tables, '0');
  } finally {
    await target.drop();
    rmSync(dir, { recursive: true, force: true });
  }
});
