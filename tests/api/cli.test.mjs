// The command line against a real database: the report, the reminders, and
// imports that take every row or none.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, bin } from './lib.mjs';

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

test('every command reads its options one way: help on standard output, a wrong option or number is a usage error naming it, and nothing is opened', () => {
  const never = join(dir, 'never.db');
  const run = (...a) => spawnSync(bin, [...a, '--db', `sqlite:${never}`], { encoding: 'utf8', input: '' });
  const commands = [['serve'], ['migrate'], ['user', 'add'], ['import'], ['audit'], ['backup'],
    ['restore'], ['remind'], ['report'], ['calendar', 'due'], ['calendar', 'record'], ['demo', 'dossiers']];
  for (const cmd of commands) {
    const help = run(...cmd, '--help');
    assert.equal(help.status, 0, cmd.join(' '));
    assert.match(help.stdout, new RegExp(`^usage: reform ${cmd[0]}`), cmd.join(' '));
    assert.equal(help.stderr, '', cmd.join(' '));
    const wrong = run(...cmd, '--bogus');
    assert.equal(wrong.status, 2, cmd.join(' '));
    assert.match(wrong.stderr, /unrecognized option '--bogus'/, cmd.join(' '));
    assert.match(wrong.stderr, new RegExp(`usage: reform ${cmd[0]}`), cmd.join(' '));
    assert.equal(wrong.stdout, '', cmd.join(' '));
  }
  const numbers = [
    [['serve', '--max-conns', '3'], /^reform: --max-conns is a whole number from 16 to 1000000$/m],
    [['serve', '--threads', 'many'], /^reform: --threads is a whole number from 0 to 1024$/m],
    [['serve', '--head-timeout', '1x'], /^reform: --head-timeout is a whole number from 1 to 3600$/m],
    [['serve', '--token-days', '0'], /^reform: --token-days is a whole number from 1 to /m],
    [['serve', '--demo-dossiers', '-1'], /^reform: --demo-dossiers is 0 to 50000000$/m],
    [['remind', '--within', '367'], /^reform: --within is 0 to 366 working days$/m],
    [['demo', 'dossiers', '--count', ''], /^reform: --count is 1 to 50000000$/m],
  ];
  for (const [args, message] of numbers) {
    const r = run(...args);
    assert.equal(r.status, 2, args.join(' '));
    assert.match(r.stderr, message, args.join(' '));
  }
  const missing = spawnSync(bin, ['report', '--db', `sqlite:${never}`, '--period'], { encoding: 'utf8' });
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /option '--period' requires an argument/);
  assert.equal(existsSync(never), false);
});

test('a database that cannot be opened makes no audit key', () => {
  const keys = join(dir, 'keys-of-nothing');
  for (const db of ['nonsense', `sqlite:${join(dir, 'no-such-folder', 'r.db')}`]) {
    let code = 0;
    try {
      execFileSync(bin, ['audit', 'verify', '--db', db, '--keys', keys], { stdio: 'pipe' });
    } catch (e) {
      code = e.status;
    }
    assert.notEqual(code, 0, db);
    assert.equal(existsSync(join(keys, 'audit.key')), false, db);
  }
});

test('reform calendar holidays prints the year as DESIGN.md says: date, kind and name by tabs', () => {
  const r = srv.cli('calendar', 'holidays', '2026');
  assert.equal(r.code, 0, r.out);
  const lines = r.out.trimEnd().split('\n');
  for (const l of lines) assert.match(l, /^\d{4}-\d{2}-\d{2}\t(holiday|compensation|swap_off|makeup)\t\S.*$/);
  // Official Letter 9859/VPCP-KGVX and Notice 9441/TB-BNV, as the product's issue quotes them
  for (const l of ['2026-02-16\tholiday\tTết Nguyên đán', '2026-04-27\tcompensation\tNghỉ bù Giỗ Tổ Hùng Vương',
    '2026-08-22\tmakeup\t', '2026-08-31\tswap_off\t', '2026-09-01\tholiday\tQuốc khánh'])
    assert.ok(lines.some((x) => x.startsWith(l)), l);
  assert.deepEqual(lines, [...lines].sort());
  assert.equal(srv.cli('calendar', 'holidays', 'MMXXVI').code, 2);
  const far = srv.cli('calendar', 'holidays', '2300');
  assert.equal(far.code, 1);
  assert.match(far.out, /year/);
});

