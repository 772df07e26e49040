// One-stop dossiers over HTTP: the clerk receives at the provincial desk, the
// department's officer and the Chairman act on their steps, the clerk returns
// the result; each move only by the unit that holds the dossier and at the
// version it saw; the citizen looks it up by code with the slip's secret or
// the phone number and sees no personal data; the figures follow.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, signedIn, assertProblem, Client } from './lib.mjs';

// a catalogue of the test's own: a provincial procedure through the environment department and
// the Provincial People's Committee (Ha Tinh's 3-day pattern), and a commune one in hours
const CATALOGUE = `code,version_from,name,field,level,days,hours,fee,online,papers,steps,source
9.000001,2023-01-01,Thủ tục thử cấp tỉnh,land,province,3,,100000,partial,Đơn | Bản sao giấy tờ,Chuyển hồ sơ|desk|0.25d;Lãnh đạo phòng|S07|0.25d;Chuyên viên|S07|0.5d;Lãnh đạo Sở|S07|0.5d;UBND tỉnh|42|1.5d,test
9.000002,2023-01-01,Thủ tục thử trong ngày,certification,commune,,4,2000,full,Bản chính,Tiếp nhận|desk|1h;Ký|commune|3h,test
`;

let srv, clerk, officer, chairman, other, sec;
before(async () => {
  srv = await startServer();
  const dir = mkdtempSync(join(tmpdir(), 'reform-proc-'));
  writeFileSync(join(dir, 'p.csv'), CATALOGUE);
  const r = srv.cli('import', 'procedures', join(dir, 'p.csv'));
  rmSync(dir, { recursive: true, force: true });
  assert.equal(r.code, 0, r.out);
  [clerk, officer, chairman, other, sec] = await Promise.all(
    ['clerk.hcc', 'officer.stnmt', 'chairman', 'clerk.huongson', 'secretariat'].map((u) => signedIn(srv.base, u)));
});
after(async () => { await srv?.stop(); });

const receive = (over = {}) => clerk.post('/api/v1/dossiers', {
  procedure_code: '9.000001', applicant_name: 'Nguyễn Văn An', applicant_phone: '0912 345 678',
  applicant_address: 'Phường Trần Phú, Hà Tĩnh', ...over,
});
const act = (who, d, action, over = {}) =>
  who.post(`/api/v1/dossiers/${d.code}/actions`, { action, version: d.version, ...over });

describe('the catalogue', () => {
  test('procedures in force, searched without diacritics, with their steps', async () => {
    let r = await clerk.get('/api/v1/procedures?q=thu tuc thu cap tinh');
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.items.map((p) => p.code), ['9.000001']);
    r = await clerk.get('/api/v1/procedures?field=certification&level=commune');
    assert.ok(r.json.items.some((p) => p.code === '9.000002'));
    const p = (await clerk.get(`/api/v1/procedures/${r.json.items.find((x) => x.code === '9.000002').id}`)).json;
    assert.equal(p.minutes, 240);
    assert.deepEqual(p.steps.map((s) => s.minutes), [60, 180]);
    assertProblem(assert, await clerk.get('/api/v1/procedures?field=magic'), 400, 'field');
  });

  test('an import whose steps do not add up to the total writes nothing and names the line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'reform-proc-'));
    writeFileSync(join(dir, 'bad.csv'), CATALOGUE.split('\n')[0] + '\n' +
      '9.000003,2023-01-01,Thủ tục lỗi,land,province,3,,0,none,Đơn,Chuyển|desk|0.25d;Xử lý|S07|2d,test\n');
    const before = srv.db.sql('SELECT COUNT(*) FROM procedures');
    const r = srv.cli('import', 'procedures', join(dir, 'bad.csv'));
    rmSync(dir, { recursive: true, force: true });
    assert.equal(r.code, 1);
    assert.match(r.out, /line 2: steps/);
    assert.equal(srv.db.sql('SELECT COUNT(*) FROM procedures'), before);
  });

  test('an import whose name is not UTF-8 text is bad input on its line, not a database failure', () => {
    // a name saved in a legacy code page (0xEB is 'ë' in Windows-1258), then one with a tab
    const dir = mkdtempSync(join(tmpdir(), 'reform-proc-'));
    const head = Buffer.from(CATALOGUE.split('\n')[0] + '\n9.000004,2023-01-01,Th', 'utf8');
    const tail = Buffer.from(' t\u1ee5c l\u1ed7i,land,province,3,,0,none,\u0110\u01a1n,Chuy\u1ec3n|desk|3d,test\n', 'utf8');
    writeFileSync(join(dir, 'latin.csv'), Buffer.concat([head, Buffer.from([0xeb]), tail]));
    writeFileSync(join(dir, 'tab.csv'), CATALOGUE.split('\n')[0] + '\n' +
      '9.000004,2023-01-01,Thủ tục\tlỗi,land,province,3,,0,none,Đơn,Chuyển|desk|3d,test\n');
    const before = srv.db.sql('SELECT COUNT(*) FROM procedures');
    for (const file of ['latin.csv', 'tab.csv']) {
      const r = srv.cli('import', 'procedures', join(dir, file));
      assert.equal(r.code, 1, file);
      assert.match(r.out, /line 2: name: UTF-8 text without control characters/, file);
    }
    rmSync(dir, { recursive: true, force: true });
    assert.equal(srv.db.sql('SELECT COUNT(*) FROM procedures'), before);
  });
});

