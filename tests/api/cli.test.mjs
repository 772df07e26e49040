// The command line against a real database: the report, the reminders, and
// imports that take every row or none.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from './lib.mjs';

let srv;
let dir;

before(async () => {
  srv = await startServer();
  dir = mkdtempSync(join(tmpdir(), 'reform-cli-'));
});

after(async () => {
  await srv.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('the report gives the committee its figure, as text, JSON and XLSX', () => {
  const text = srv.cli('report', '--period', '2023-9M', '--as-of', '2023-09-30');
  assert.equal(text.code, 0, text.out);
  assert.match(text.out, /assigned 133 tasks: 39 completed \(29\.32%\), 0 overdue, 94 still within/);
  assert.match(text.out, /By lead unit/);

  const json = srv.cli('report', '--period', '2023-9M', '--as-of', '2023-09-30', '--format', 'json');
  assert.equal(json.code, 0, json.out);
  const doc = JSON.parse(json.out);
  assert.equal(doc.government.assigned, 133);
  assert.equal(doc.government.completion_rate, '29.32');
  assert.equal(doc.period, '2023-9M');

  const file = join(dir, 'report.xlsx');
  const xlsx = srv.cli('report', '--period', '2023', '--format', 'xlsx', '--out', file);
  assert.equal(xlsx.code, 0, xlsx.out);
  const listing = execFileSync('unzip', ['-l', file]).toString();
  for (let i = 1; i <= 4; i++) assert.match(listing, new RegExp(`xl/worksheets/sheet${i}\\.xml`));
  const book = execFileSync('unzip', ['-p', file, 'xl/workbook.xml']).toString();
  for (const name of ['Summary', 'By assigning body', 'By field', 'By lead unit']) {
    assert.match(book, new RegExp(`name="${name}"`));
  }
});

test('a bad period or format is refused naming it, and nothing is written', () => {
  const bad = srv.cli('report', '--period', '2023-Q5');
  assert.equal(bad.code, 1);
  assert.match(bad.out, /period:/);
  const fmt = srv.cli('report', '--period', '2023', '--format', 'pdf');
  assert.equal(fmt.code, 1);
  assert.match(fmt.out, /format:/);
  const noOut = srv.cli('report', '--period', '2023', '--format', 'xlsx');
  assert.equal(noOut.code, 1);
  assert.match(noOut.out, /out:/);
});

test('reminders list overdue tasks before those due soon, per lead unit', () => {
  const r = srv.cli('remind', '--date', '2023-09-20', '--within', '10');
  assert.equal(r.code, 0, r.out);
  const blocks = r.out.trim().split(/\n\n/);
  assert.ok(blocks.length > 3, r.out);
  for (const block of blocks) {
    const kinds = block.split('\n').slice(1).map((l) => l.trim().split(/\s+/)[0]);
    const firstDue = kinds.indexOf('DUE');
    if (firstDue >= 0) assert.ok(!kinds.slice(firstDue).includes('OVERDUE'), block);
    // every deadline lies on or before the last day counted (2023-10-04: ten weekdays on)
    for (const l of block.split('\n').slice(1)) {
      const deadline = l.trim().split(/\s+/)[1];
      assert.ok(deadline <= '2023-10-04', l);
    }
  }
  const out = join(dir, 'digest');
  execFileSync('mkdir', ['-p', out]);
  const files = srv.cli('remind', '--date', '2023-09-20', '--within', '10', '--out', out);
  assert.equal(files.code, 0, files.out);
  assert.equal(readdirSync(out).length, blocks.length);
  assert.ok(existsSync(join(out, 'remind-S02.txt')));
  assert.match(readFileSync(join(out, 'remind-S02.txt'), 'utf8'), /^S02 Sở Nội vụ/);
});

test('an import with one bad row writes nothing', () => {
  const count = () => Number(srv.db.sql('SELECT COUNT(*) FROM tasks'));
  const head = () => srv.db.sql('SELECT seq FROM audit_head');
  const before = [count(), head()];
  const file = join(dir, 'tasks.csv');
  writeFileSync(file,
    'ref,document,title,assigning_body,lead_unit,coordinating_units,field,assigned_on,deadline,' +
    'completed_on,extended_on,extended_deadline,extension_reason\n' +
    'T-NEW-1,01/NQ-CP,Một nhiệm vụ hợp lệ,government,S02,,procedures,2023-02-01,2023-12-31,,,,\n' +
    'T-NEW-2,01/NQ-CP,Lĩnh vực sai,government,S02,,no_such_field,2023-02-01,2023-12-31,,,,\n');
  const r = srv.cli('import', 'tasks', file);
  assert.equal(r.code, 1);
  assert.match(r.out, /line 3/);
  assert.match(r.out, /field/);
  assert.deepEqual([count(), head()], before);
  const bad = srv.cli('import', 'nonsense', file);
  assert.equal(bad.code, 2);
});