test('reform calendar due prints the legal due time; bad input says which option', () => {
  // the product's issue, on the 2026 calendar
  for (const [from, days, due] of [['2026-02-13 09:00', '3', '2026-02-25 17:00'], ['2026-08-28 09:00', '2', '2026-09-04 17:00'],
    ['2026-04-29 09:00', '3', '2026-05-06 17:00']]) {
    const r = srv.cli('calendar', 'due', '--from', from, '--days', days);
    assert.equal(r.code, 0, r.out);
    assert.equal(r.out, due + '\n');
  }
  assert.equal(srv.cli('calendar', 'due', '--from', '2026-02-13 10:00', '--hours', '8').out, '2026-02-23 10:00\n');
  assert.equal(srv.cli('calendar', 'due', '--from', '2026-02-13 15:30', '--days', '1', '--cutoff', '15:00').out, '2026-02-24 17:00\n');
  const bad = srv.cli('calendar', 'due', '--from', '2026-02-13 25:00', '--days', '1');
  assert.equal(bad.code, 1);
  assert.match(bad.out, /from/);
  assert.equal(srv.cli('calendar', 'due', '--from', '2026-02-13 09:00').code, 2);
  assert.equal(srv.cli('calendar', 'due', '--from', '2026-02-13 09:00', '--days', '1', '--hours', '1').code, 2);
});

test('reform calendar to-lunar and to-solar convert one date per argument, per line', () => {
  // the product's issue: Tết 2023, 1985, 2007 and 2030 in Vietnam; Hùng Kings day 2023; leap month 2 of 2023
  const lunar = srv.cli('calendar', 'to-lunar', '2023-01-22', '1985-01-21', '2007-02-17', '2030-02-02', '2023-04-29', '2023-03-22');
  assert.equal(lunar.code, 0, lunar.out);
  assert.equal(lunar.out, '2023-01-01\n1985-01-01\n2007-01-01\n2030-01-01\n2023-03-10\n2023-02L-01\n');
  const solar = srv.cli('calendar', 'to-solar', '2023-02L-01', '2023-03-10', '2026-01-01');
  assert.equal(solar.out, '2023-03-22\n2023-04-29\n2026-02-17\n');
  const bad = srv.cli('calendar', 'to-solar', '2024-02L-01', '2023-13-01', '2026-01-01');
  assert.equal(bad.code, 1);
  assert.match(bad.out, /2024-02L-01: no such lunar date/);
  assert.match(bad.out, /2023-13-01: not a lunar date/);
  assert.match(bad.out, /^2026-02-17$/m);
});

test('reform calendar record takes a whole year or nothing', () => {
  const file = join(dir, 'cal.csv');
  writeFileSync(file, 'date,kind,name,source\n2031-03-03,swap_off,Nghỉ hoán đổi,Thử\n2031-03-10,makeup,Làm bù,Thử\n');
  const audit = () => Number(srv.db.sql('SELECT COUNT(*) FROM audit'));
  const a0 = audit();
  let r = srv.cli('calendar', 'record', '2031', file, '--source', 'Thông báo thử');
  assert.equal(r.code, 1);
  assert.match(r.out, /days\[1\]/); // 10 March 2031 is a Monday: not a make-up day
  assert.equal(audit(), a0);
  writeFileSync(file, 'date,kind,name,source\n2031-03-03,swap_off,Nghỉ hoán đổi,Thử\n2031-03-08,makeup,Làm bù,Thử\n');
  r = srv.cli('calendar', 'record', '2031', file, '--source', 'Thông báo thử');
  assert.equal(r.code, 0, r.out);
  assert.equal(audit(), a0 + 1);
  assert.equal(srv.cli('calendar', 'holidays', '2031').out,
    '2031-03-03\tswap_off\tNghỉ hoán đổi\n2031-03-08\tmakeup\tLàm bù\n');
  assert.equal(srv.cli('calendar', 'record', '2031', file).code, 2); // --source is required
});

