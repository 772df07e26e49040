// The legal working calendar over HTTP: a year as shipped, recorded or
// proposed (public); due times (public); the admin records a year's
// announcement and the working hours, and due times follow at once, also
// when the change comes from another process.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, signedIn, assertProblem, Client, dbState, openSql } from './lib.mjs';

let srv, admin, sec, anon, sql;
before(async () => {
  srv = await startServer();
  [admin, sec] = await Promise.all(['admin', 'secretariat'].map((u) => signedIn(srv.base, u)));
  anon = new Client(srv.base);
  sql = openSql(srv.db);
});
after(async () => { await sql?.close(); await srv?.stop(); });

const due = async (q) => anon.get(`/api/v1/calendar/due?${new URLSearchParams(q)}`);
const kindsOf = (year) => Object.fromEntries(year.days.map((d) => [d.date, d.kind]));

describe('a year of the calendar', () => {
  test('2026 as the Government announced it, shipped with Reform, readable without signing in', async () => {
    const r = await anon.get('/api/v1/calendar/2026');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.basis, 'shipped');
    // Official Letter 9859/VPCP-KGVX and Notice 9441/TB-BNV, as the product's issue quotes them
    const k = kindsOf(r.json);
    for (const d of ['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-09-01', '2026-09-02'])
      assert.equal(k[d], 'holiday', d);
    assert.equal(k['2026-04-27'], 'compensation');
    assert.equal(k['2026-08-31'], 'swap_off');
    assert.equal(k['2026-08-22'], 'makeup');
    // 261 weekdays, 13 of them off, 2 Saturdays worked
    assert.equal(r.json.working_days, 250);
    const tet = r.json.days.find((d) => d.date === '2026-02-17');
    assert.equal(tet.lunar, '2026-01-01');
    assert.ok(tet.source.includes('9859/VPCP-KGVX'), tet.source);
    assert.deepEqual(r.json.hours, [{ from: '1900-01-01', periods: '07:00-11:30,13:30-17:00' }]);
  });

  test('2023, the demo year, is shipped too; a year without an announcement is the Labour Code proposal', async () => {
    const y2023 = (await anon.get('/api/v1/calendar/2023')).json;
    assert.equal(y2023.basis, 'shipped');
    // Official Letter 8056/VPCP-KGVX: Tết off 20/01 to 26/01/2023
    for (const d of ['2023-01-20', '2023-01-23', '2023-01-24', '2023-01-25', '2023-01-26'])
      assert.ok(kindsOf(y2023)[d], d);
    const y2030 = (await anon.get('/api/v1/calendar/2030')).json;
    assert.equal(y2030.basis, 'proposal');
    assert.equal(y2030.source, null);
    // Tết 2030 falls on 2 February (the product's issue): the old year's last day is 1 February
    assert.equal(kindsOf(y2030)['2030-02-01'], 'holiday');
    assert.equal(y2030.days.length, 11);
  });

  test('a year out of range is 400 naming year; not a number is 404', async () => {
    assertProblem(assert, await anon.get('/api/v1/calendar/1900'), 400, 'year');
    assertProblem(assert, await anon.get('/api/v1/calendar/2200'), 400, 'year');
    assertProblem(assert, await anon.get('/api/v1/calendar/99999999999'), 400, 'year');
    assert.equal((await anon.get('/api/v1/calendar/next')).status, 404);
  });
});