describe('a dossier from the desk to the citizen', () => {
  let d, secret;

  test('the clerk receives it: a code read over the phone, the due time on the working calendar, the slip secret', async () => {
    const r = await receive();
    assert.equal(r.status, 201, r.text);
    d = r.json;
    secret = d.secret;
    assert.match(d.code, /^S20-\d{6}-\d{4}$/);
    assert.match(secret, /^[A-Za-z0-9_-]{20}$/); // 120 random bits
    assert.equal(d.state, 'processing');
    assert.equal(d.step.index, 0);
    assert.equal(d.applicant.phone, '0912345678');
    // the due time is the calendar's for 3 working days from the receipt
    const local = new Date(Date.parse(d.received_at) + 7 * 3600e3).toISOString().slice(0, 16).replace('T', ' ');
    const due = await clerk.get(`/api/v1/calendar/due?${new URLSearchParams({ from: local, days: 3 })}`);
    assert.equal(d.due_local, due.json.due);
    assert.equal(d.appointment_local, d.due_local);
    // the secret is shown once: not on a later read
    const again = await clerk.get(`/api/v1/dossiers/${d.code}`);
    assert.equal(again.json.secret, undefined);
    assert.equal(again.json.events[0].action, 'receive');
  });

  test('only a clerk receives, and bad input names the field', async () => {
    assertProblem(assert, await officer.post('/api/v1/dossiers', { procedure_code: '9.000001', applicant_name: 'A', applicant_phone: '0912345678' }), 403);
    assertProblem(assert, await receive({ applicant_phone: 'call me' }), 422, 'applicant_phone');
    assertProblem(assert, await receive({ procedure_code: '0.000000' }), 422, 'procedure_code');
    assertProblem(assert, await receive({ applicant_name: '' }), 422, 'applicant_name');
    assertProblem(assert, await receive({ channel: 'pigeon' }), 422, 'channel');
    assertProblem(assert, await receive({ colour: 'red' }), 400, 'colour');
  });

  test('each step moves only by the unit that holds it, at the version it saw', async () => {
    // step 0 is the desk's own transfer: the department does not see the dossier yet, so its
    // officer is answered as for a code that does not exist
    const early = await act(officer, d, 'hand_over');
    assertProblem(assert, early, 404);
    assert.deepEqual(early.json, (await act(officer, { ...d, code: 'S20-991231-9999' }, 'hand_over')).json);
    let r = await act(clerk, d, 'hand_over');
    assert.equal(r.status, 200, r.text);
    d = r.json;
    assert.equal(d.step.name, 'Lãnh đạo phòng');
    // the desk still sees it, but the step is the department's
    assertProblem(assert, await act(clerk, d, 'hand_over'), 403, 'action');
    // two officers at once on the same version: exactly one succeeds
    const [a, b] = await Promise.all([act(officer, d, 'hand_over'), act(officer, d, 'hand_over')]);
    assert.deepEqual([a.status, b.status].sort(), [200, 409]);
    d = (a.status === 200 ? a : b).json;
    assert.equal(d.step.index, 2);
    // a stale version is 409 and writes nothing
    const stale = await act(officer, { ...d, version: d.version - 1 }, 'hand_over');
    assertProblem(assert, stale, 409, 'version');
    assert.equal((await clerk.get(`/api/v1/dossiers/${d.code}`)).json.version, d.version);
    // an action the state does not allow is 409; an unknown one 422
    assertProblem(assert, await act(clerk, d, 'return'), 409, 'action');
    assertProblem(assert, await act(officer, d, 'fly'), 422, 'action');
  });

  test('papers asked of the citizen stop the clock; the due time moves when they come', async () => {
    assertProblem(assert, await act(officer, d, 'ask'), 422, 'reason');
    let r = await act(officer, d, 'ask', { reason: 'Thiếu bản sao sổ đỏ' });
    assert.equal(r.status, 200, r.text);
    d = r.json;
    assert.equal(d.state, 'supplement');
    const due = d.due_at;
    assert.equal((await sec.get('/api/v1/dossiers/stats?period=2026')).json.now.waiting_for_papers >= 1, true);
    r = await act(clerk, d, 'supplied');
    assert.equal(r.status, 200, r.text);
    d = r.json;
    assert.equal(d.state, 'processing');
    assert.ok(d.due_at >= due, `${d.due_at} before ${due}`);
  });

  test('an apology gives a new appointment, in time; the Chairman signs the last step; the clerk returns it', async () => {
    assertProblem(assert, await act(officer, d, 'apologise', { reason: 'Chờ ý kiến', appointment: '2020-01-01 08:00' }), 422, 'appointment');
    let r = await act(officer, d, 'apologise', { reason: 'Chờ ý kiến Sở Tài chính', appointment: '2099-12-31 17:00' });
    assert.equal(r.status, 200, r.text);
    d = r.json;
    assert.equal(d.apologies, 1);
    assert.equal(d.appointment_local, '2099-12-31 17:00');
    r = await act(officer, d, 'hand_over');
    d = r.json;
    assert.equal(d.step.name, 'Lãnh đạo Sở');
    d = (await act(officer, d, 'hand_over')).json;
    assert.equal(d.step.name, 'UBND tỉnh');
    // handed on to the Provincial People's Committee, it has left the department's sight
    assertProblem(assert, await act(officer, d, 'hand_over'), 404);
    r = await act(chairman, d, 'hand_over');
    assert.equal(r.status, 200, r.text);
    d = r.json;
    assert.equal(d.state, 'ready');
    assert.ok(['early', 'on_time'].includes(d.timeliness), d.timeliness);
    d = (await act(clerk, d, 'notify')).json;
    assert.equal(d.state, 'notified');
    d = (await act(clerk, d, 'return')).json;
    assert.equal(d.state, 'returned');
    assertProblem(assert, await act(clerk, d, 'withdraw'), 409, 'action');
    const events = (await clerk.get(`/api/v1/dossiers/${d.code}`)).json.events.map((e) => e.action);
    assert.deepEqual(events, ['receive', 'hand_over', 'hand_over', 'ask', 'supplied', 'apologise', 'hand_over',
      'hand_over', 'hand_over', 'notify', 'return']);
  });

  test('another unit\'s clerk gets 404, word for word as for no dossier', async () => {
    const r = await other.get(`/api/v1/dossiers/${d.code}`);
    const none = await other.get('/api/v1/dossiers/S20-010101-9999');
    assertProblem(assert, r, 404);
    assert.equal(r.text, none.text);
  });

  test('the citizen looks it up with the secret or the phone and sees no personal data', async () => {
    const anon = new Client(srv.base);
    let r = await anon.get(`/api/v1/public/dossiers/${d.code}?secret=${secret}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.state, 'returned');
    for (const k of ['applicant', 'version', 'desk_unit_id', 'channel', 'secret']) assert.equal(r.json[k], undefined, k);
    assert.ok(!r.text.includes('Nguyễn Văn An') && !r.text.includes('0912345678'));
    r = await anon.get(`/api/v1/public/dossiers/${d.code}?phone=0912.345.678`);
    assert.equal(r.status, 200, r.text);
    const wrong = await anon.get(`/api/v1/public/dossiers/${d.code}?secret=${'A'.repeat(20)}`);
    const none = await anon.get(`/api/v1/public/dossiers/S20-010101-9999?secret=${secret}`);
    assertProblem(assert, wrong, 404);
    assert.equal(wrong.text, none.text);
    assertProblem(assert, await anon.get(`/api/v1/public/dossiers/${d.code}`), 400, 'secret');
  });

  test('the figures count it: received, processed, early or on time', async () => {
    const r = await sec.get('/api/v1/dossiers/stats?period=2026');
    assert.equal(r.status, 200, r.text);
    assert.ok(r.json.received >= 1);
    assert.equal(r.json.processed, r.json.early + r.json.on_time + r.json.late);
    assert.ok(r.json.processed >= 1);
    assert.ok(r.json.supplement >= 1);
    assert.ok(r.json.apology >= 1);
    assertProblem(assert, await sec.get('/api/v1/dossiers/stats?period=someday'), 400, 'period');
  });
});

describe('the dossiers behind a figure', () => {
  test('a list by receipt or result period, state, timeliness, field and overdue, in scope', async () => {
    const today = new Date(Date.now() + 7 * 3600e3).toISOString().slice(0, 10);
    const stats = (await sec.get(`/api/v1/dossiers/stats?period=${today}..${today}`)).json;
    const all = async (q) => {
      const items = [];
      let cursor = null;
      do {
        const r = await sec.get(`/api/v1/dossiers?${q}&limit=7${cursor ? `&cursor=${cursor}` : ''}`);
        assert.equal(r.status, 200, r.text);
        items.push(...r.json.items);
        cursor = r.json.next;
      } while (cursor);
      return items;
    };
    // the figures and the lists behind them agree
    assert.equal((await all(`received=${today}..${today}`)).length, stats.received);
    assert.equal((await all(`result=${today}..${today}&timeliness=early,on_time`)).length, stats.early + stats.on_time);
    assert.equal((await all('state=refused')).length, stats.refused);
    assert.equal((await all('state=processing&overdue=1')).length, stats.now.overdue);
    assert.equal((await all('overdue=0')).length, stats.now.within_due);
    assert.equal((await all('state=processing')).length, stats.now.within_due + stats.now.overdue);
    const land = await all('field=land');
    assert.ok(land.length > 0 && land.every((d) => d.code.startsWith('S20-')));
    // another unit's clerk sees none of the provincial desk's dossiers
    assert.deepEqual((await other.get('/api/v1/dossiers?state=returned')).json.items.filter((d) => d.code.startsWith('S20-')), []);
    assertProblem(assert, await sec.get('/api/v1/dossiers?state=lost'), 400, 'state');
    assertProblem(assert, await sec.get('/api/v1/dossiers?received=yesterday'), 400, 'received');
  });
});

describe('codes under concurrent receipt', () => {
  test('forty dossiers received at once at one desk get forty codes, numbered without a gap', async () => {
    const all = await Promise.all(Array.from({ length: 40 }, () => receive({ procedure_code: '9.000002' })));
    for (const r of all) assert.equal(r.status, 201, r.text);
    const codes = all.map((r) => r.json.code);
    assert.equal(new Set(codes).size, 40);
    const day = codes[0].split('-')[1];
    const seqs = codes.filter((c) => c.split('-')[1] === day).map((c) => Number(c.split('-')[2])).sort((a, b) => a - b);
    for (let i = 1; i < seqs.length; i++) assert.equal(seqs[i], seqs[i - 1] + 1);
  });
});

describe('refusal, withdrawal and the worklist', () => {
  test('a refusal needs its reason; a withdrawn dossier takes no more moves; the worklist lists what the unit holds', async () => {
    let d = (await receive({ procedure_code: '9.000002', channel: 'online' })).json;
    assert.equal(d.state, 'processing');
    assertProblem(assert, await act(clerk, d, 'refuse'), 422, 'reason');
    const w = await receive();
    d = (await act(clerk, d, 'withdraw')).json;
    assert.equal(d.state, 'withdrawn');
    assertProblem(assert, await act(clerk, d, 'hand_over'), 409, 'action');
    const before = (await clerk.get(`/api/v1/dossiers/${w.json.code}`)).json;
    assert.match(before.step_due_local, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    let x = (await act(clerk, w.json, 'hand_over')).json;
    const list = await officer.get('/api/v1/dossiers/worklist');
    assert.equal(list.status, 200, list.text);
    assert.ok(list.json.items.some((i) => i.code === x.code));
    const dues = list.json.items.map((i) => i.due_at);
    assert.deepEqual(dues, [...dues].sort());
    // the time left in working minutes: what the calendar counts from now to the due time
    const mine = list.json.items.find((i) => i.code === x.code);
    // (three working days, with the day of receipt when it falls outside the hours: at most four)
    assert.ok(mine.working_minutes_left > 0 && mine.working_minutes_left <= 4 * 480, JSON.stringify(mine));
    const now = new Date(Date.now() + 7 * 3600e3).toISOString().slice(0, 16).replace('T', ' ');
    if (mine.working_minutes_left % 60 === 0) {
      const q = new URLSearchParams({ from: now, hours: mine.working_minutes_left / 60 });
      const by = (await clerk.get(`/api/v1/calendar/due?${q}`)).json.due;
      assert.ok(by >= mine.due_local.slice(0, 10), `${by} and ${mine.due_local}`);
    }
    // the desk's transfer step handed over with its own due time, in time
    const slip = (await clerk.get(`/api/v1/dossiers/${x.code}`)).json.events;
    const transfer = slip.find((e) => e.action === 'hand_over');
    assert.equal(transfer.step, 0);
    assert.match(transfer.step_due_local, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    assert.equal(transfer.step_late, false);
    assert.ok(['early', 'on_time'].includes(transfer.step_timeliness), transfer.step_timeliness);
    assert.equal(transfer.step_due_local, before.step_due_local); // as the page showed it
    assert.notEqual((await clerk.get(`/api/v1/dossiers/${x.code}`)).json.step_due_local, null);
    assert.equal(slip.find((e) => e.action === 'receive').step_late, null);
    x = (await act(officer, x, 'refuse', { reason: 'Không thuộc thẩm quyền' })).json;
    assert.equal(x.state, 'refused');
    assert.ok(!(await officer.get('/api/v1/dossiers/worklist')).json.items.some((i) => i.code === x.code));
  });
});

describe('at the desk, a dossier not received', () => {
  test('returned for completion (Form 02) or refused (Form 03): a code and the reason for the log book, no clock, no secret', async () => {
    const g = await receive({ outcome: 'guide', reason: 'Bổ sung bản sao sổ hộ khẩu' });
    assert.equal(g.status, 201, g.text);
    assert.equal(g.json.state, 'incomplete');
    assert.match(g.json.code, /^S20-\d{6}-\d{4}$/);
    assert.equal(g.json.due_local, null);
    assert.equal(g.json.step, null);
    assert.equal(g.json.secret, undefined);
    const page = (await clerk.get(`/api/v1/dossiers/${g.json.code}`)).json;
    assert.deepEqual(page.events.map((e) => [e.action, e.reason]), [['guide', 'Bổ sung bản sao sổ hộ khẩu']]);
    // never received: no move applies to it
    assertProblem(assert, await act(clerk, g.json, 'notify'), 409, 'action');
    const f = await receive({ outcome: 'refuse', reason: 'Không thuộc thẩm quyền' });
    assert.equal(f.status, 201, f.text);
    assert.equal(f.json.state, 'refused');
    assert.ok(f.json.finished_at);
    // the reason is required, the outcome one of three; nothing is written
    const before = srv.db.sql('SELECT COUNT(*) FROM dossiers');
    assertProblem(assert, await receive({ outcome: 'guide' }), 422, 'reason');
    assertProblem(assert, await receive({ outcome: 'refuse', reason: '' }), 422, 'reason');
    assertProblem(assert, await receive({ outcome: 'hand_over', reason: 'x' }), 422, 'outcome');
    assertProblem(assert, await receive({ outcome: 'guide', reason: 'x'.repeat(4001) }), 422, 'reason');
    assert.equal(srv.db.sql('SELECT COUNT(*) FROM dossiers'), before);
  });
});

describe('public lookup is rate-limited', () => {
  test('guessing is stopped with 429 and Retry-After; the citizen who holds the slip is not', async () => {
    const anon = new Client(srv.base);
    const d = (await receive()).json;
    for (let i = 0; i < 70; i++)
      assert.equal((await anon.get(`/api/v1/public/dossiers/${d.code}?secret=${d.secret}`)).status, 200);
    let limited = null;
    for (let i = 0; i < 80 && !limited; i++) {
      const r = await anon.get(`/api/v1/public/dossiers/S20-010101-${String(i).padStart(4, '0')}?secret=x`);
      if (r.status === 429) limited = r;
      else assert.equal(r.status, 404);
    }
    assert.ok(limited, 'never limited');
    assertProblem(assert, limited, 429);
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
    // once limited, the address waits, even with the right secret
    assert.equal((await anon.get(`/api/v1/public/dossiers/${d.code}?secret=${d.secret}`)).status, 429);
  });
});

describe('the counters equal a full recount', () => {
  // Random histories through the state machine, each move made by whoever holds the dossier;
  // then every figure of the report must equal a recount from the dossiers and their events.
  test('after random histories of 30 dossiers, the report and the recount agree', async () => {
    let seed = 20261129;
    const rnd = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
    const holder = (d) => {
      if (['ready', 'notified', 'supplement'].includes(d.state) || d.step?.index === 0) return clerk;
      if (d.procedure.code === '9.000002') return clerk; // a commune procedure received at S20: its own desk
      return d.step?.name === 'UBND tỉnh' ? chairman : officer;
    };
    const choices = {
      processing: ['hand_over', 'hand_over', 'hand_over', 'ask', 'refuse', 'withdraw', 'stop'],
      supplement: ['supplied', 'supplied', 'withdraw', 'refuse'],
      ready: ['notify', 'return'],
      notified: ['return'],
    };
    for (let i = 0; i < 30; i++) {
      const outcome = ['guide', 'refuse', 'receive', 'receive', 'receive', 'receive', 'receive', 'receive'][rnd(8)];
      const r = await receive({ procedure_code: rnd(3) ? '9.000001' : '9.000002', channel: rnd(2) ? 'online' : 'desk', outcome, reason: 'Lý do thử' });
      assert.equal(r.status, 201, r.text);
      let d = r.json;
      for (let k = 0; k < 12 && choices[d.state]; k++) {
        const action = choices[d.state][rnd(choices[d.state].length)];
        const who = ['supplied', 'withdraw', 'notify', 'return'].includes(action) ? clerk : holder(d);
        const m = await act(who, d, action, { reason: 'Lý do thử' });
        assert.equal(m.status, 200, `${action} in ${d.state} at ${d.step?.name}: ${m.text}`);
        d = m.json;
      }
    }
    const q = (sql) => Number(srv.db.sql(sql));
    const report = (await sec.get('/api/v1/dossiers/stats?period=2026')).json;
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
    };
    for (const [k, v] of Object.entries(recount)) assert.equal(report[k], v, k);
    assert.equal(report.carried_over, 0); // nothing was received before this year
    // the rows by field, by level and by unit add up to the whole
    for (const by of ['field', 'level', 'unit']) {
      const r = (await sec.get(`/api/v1/dossiers/stats?period=2026&by=${by}`)).json;
      assert.equal(r.by, by);
      for (const k of ['received', 'early', 'on_time', 'late', 'refused', 'guided', 'processed'])
        assert.equal(r.rows.reduce((n, row) => n + row[k], 0), report[k], `${k} by ${by}`);
      for (const row of r.rows) assert.ok(row.key && row.on_time_rate, JSON.stringify(row));
    }
    const byField = (await sec.get('/api/v1/dossiers/stats?period=2026&by=field')).json.rows;
    assert.equal(byField.find((x) => x.key === 'land').received, q(`SELECT COUNT(*) FROM dossiers d JOIN procedures p ON p.id = d.procedure_id WHERE p.field = 'land' AND d.${received}`));
    assertProblem(assert, await sec.get('/api/v1/dossiers/stats?period=2026&by=colour'), 400, 'by');
    // the lists behind the figures: received (not those turned away at the desk), refused and
    // returned for completion when it happened, papers asked in the period
    const year = new Date(Date.now() + 7 * 3600e3).toISOString().slice(0, 4);
    const count = async (query) => {
      let n = 0, cursor = null;
      do {
        const r = await sec.get(`/api/v1/dossiers?${query}&limit=50${cursor ? `&cursor=${cursor}` : ''}`);
        assert.equal(r.status, 200, r.text);
        n += r.json.items.length;
        cursor = r.json.next;
      } while (cursor);
      return n;
    };
    assert.equal(await count(`received=${year}`), report.received);
    assert.equal(await count(`state=refused&ended=${year}`), report.refused);
    assert.equal(await count(`state=incomplete&ended=${year}`), report.guided);
    assert.equal(await count(`state=returned&ended=${year}`), report.returned);
    // the desk's log book: every dossier taken in, whatever came of it, with its applicant
    assert.equal(await count(`taken=${year}`), q('SELECT COUNT(*) FROM dossiers'));
    const book = (await sec.get(`/api/v1/dossiers?taken=${year}&state=incomplete&limit=1`)).json.items[0];
    assert.equal(book.applicant.name, 'Nguyễn Văn An');
    assert.equal(book.due_local, null);
    assert.equal(await count(`asked=${year}`), q("SELECT COUNT(DISTINCT dossier_id) FROM dossier_events WHERE action = 'ask'"));
    assert.equal(await count(`apologised=${year}`), q("SELECT COUNT(DISTINCT dossier_id) FROM dossier_events WHERE action = 'apologise'"));
    assert.equal(await count(`asked=${Number(year) - 1}`), 0);
    assertProblem(assert, await sec.get('/api/v1/dossiers?asked=soon'), 400, 'asked');
    assertProblem(assert, await sec.get('/api/v1/dossiers?ended=soon'), 400, 'ended');
    assertProblem(assert, await sec.get('/api/v1/dossiers?taken=soon'), 400, 'taken');
    // tomorrow carries over what is received and neither processed nor ended today
    const tomorrow = new Date(Date.now() + 31 * 3600e3).toISOString().slice(0, 10);
    const next = (await sec.get(`/api/v1/dossiers/stats?period=${tomorrow}..${tomorrow}`)).json;
    assert.equal(next.carried_over, q("SELECT COUNT(*) FROM dossiers WHERE state IN ('processing', 'supplement')"));
    assert.ok(next.carried_over > 0);
    // a period of days, and one of days around whole months, read the same counts (all of
    // this file's dossiers are received today)
    const today = new Date(Date.now() + 7 * 3600e3).toISOString().slice(0, 10);
    const start = today.slice(5) < '01-15' ? `${today.slice(0, 4)}-01-01` : `${today.slice(0, 4)}-01-15`;
    for (const period of [`${today}..${today}`, `${start}..${today}`]) {
      const part = (await sec.get(`/api/v1/dossiers/stats?period=${period}`)).json;
      assert.equal(part.received, recount.received, period);
      assert.equal(part.refused, recount.refused, period);
    }
    const before = (await sec.get(`/api/v1/dossiers/stats?period=${Number(today.slice(0, 4)) - 1}`)).json;
    assert.equal(before.received, 0);
    assert.equal(report.now.waiting_for_papers, q("SELECT COUNT(*) FROM dossiers WHERE state = 'supplement'"));
    assert.equal(report.now.within_due + report.now.overdue, q("SELECT COUNT(*) FROM dossiers WHERE state = 'processing'"));
    assert.ok(recount.refused + recount.withdrawn + recount.stopped > 0 && recount.supplement > 0 && recount.guided > 0, JSON.stringify(recount));
  });
});

describe('a change of the calendar', () => {
  test('reports the unfinished dossiers whose due time it would move, and moves none', async () => {
    const admin = await signedIn(srv.base, 'admin');
    const d = (await receive()).json;
    // the first working day after the receipt becomes a day off
    const local = new Date(Date.parse(d.received_at) + 7 * 3600e3).toISOString().slice(0, 16).replace('T', ' ');
    const next = (await clerk.get(`/api/v1/calendar/due?${new URLSearchParams({ from: local, days: 1 })}`)).json.due.slice(0, 10);
    const year = Number(next.slice(0, 4));
    const cur = (await admin.get(`/api/v1/calendar/${year}`)).json;
    const days = cur.days.map(({ date, kind, name, source }) => ({ date, kind, name, source }));
    days.push({ date: next, kind: 'swap_off', name: 'Nghỉ hoán đổi', source: 'Thử nghiệm' });
    const r = await admin.put(`/api/v1/calendar/${year}`, { source: 'Thử nghiệm', days });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.changes, [{ date: next, was: 'working', now: 'off' }]);
    const mine = r.json.affected_dossiers.items.find((x) => x.code === d.code);
    assert.ok(mine, JSON.stringify(r.json.affected_dossiers));
    assert.equal(mine.due_local, d.due_local);
    assert.ok(mine.would_be > mine.due_local, `${mine.would_be} after ${mine.due_local}`);
    assert.ok(r.json.affected_dossiers.count >= 1);
    // the due time given to the citizen stays as it was
    assert.equal((await clerk.get(`/api/v1/dossiers/${d.code}`)).json.due_local, d.due_local);
    // recorded again unchanged: the same dossiers are reported, and no date changes
    const again = await admin.put(`/api/v1/calendar/${year}`, { source: 'Thử nghiệm', days });
    assert.deepEqual(again.json.changes, []);
    // the working hours report the same way
    const h = await admin.post('/api/v1/calendar/hours', { from: '1900-01-01', periods: '07:00-11:30,13:30-17:00' });
    assert.equal(h.status, 201, h.text);
    assert.ok(h.json.affected_dossiers.items.some((x) => x.code === d.code));
  });
});

describe('a change of the unit tree', () => {
  // the desk's units above it are kept in memory between receipts: a move must be seen at once
  test('moves the next receipt\'s counters to the desk\'s new parent the same day', async () => {
    const admin = await signedIn(srv.base, 'admin');
    const find = async (code) => (await admin.get(`/api/v1/units?q=${code}`)).json.items.find((u) => u.code === code);
    const [desk, dept] = [await find('S20'), await find('S07')];
    const today = new Date(Date.now() + 7 * 3600e3).toISOString().slice(0, 10);
    const received = async (unit) => (await sec.get(`/api/v1/dossiers/stats?period=${today}..${today}&unit=${unit}`)).json.received;
    assert.equal((await receive()).status, 201); // the desk's chain kept: S20, the province
    const before = await received(dept.id);
    const moved = await admin.post(`/api/v1/units/${desk.id}/move`, { parent_id: dept.id, from: today });
    assert.equal(moved.status, 200, moved.text);
    assert.equal((await receive()).status, 201);
    assert.equal(await received(dept.id), before + 1);
  });
});