test('reform calendar record refuses a name it would have to cut, and records nothing', () => {
  // 43 letters of three bytes: cut at 127 bytes, the last letter would be split in two
  const file = join(dir, 'cal-long.csv');
  writeFileSync(file, `date,kind,name,source\n2032-03-01,swap_off,${'ể'.repeat(43)},Thử\n2032-03-06,makeup,Làm bù,Thử\n`);
  const r = srv.cli('calendar', 'record', '2032', file, '--source', 'Thông báo thử');
  assert.equal(r.code, 1, r.out);
  assert.match(r.out, /cal-long\.csv, line 2: a day's name has 1 to 127 bytes/);
  assert.doesNotMatch(srv.cli('calendar', 'holidays', '2032').out, /2032-03-01/);
});

test('reform import units refuses a unit under itself, naming the line, and writes nothing', () => {
  // a code seen again adds a period under another parent: here under the unit itself, which
  // the database's own check refused as "the database failed"
  const file = join(dir, 'units-self.csv');
  writeFileSync(file, 'code,name,kind,parent_code,valid_from,valid_to,successor_code,generated\n' +
    'S05,Sở Kế hoạch và Đầu tư,department,S05,2024-01-01,,,1\n');
  const audit = () => Number(srv.db.sql('SELECT COUNT(*) FROM audit'));
  const a0 = audit();
  const r = srv.cli('import', 'units', file);
  assert.equal(r.code, 1, r.out);
  assert.match(r.out, /parent_code: line 2: a unit cannot be under itself or its own units/);
  assert.equal(audit(), a0);
});

test('reform demo dossiers makes a year of dossiers whose counters equal a recount', async () => {
  const r = srv.cli('demo', 'dossiers', '--count', '3000');
  assert.equal(r.code, 0, r.out);
  const q = (sql) => Number(srv.db.sql(sql));
  assert.equal(q('SELECT COUNT(*) FROM dossiers'), 3000);
  assert.equal(q('SELECT COUNT(DISTINCT code) FROM dossiers'), 3000);
  // every timeline starts at the desk: received, or returned for completion or refused there
  // (never received, no due time); early and on-time results came by the due time
  const first = "(SELECT action FROM dossier_events e WHERE e.dossier_id = d.id ORDER BY e.id LIMIT 1)";
  assert.equal(q(`SELECT COUNT(*) FROM dossiers d WHERE ${first} NOT IN ('receive', 'guide', 'refuse')`), 0);
  assert.equal(q(`SELECT COUNT(*) FROM dossiers d WHERE ${first} <> 'receive' AND (due_at <> 0 OR state NOT IN ('incomplete', 'refused'))`), 0);
  assert.equal(q("SELECT COUNT(*) FROM dossiers WHERE timeliness IN ('early', 'on_time') AND result_at > due_at"), 0);
  assert.equal(q("SELECT COUNT(*) FROM dossiers WHERE timeliness = 'late' AND result_at <= due_at"), 0);
  assert.ok(q("SELECT MIN(received_at) FROM dossiers") >= Date.parse('2025-06-30T17:00:00Z') / 1000);
  // every hand-over with its step's own due time, late exactly when after it, some late
  assert.equal(q("SELECT COUNT(*) FROM dossier_events WHERE action = 'hand_over' AND (step_due_at IS NULL OR (step_late = 1) <> (at > step_due_at))"), 0);
  assert.ok(q("SELECT COUNT(*) FROM dossier_events WHERE step_late = 1") > 0);
  // the province's own rows: every desk's dossiers are counted for each unit above it too,
  // once by day and once by month
  const root = q("SELECT id FROM units WHERE code = '42'");
  const sum = (metric, len = 7) => q(`SELECT COALESCE(SUM(n), 0) FROM dossier_counts WHERE metric = '${metric}' AND unit_id = ${root} AND LENGTH(span) = ${len}`);
  const received = "id IN (SELECT dossier_id FROM dossier_events WHERE action = 'receive')";
  const recount = {
    received: q(`SELECT COUNT(*) FROM dossiers WHERE ${received}`),
    received_online: q(`SELECT COUNT(*) FROM dossiers WHERE channel = 'online' AND ${received}`),
    early: q("SELECT COUNT(*) FROM dossiers WHERE timeliness = 'early'"),
    on_time: q("SELECT COUNT(*) FROM dossiers WHERE timeliness = 'on_time'"),
    late: q("SELECT COUNT(*) FROM dossiers WHERE timeliness = 'late'"),
    refused: q("SELECT COUNT(*) FROM dossiers WHERE state = 'refused'"),
    withdrawn: q("SELECT COUNT(*) FROM dossiers WHERE state = 'withdrawn'"),
    stopped: q("SELECT COUNT(*) FROM dossiers WHERE state = 'stopped'"),
    supplement: q("SELECT COUNT(*) FROM dossier_events WHERE action = 'ask'"),
    apology: q("SELECT COUNT(*) FROM dossier_events WHERE action = 'apologise'"),
    guided: q("SELECT COUNT(*) FROM dossiers WHERE state = 'incomplete'"),
    returned: q("SELECT COUNT(*) FROM dossiers WHERE state = 'returned'"),
    // received, and not processed or ended by the end of the year
    open: q(`SELECT COUNT(*) FROM dossiers WHERE ${received} AND state IN ('processing', 'supplement')`),
  };
  for (const [k, v] of Object.entries(recount)) {
    assert.equal(sum(k), v, k);
    assert.equal(sum(k, 10), v, `${k} by day`);
  }
  // and a commune's rows count the dossiers of its own desk
  const desk = q("SELECT desk_unit_id FROM dossiers d JOIN procedures p ON p.id = d.procedure_id WHERE p.level = 'commune' LIMIT 1");
  assert.equal(q(`SELECT SUM(n) FROM dossier_counts WHERE unit_id = ${desk} AND metric = 'received' AND LENGTH(span) = 7`),
    q(`SELECT COUNT(*) FROM dossiers WHERE desk_unit_id = ${desk} AND ${received}`));
  // a realistic mix: most processed on time, a few late, some refused and asked for papers
  assert.ok(recount.late > 0 && recount.late < recount.early + recount.on_time, JSON.stringify(recount));
  assert.ok(recount.refused > 0 && recount.supplement > 0 && recount.apology > 0 && recount.guided > 0, JSON.stringify(recount));
  assert.equal(srv.cli('demo', 'dossiers', '--count', '0').code, 2);
});