describe('due times', () => {
  // the product's issue, on the 2026 calendar: N working days from receipt, the day of receipt not counted
  const cases = [
    ['2026-02-13 09:00', 3, '2026-02-25 17:00'],
    ['2026-02-12 09:00', 5, '2026-02-26 17:00'],
    ['2026-04-24 09:00', 1, '2026-04-28 17:00'],
    ['2026-08-21 09:00', 1, '2026-08-22 17:00'],
    ['2026-08-28 09:00', 2, '2026-09-04 17:00'],
    ['2026-04-29 09:00', 3, '2026-05-06 17:00'],
  ];
  for (const [from, days, expected] of cases) {
    test(`${days} working days from ${from} fall due ${expected}`, async () => {
      const r = await due({ from, days });
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.json, { from, days, cutoff: null, due: expected });
    });
  }

  // the shipped calendars of 2023 and 2024 (data/calendar/SOURCES.md)
  const shipped = [
    ['2023-01-19 09:00', 1, '2023-01-27 17:00'], // 8056/VPCP-KGVX: Tết off 20/01 to 26/01/2023
    ['2023-04-28 09:00', 1, '2023-05-04 17:00'], // Hùng Kings on Sat 29/4, 30/4 on Sunday: made up on 2/5, 3/5
    ['2023-08-31 09:00', 1, '2023-09-05 17:00'], // 8056/VPCP-KGVX: National Day off 01/09 to 04/09/2023
    ['2024-02-07 09:00', 1, '2024-02-15 17:00'], // 8662/VPCP-KGVX, 5015/TB-LĐTBXH: Tết off 08/02 to 14/02/2024
    ['2024-04-26 09:00', 1, '2024-05-02 17:00'], // 2450/VPCP-KGVX: Mon 29/4 swapped off, 30/4 and 1/5
    ['2024-05-03 09:00', 1, '2024-05-04 17:00'], // ... and Saturday 4/5 worked for it
    ['2024-08-30 09:00', 1, '2024-09-04 17:00'], // National Day 2/9 and 3/9/2024
    ['2025-12-31 09:00', 1, '2026-01-05 17:00'], // 12729/VPCP-KGVX: 1/1 and 2/1/2026 off
  ];
  for (const [from, days, expected] of shipped) {
    test(`as shipped: ${days} working day from ${from} falls due ${expected}`, async () => {
      assert.equal((await due({ from, days })).json.due, expected);
    });
  }

  test('hours count from the instant of receipt; a cut-off moves a late receipt to the next working day', async () => {
    assert.equal((await due({ from: '2026-02-13 10:00', hours: '8' })).json.due, '2026-02-23 10:00');
    assert.equal((await due({ from: '2026-03-02 11:00', hours: '0.5' })).json.due, '2026-03-02 11:30');
    assert.equal((await due({ from: '2026-02-13 15:30', days: 1, cutoff: '15:00' })).json.due, '2026-02-24 17:00');
    assert.equal((await due({ from: '2026-02-13 14:30', days: 1, cutoff: '15:00' })).json.due, '2026-02-23 17:00');
    // a step's fraction of a day is 8 working hours a day from the instant: 0.5 day from Friday 14:00
    const half = await due({ from: '2026-03-06 14:00', days: '0.50' });
    assert.deepEqual(half.json, { from: '2026-03-06 14:00', days: 0.5, cutoff: null, due: '2026-03-09 08:00' });
    assert.equal((await due({ from: '2026-03-06 14:00', days: '1.5' })).json.due, '2026-03-10 08:00');
    assertProblem(assert, await due({ from: '2026-03-06 14:00', days: '0.0001' }), 400, 'days');
  });

  test('bad input is 400 naming the field', async () => {
    assertProblem(assert, await due({ from: '2026-02-13', days: 1 }), 400, 'from');
    assertProblem(assert, await due({ from: '2026-02-13 09:00' }), 400, 'days');
    assertProblem(assert, await due({ from: '2026-02-13 09:00', days: 1, hours: 2 }), 400, 'days');
    assertProblem(assert, await due({ from: '2026-02-13 09:00', days: 0 }), 400, 'days');
    assertProblem(assert, await due({ from: '2026-02-13 09:00', days: '1.x' }), 400, 'days');
    assertProblem(assert, await due({ from: '2026-02-13 09:00', hours: '0.001' }), 400, 'hours');
    assertProblem(assert, await due({ from: '2026-02-13 09:00', hours: '-1' }), 400, 'hours');
    assertProblem(assert, await due({ from: '2026-02-13 09:00', days: 1, cutoff: '25:00' }), 400, 'cutoff');
    assertProblem(assert, await due({ from: '2100-12-31 09:00', days: 5 }), 400, 'from');
  });
});

describe('recording an announcement', () => {
  const y2027 = {
    source: 'Công văn 1234/VPCP-KGVX ngày 01/11/2026',
    days: [
      { date: '2027-01-01', kind: 'holiday', name: 'Tết Dương lịch', source: 'BLLĐ 2019, Điều 112' },
      { date: '2027-02-04', kind: 'holiday', name: 'Tết Nguyên đán', source: 'Công văn 1234/VPCP-KGVX' },
      { date: '2027-02-05', kind: 'holiday', name: 'Tết Nguyên đán', source: 'Công văn 1234/VPCP-KGVX' },
      { date: '2027-02-08', kind: 'holiday', name: 'Tết Nguyên đán', source: 'Công văn 1234/VPCP-KGVX' },
      { date: '2027-02-09', kind: 'holiday', name: 'Tết Nguyên đán', source: 'Công văn 1234/VPCP-KGVX' },
      { date: '2027-02-10', kind: 'holiday', name: 'Tết Nguyên đán', source: 'Công văn 1234/VPCP-KGVX' },
      { date: '2027-02-11', kind: 'swap_off', name: 'Nghỉ hoán đổi', source: 'Công văn 1234/VPCP-KGVX' },
      { date: '2027-02-20', kind: 'makeup', name: 'Làm bù cho ngày 11/02/2027', source: 'Công văn 1234/VPCP-KGVX' },
    ],
  };

  test('only the admin records; others are 403 and anonymous callers 401, and nothing changes', async () => {
    const s0 = await dbState(sql);
    assertProblem(assert, await sec.put('/api/v1/calendar/2027', y2027), 403);
    assertProblem(assert, await anon.put('/api/v1/calendar/2027', y2027), 401);
    assertProblem(assert, await admin.put('/api/v1/calendar/2027', y2027, { csrf: false }), 403);
    assert.deepEqual(await dbState(sql), s0);
    assert.equal((await anon.get('/api/v1/calendar/2027')).json.basis, 'proposal');
  });

  test('bad days are refused naming the day and field, and nothing is written', async () => {
    const s0 = await dbState(sql);
    const bad = (i, over) => ({ ...y2027, days: y2027.days.map((d, j) => (j === i ? { ...d, ...over } : d)) });
    assertProblem(assert, await admin.put('/api/v1/calendar/2027', bad(7, { date: '2027-02-22' })), 422, 'days[7]');
    assertProblem(assert, await admin.put('/api/v1/calendar/2027', bad(1, { date: '2027-02-06' })), 422, 'days[1]');
    assertProblem(assert, await admin.put('/api/v1/calendar/2027', bad(2, { date: '2026-02-05' })), 422, 'days[2]');
    assertProblem(assert, await admin.put('/api/v1/calendar/2027', bad(3, { date: '2027-02-04' })), 422, 'days[3]');
    // a value a day cannot have is 422 like every refused value; a wrong JSON type or member 400
    assertProblem(assert, await admin.put('/api/v1/calendar/2027', bad(4, { kind: 'weekend' })), 422, 'days[4].kind');
    assertProblem(assert, await admin.put('/api/v1/calendar/2027', bad(5, { date: '2027-02-30' })), 422, 'days[5].date');
    assertProblem(assert, await admin.put('/api/v1/calendar/2027', bad(6, { name: '' })), 422, 'days[6].name');
    assertProblem(assert, await admin.put('/api/v1/calendar/2027', bad(6, { extra: 1 })), 400, 'days[6].extra');
    assertProblem(assert, await admin.put('/api/v1/calendar/2027', { ...y2027, source: '' }), 422, 'source');
    assertProblem(assert, await admin.put('/api/v1/calendar/2027', { source: 'x', days: {} }), 400, 'days');
    assert.deepEqual(await dbState(sql), s0);
  });

  test('the admin records 2027: the year reports what changed, due times follow, the audit keeps it', async () => {
    // under the proposal, Thursday 4 February 2027 is worked and Saturday 20 February is not
    assert.equal((await due({ from: '2027-02-03 09:00', days: 1 })).json.due, '2027-02-04 17:00');
    assert.equal((await due({ from: '2027-02-19 09:00', days: 1 })).json.due, '2027-02-22 17:00');
    const a0 = Number(await sql.query('SELECT COUNT(*) FROM audit'));
    const r = await admin.put('/api/v1/calendar/2027', y2027);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.basis, 'recorded');
    assert.equal(r.json.source, y2027.source);
    assert.equal(r.json.days.length, 8);
    // against the proposal (Tết 5-9 February, made up on 10 and 11; 16/4, 30/4, 3/5, 1-2/9 off)
    assert.deepEqual(r.json.changes, [
      { date: '2027-02-04', was: 'working', now: 'off' },
      { date: '2027-02-20', was: 'off', now: 'working' },
      { date: '2027-04-16', was: 'off', now: 'working' },
      { date: '2027-04-30', was: 'off', now: 'working' },
      { date: '2027-05-03', was: 'off', now: 'working' },
      { date: '2027-09-01', was: 'off', now: 'working' },
      { date: '2027-09-02', was: 'off', now: 'working' },
    ]);
    assert.deepEqual(await anon.get('/api/v1/calendar/2027').then((x) => x.json.days), r.json.days);
    // now 4 to 11 February are off and Saturday 20 February is worked
    assert.equal((await due({ from: '2027-02-03 09:00', days: 1 })).json.due, '2027-02-12 17:00');
    assert.equal((await due({ from: '2027-02-19 09:00', days: 1 })).json.due, '2027-02-20 17:00');
    assert.equal(Number(await sql.query('SELECT COUNT(*) FROM audit')), a0 + 1);
    const rec = (await admin.get('/api/v1/audit?entity=calendar&limit=5')).json.items.at(-1);
    assert.equal(rec.action, 'record');
    assert.equal(rec.entity_id, '2027');
    // recording it again changes nothing more
    const again = await admin.put('/api/v1/calendar/2027', y2027);
    assert.deepEqual(again.json.changes, []);
  });

  test('a change from another process is seen by the next due time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'reform-cal-'));
    const file = join(dir, '2028.csv');
    writeFileSync(file, 'date,kind,name,source\n2028-03-01,swap_off,Nghỉ hoán đổi,Thử nghiệm\n2028-03-04,makeup,Làm bù,Thử nghiệm\n');
    assert.equal((await due({ from: '2028-02-29 09:00', days: 1 })).json.due, '2028-03-01 17:00');
    const cli = srv.cli('calendar', 'record', '2028', file, '--source', 'Thử nghiệm');
    rmSync(dir, { recursive: true, force: true });
    assert.equal(cli.code, 0, cli.out);
    assert.equal((await due({ from: '2028-02-29 09:00', days: 1 })).json.due, '2028-03-02 17:00');
    assert.equal((await anon.get('/api/v1/calendar/2028')).json.basis, 'recorded');
  });

  test('working hours from a date: the admin records them, hours due follow; bad periods are 422', async () => {
    assertProblem(assert, await sec.post('/api/v1/calendar/hours', { from: '2029-01-01', periods: '07:30-11:30,13:00-16:30' }), 403);
    assertProblem(assert, await admin.post('/api/v1/calendar/hours', { from: '2029-01-01', periods: '13:00-16:30,07:30-11:30' }), 422, 'periods');
    assertProblem(assert, await admin.post('/api/v1/calendar/hours', { from: '2029-02-30', periods: '07:30-11:30' }), 422, 'from');
    assert.equal((await due({ from: '2029-01-02 07:00', hours: '1' })).json.due, '2029-01-02 08:00');
    const r = await admin.post('/api/v1/calendar/hours', { from: '2029-01-01', periods: '07:30-11:30,13:00-16:30' });
    assert.equal(r.status, 201, r.text);
    assert.equal((await due({ from: '2029-01-02 07:00', hours: '1' })).json.due, '2029-01-02 08:30');
    assert.equal((await due({ from: '2028-12-29 16:00', days: 1 })).json.due, '2029-01-02 16:30');
    const hours = (await anon.get('/api/v1/calendar/2029')).json.hours;
    assert.deepEqual(hours.at(-1), { from: '2029-01-01', periods: '07:30-11:30,13:00-16:30' });
  });
});

describe('working days elsewhere', () => {
  test('task reminders count working days on the calendar: one working day after 19 January 2023 is 27 January', async () => {
    // Official Letter 8056/VPCP-KGVX: Tết off from 20 to 26 January 2023
    const r = await sec.get('/api/v1/tasks/reminders?date=2023-01-19&within=1');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.due_by, '2023-01-27');
    const plain = await sec.get('/api/v1/tasks/reminders?date=2023-03-01&within=2');
    assert.equal(plain.json.due_by, '2023-03-03');
  });
});
