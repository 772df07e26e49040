// Three `reform serve` processes on one database behind nginx, configured by
// deploy/nginx/reform.conf as it stands: what one process changes, the others
// answer at once (sessions, kept answers, procedure versions, desks, the
// working calendar); sign-in and lookup limits count the client's own address
// across all three; receipts spread over the three get codes of their own and
// each desk's sequence stays unbroken.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, signedIn, assertProblem, Client, demoPassword } from './lib.mjs';
import { root, bin } from '../lib/server.mjs';
import { checkAnswer } from './contract.mjs';

const NGINX = '/usr/sbin/nginx';
const args = ['--trusted-proxy', '127.0.0.1/32', '--threads', '4'];
const pg = !!process.env.REFORM_TEST_PG_URL;
const today = () => new Date(Date.now() + 7 * 3600e3).toISOString().slice(0, 10);

let procs = [], work, nginx, nginxLog = '', ca, httpsPort, httpPort;

const freePort = () => new Promise((ok, fail) => {
  const s = createServer();
  s.on('error', fail);
  s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => ok(port)); });
});

// The shipped file with its "site" lines set for this machine; any other site line is an
// error, so that a change to the file the test does not understand fails here.
function siteConf(addresses) {
  const servers = [...addresses];
  const lines = readFileSync(join(root, 'deploy/nginx/reform.conf'), 'utf8').split('\n').map((line) => {
    if (!/# site$/.test(line)) return line;
    const indent = line.match(/^\s*/)[0];
    const l = line.trim();
    if (/^server 127\.0\.0\.1:\d+; # site$/.test(l)) return `${indent}server ${servers.shift()}; # site`;
    if (l === 'listen 80; # site') return `${indent}listen 127.0.0.1:${httpPort}; # site`;
    if (l === 'listen 443 ssl http2; # site') return `${indent}listen 127.0.0.1:${httpsPort} ssl http2; # site`;
    if (l.startsWith('ssl_certificate ')) return `${indent}ssl_certificate ${work}/cert.pem; # site`;
    if (l.startsWith('ssl_certificate_key ')) return `${indent}ssl_certificate_key ${work}/key.pem; # site`;
    throw new Error(`deploy/nginx/reform.conf: a site line the test does not know: ${l}`);
  });
  assert.equal(servers.length, 0, 'the file names three processes');
  return lines.join('\n');
}

// One request through nginx over TLS from a chosen local address (127.0.0.0/8 is all ours),
// as a browser with 'jar' (cookie and CSRF token) would send it; the answer is held to the
// API document the processes serve.
function via(jar, method, path, { body, from = '127.0.0.1', headers = {} } = {}) {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const h = { ...headers };
  if (jar?.cookie) h.Cookie = jar.cookie;
  if (jar?.csrf && method !== 'GET') h['X-CSRF-Token'] = jar.csrf;
  if (payload) { h['Content-Type'] = 'application/json'; h['Content-Length'] = Buffer.byteLength(payload); }
  return new Promise((ok, fail) => {
    const req = httpsRequest({
      host: '127.0.0.1', port: httpsPort, path, method, headers: h, localAddress: from, ca, servername: 'localhost', agent: false,
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { text += c; });
      res.on('end', () => {
        let json = null;
        try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
        const set = res.headers['set-cookie']?.[0];
        if (jar && set?.startsWith('reform_session=')) jar.cookie = set.split(';')[0];
        const answer = { status: res.statusCode, headers: { ...res.headers, get: (n) => res.headers[n.toLowerCase()] ?? null }, json, text };
        checkAnswer(procs[0].base, method, path, answer).then(() => ok(answer), fail);
      });
    });
    req.on('error', fail);
    if (payload) req.write(payload);
    req.end();
  });
}

async function signInVia(username, from = '127.0.0.1') {
  const jar = {};
  const r = await via(jar, 'POST', '/api/v1/session', { body: { username, password: demoPassword(username) }, from });
  assert.equal(r.status, 201, r.text);
  jar.csrf = r.json.csrf_token;
  return jar;
}

// A client of one process that carries another client's session.
function carrying(base, c) {
  const o = new Client(base);
  Object.assign(o, { cookie: c.cookie, csrf: c.csrf });
  return o;
}

before(async () => {
  const a = await startServer({ args });
  procs = [a, ...await Promise.all([1, 2].map(() => startServer({ demo: false, db: a.db, args })))];
  work = mkdtempSync(join(tmpdir(), 'reform-nginx-'));
  chmodSync(work, 0o755);
  for (const d of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(work, d), { mode: 0o777 });
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', join(work, 'key.pem'), '-out', join(work, 'cert.pem'), '-days', '2', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], { stdio: 'ignore' });
  ca = readFileSync(join(work, 'cert.pem'));
  [httpsPort, httpPort] = [await freePort(), await freePort()];
  writeFileSync(join(work, 'reform.conf'), siteConf(procs.map((p) => new URL(p.base).host)));
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((k, i) =>
    `${k}_temp_path ${work}/${['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'][i]};`).join(' ');
  writeFileSync(join(work, 'nginx.conf'), `daemon off;
worker_processes 2;
pid ${work}/nginx.pid;
error_log ${work}/error.log warn;
events { worker_connections 1024; }
http { access_log off; ${temp} include ${work}/reform.conf; }
`);
  nginx = spawn(NGINX, ['-p', work, '-e', join(work, 'error.log'), '-c', join(work, 'nginx.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
  nginx.stderr.on('data', (c) => { nginxLog += c; });
  for (let i = 0; ; i++) {
    try {
      if ((await via(null, 'GET', '/api/v1/calendar/2026')).status === 200) break;
    } catch (e) {
      if (i >= 100 || nginx.exitCode !== null) throw new Error(`nginx did not start: ${e.message}\n${nginxLog}`);
      await new Promise((ok) => setTimeout(ok, 100));
    }
  }
});

after(async () => {
  if (nginx && nginx.exitCode === null) {
    const exited = new Promise((ok) => nginx.on('exit', ok));
    nginx.kill('SIGQUIT');
    await exited;
  }
  for (const p of procs.slice(1).reverse()) await p.stop();
  await procs[0]?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('three processes behind nginx', () => {
  test('nginx redirects to TLS, spreads the requests over all three and sends each header once', async () => {
    const r = await new Promise((ok, fail) => {
      const req = httpRequest({ host: '127.0.0.1', port: httpPort, path: '/desk?x=1', headers: { Host: 'reform.test' } }, ok);
      req.on('error', fail);
      req.end();
    });
    r.resume();
    assert.equal(r.statusCode, 301);
    assert.equal(r.headers.location, 'https://reform.test/desk?x=1');
    const seen = procs.map((p) => p.log().split('\n').filter((l) => l.includes('/api/v1/calendar/2025')).length);
    for (let i = 0; i < 12; i++) {
      const a = await via(null, 'GET', '/api/v1/calendar/2025');
      assert.equal(a.status, 200, a.text);
      assert.equal(a.headers['x-frame-options'], 'DENY');
      assert.equal(a.headers['content-security-policy'], "default-src 'self'; frame-ancestors 'none'");
      assert.equal(a.headers['strict-transport-security'], 'max-age=31536000');
    }
    await new Promise((ok) => setTimeout(ok, 200)); // each request is logged once answered
    const now = procs.map((p) => p.log().split('\n').filter((l) => l.includes('/api/v1/calendar/2025')).length);
    assert.equal(now.reduce((s, n) => s + n, 0) - seen.reduce((s, n) => s + n, 0), 12);
    for (const [i, n] of now.entries()) assert.ok(n > seen[i], `process ${i} got none of the requests: ${now}`);
  });

  test('a session begun on one process is good on the others; ended on one, it is ended on all', async () => {
    const [a, b, c] = procs;
    const alice = await signedIn(a.base, 'secretariat');
    for (const p of [b, c]) {
      const r = await carrying(p.base, alice).get('/api/v1/session');
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.user.username, 'secretariat');
    }
    const out = await carrying(b.base, alice).del('/api/v1/session');
    assert.equal(out.status, 204, out.text);
    for (const p of [a, c]) assertProblem(assert, await carrying(p.base, alice).get('/api/v1/session'), 401);
  });

  test('kept answers: a subtree and a task list read on one process follow a change made on another', async () => {
    const [a, b, c] = procs;
    const admin = await signedIn(a.base, 'admin');
    const sec = await signedIn(a.base, 'secretariat');
    const root42 = (await admin.get('/api/v1/units?q=Tỉnh Hà Tĩnh')).json.items.find((u) => u.code === '42');
    const tree = async () => (await carrying(b.base, admin).get(`/api/v1/units/${root42.id}/tree`)).json;
    const codes = (t) => JSON.stringify(t).match(/"code":"[^"]*"/g);
    await tree();
    const before = await tree(); // kept now
    const code = `P3-${process.pid}`;
    const u = await admin.post('/api/v1/units', { code, name: 'Ban ba tiến trình', kind: 'department', parent_id: root42.id, valid_from: '2026-01-01' });
    assert.equal(u.status, 201, u.text);
    const after = await tree();
    assert.ok(!codes(before).includes(`"code":"${code}"`));
    assert.ok(codes(after).includes(`"code":"${code}"`), 'the new unit is in the subtree read on another process');

    const list = async () => (await carrying(c.base, sec).get('/api/v1/tasks?limit=200&q=ba tien trinh')).json;
    await list();
    const kept = await list();
    const doc = await sec.post('/api/v1/documents', { number: `${process.pid}/KH-UBND`, issuer: 'UBND tỉnh', issued_on: '2026-01-05', title: 'Kế hoạch ba tiến trình', assigning_body: 'people_committee' });
    assert.equal(doc.status, 201, doc.text);
    const t = await sec.post('/api/v1/tasks', { document_id: doc.json.id, title: 'Nhiệm vụ ba tiến trình', field: 'procedures', lead_unit_id: u.json.id, assigned_on: '2026-01-10', deadline: '2026-12-30' });
    assert.equal(t.status, 201, t.text);
    const now = await list();
    assert.equal(now.items.length, kept.items.length + 1);
    assert.ok(now.items.some((x) => x.id === t.json.id));
  });

  test('the working calendar recorded through one process moves the next due time on another', async () => {
    const [a, b] = procs;
    const anonB = new Client(b.base);
    const due = async () => (await anonB.get('/api/v1/calendar/due?from=2028-02-03+09%3A00&days=1')).json.due;
    const before = await due();
    assert.equal(before, '2028-02-04 17:00');
    const admin = await signedIn(a.base, 'admin');
    // Friday 4 February 2028 made a day off, swapped with Saturday 19 February
    const days = [
      { date: '2028-02-04', kind: 'swap_off', name: 'Nghỉ hoán đổi', source: 'Thử nghiệm' },
      { date: '2028-02-19', kind: 'makeup', name: 'Làm bù', source: 'Thử nghiệm' },
    ];
    const r = await admin.put('/api/v1/calendar/2028', { source: 'Thử nghiệm ba tiến trình', days });
    assert.equal(r.status, 200, r.text);
    assert.ok(r.json.changes.some((x) => x.date === '2028-02-04' && x.now === 'off'), JSON.stringify(r.json.changes));
    assert.equal(await due(), '2028-02-07 17:00');
  });

  test('a new procedure version and a desk\'s move are seen by the next receipt on another process', async () => {
    const [a, b, c] = procs;
    const dir = mkdtempSync(join(tmpdir(), 'reform-proc-'));
    const head = 'code,version_from,name,field,level,days,hours,fee,online,papers,steps,source\n';
    const version = (from, days) => `9.300001,${from},Thủ tục ba tiến trình,land,province,${days},,0,none,Đơn,Xử lý|S07|${days}d,test\n`;
    writeFileSync(join(dir, 'v1.csv'), head + version('2023-01-01', 3));
    assert.equal(a.cli('import', 'procedures', join(dir, 'v1.csv')).code, 0);
    const clerk = await signedIn(b.base, 'clerk.hcc');
    const receive = () => clerk.post('/api/v1/dossiers', { procedure_code: '9.300001', applicant_name: 'Lê Văn Ba', applicant_phone: '0912 000 333' });
    const first = await receive();
    assert.equal(first.status, 201, first.text);
    // a version in force from today, made by another process (the command line)
    writeFileSync(join(dir, 'v2.csv'), head + version(today(), 9));
    const imported = a.cli('import', 'procedures', join(dir, 'v2.csv'));
    rmSync(dir, { recursive: true, force: true });
    assert.equal(imported.code, 0, imported.out);
    const second = await receive();
    assert.equal(second.status, 201, second.text);
    assert.ok(second.json.due_local > first.json.due_local, `${second.json.due_local} after ${first.json.due_local}`);

    // the desk's units above it are kept by process b; the admin moves the desk through a
    const admin = await signedIn(a.base, 'admin');
    const sec = await signedIn(c.base, 'secretariat');
    const find = async (code) => (await admin.get(`/api/v1/units?q=${code}`)).json.items.find((u) => u.code === code);
    const [desk, dept] = [await find('S20'), await find('S07')];
    const received = async () => (await sec.get(`/api/v1/dossiers/stats?period=${today()}..${today()}&unit=${dept.id}`)).json.received;
    const n0 = await received();
    const moved = await admin.post(`/api/v1/units/${desk.id}/move`, { parent_id: dept.id, from: today() });
    assert.equal(moved.status, 200, moved.text);
    assert.equal((await receive()).status, 201);
    assert.equal(await received(), n0 + 1);
  });

  test('sign-in and lookup limits count the client\'s own address across the three', async () => {
    // five wrong passwords for one account, through nginx from one address: the next try,
    // right or wrong, from anywhere and on whichever process, is refused
    for (let i = 0; i < 5; i++) {
      const r = await via(null, 'POST', '/api/v1/session', { body: { username: 'focal.stp', password: `wrong-${i}-xxxxxxxx` }, from: '127.0.31.1' });
      assertProblem(assert, r, 401);
    }
    for (const p of procs) assertProblem(assert, await new Client(p.base).signIn('focal.stp', demoPassword('focal.stp')), 429);
    // sixty lookups that miss from one address, spread by nginx over the three processes
    const miss = (i, from) => via(null, 'GET', `/api/v1/public/dossiers/S20-010101-${String(i).padStart(4, '0')}?secret=not-the-secret`, { from });
    for (let i = 0; i < 60; i++) assert.equal((await miss(i, '127.0.32.1')).status, 404);
    for (let i = 0; i < 3; i++) {
      const r = await miss(60 + i, '127.0.32.1');
      assertProblem(assert, r, 429);
      assert.ok(Number(r.headers['retry-after']) > 0);
    }
    // another client's address is not held back by it
    assert.equal((await miss(70, '127.0.32.2')).status, 404);
  });

  test('a session kept in memory goes at once when the database changes it, by any process or by hand', async () => {
    const [a, b, c] = procs;
    const session = async (p, who) => (await carrying(p.base, who).get('/api/v1/session')).status;
    // disabled through a: refused on b, which kept the session
    const admin = await signedIn(a.base, 'admin');
    const leader = await signedIn(a.base, 'leader.tphatinh');
    for (let i = 0; i < 3; i++) assert.equal(await session(b, leader), 200);
    const user = (await admin.get('/api/v1/users?q=leader.tphatinh')).json.items.find((u) => u.username === 'leader.tphatinh');
    const off = await admin.patch(`/api/v1/users/${user.id}`, { disabled: true });
    assert.equal(off.status, 200, off.text);
    assertProblem(assert, await carrying(b.base, leader).get('/api/v1/session'), 401);
    // ended by hand in the database (psql): the triggers announce it too
    const focal = await signedIn(a.base, 'focal.thanhsen');
    for (let i = 0; i < 3; i++) assert.equal(await session(c, focal), 200);
    a.db.sql(`UPDATE sessions SET ended_at = last_seen_at WHERE user_id = (SELECT id FROM users WHERE username = 'focal.thanhsen') AND ended_at IS NULL`);
    assertProblem(assert, await carrying(c.base, focal).get('/api/v1/session'), 401);
    if (!pg) return; // SQLite keeps no session: nobody listens
    // the listeners cut off: news may have been missed, so nothing kept answers until they are back
    const huong = await signedIn(a.base, 'clerk.huongson');
    for (let i = 0; i < 3; i++) assert.equal(await session(b, huong), 200);
    a.db.sql(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = 'LISTEN reform_news'`);
    for (let i = 0; a.db.sql(`SELECT COUNT(*) FROM pg_stat_activity WHERE query = 'LISTEN reform_news' AND state = 'idle'`).trim() !== '0'; i++) {
      assert.ok(i < 100, 'the listeners outlived their end');
      await new Promise((ok) => setTimeout(ok, 20));
    }
    a.db.sql(`UPDATE sessions SET ended_at = last_seen_at WHERE user_id = (SELECT id FROM users WHERE username = 'clerk.huongson') AND ended_at IS NULL`);
    assertProblem(assert, await carrying(b.base, huong).get('/api/v1/session'), 401);
    // and they come back by themselves
    for (let i = 0; a.db.sql(`SELECT COUNT(*) FROM pg_stat_activity WHERE query = 'LISTEN reform_news'`).trim() !== '3'; i++) {
      assert.ok(i < 200, 'the listeners did not come back');
      await new Promise((ok) => setTimeout(ok, 50));
    }
    // what b kept before is gone with them: the session ended meanwhile stays ended
    for (const p of [a, b, c]) assertProblem(assert, await carrying(p.base, huong).get('/api/v1/session'), 401);
    assert.equal(await session(b, leader), 401);
  });

  test('a lookup kept on one process follows its dossier and its address\'s limit changed through the others', async () => {
    const [a, b, c] = procs;
    const clerk = await signedIn(a.base, 'clerk.hcc');
    const code = a.db.sql("SELECT code FROM procedures WHERE level = 'province' ORDER BY id LIMIT 1").trim();
    const r = await clerk.post('/api/v1/dossiers', { procedure_code: code, applicant_name: 'Trần Thị Tra', applicant_phone: '0912 000 444' });
    assert.equal(r.status, 201, r.text);
    const d = r.json;
    const from = { headers: { 'X-Forwarded-For': '127.0.34.1' } };
    const look = (p) => new Client(p.base).request('GET', `/api/v1/public/dossiers/${d.code}?secret=${d.secret}`, from);
    const before = await look(b);
    assert.equal(before.status, 200, before.text);
    assert.deepEqual((await look(b)).json, before.json); // kept now
    const moved = await clerk.post(`/api/v1/dossiers/${d.code}/actions`, { action: 'hand_over', version: d.version });
    assert.equal(moved.status, 200, moved.text);
    const after = await look(b);
    assert.equal(after.status, 200, after.text);
    assert.notDeepEqual(after.json, before.json);
    assert.deepEqual(after.json, (await look(c)).json, 'b answers as the database does');
    // sixty misses from the address through a and c: b's kept lookup is held back at once
    const miss = (p, i) => new Client(p.base).request('GET', `/api/v1/public/dossiers/S20-010101-${String(i).padStart(4, '0')}?secret=not-the-secret`, from);
    for (let i = 0; i < 60; i++) assert.equal((await miss(i % 2 ? a : c, i)).status, 404);
    assertProblem(assert, await look(b), 429);
  });

  test('the systemd unit\'s command line starts a process that serves the same database', async () => {
    const unit = readFileSync(join(root, 'deploy/systemd/reform@.service'), 'utf8');
    const exec = unit.match(/^ExecStart=(.*)$/m)[1];
    const port = await freePort();
    const argv = exec.replaceAll('/opt/reform/build/reform', bin).replaceAll('/opt/reform/web', join(root, 'web'))
      .replaceAll('/var/lib/reform/keys', join(root, 'var/keys')).replaceAll('%i', String(port)).split(' ');
    assert.equal(argv[0], bin, 'the unit runs the binary built in /opt/reform');
    const child = spawn(argv[0], argv.slice(1), { cwd: root, env: { ...process.env, REFORM_DB: procs[0].db.url }, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise((ok) => child.on('exit', (code, signal) => ok({ code, signal })));
    let log = '';
    child.stderr.on('data', (c) => { log += c; });
    try {
      for (let i = 0; !/listening on/.test(log); i++) {
        assert.ok(i < 300 && child.exitCode === null, `the unit's process did not start:\n${log}`);
        await new Promise((ok) => setTimeout(ok, 100));
      }
      const base = `http://127.0.0.1:${port}`;
      const sec = await signedIn(base, 'secretariat');
      assert.equal((await sec.get('/api/v1/session')).json.user.username, 'secretariat');
      // --cookie-secure: the cookie goes over TLS only, as nginx serves it
      const r = await fetch(base + '/api/v1/session', { method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: 'secretariat', password: demoPassword('secretariat') }) });
      assert.equal(r.status, 201);
      assert.match(r.headers.get('set-cookie'), /; Secure/);
    } finally {
      child.kill('SIGTERM');
    }
    assert.deepEqual(await exited, { code: 0, signal: null }, log);
  });

  test('receipts spread over the three: each answered once, every desk\'s numbers unbroken, the chain whole', async () => {
    const desks = [['clerk.hcc', 'province'], ['clerk.huongson', 'district'], ['focal.thanhsen', 'commune']];
    const a = procs[0];
    const sends = [];
    for (const [user, level] of desks) {
      const code = a.db.sql(`SELECT code FROM procedures WHERE level = '${level}' AND code NOT LIKE '9.%' ORDER BY id LIMIT 1`);
      const jar = await signInVia(user);
      for (let i = 0; i < 60; i++)
        sends.push(via(jar, 'POST', '/api/v1/dossiers', { body: { procedure_code: code, applicant_name: 'Trần Thị Bình', applicant_phone: '0987 654 321' } }));
    }
    const all = await Promise.all(sends);
    for (const r of all) assert.equal(r.status, 201, r.text);
    const codes = all.map((r) => r.json.code);
    assert.equal(new Set(codes).size, codes.length);
    // a code is the desk, the day and the desk's number of the day: per desk, the numbers of
    // the day so far run 1, 2, 3... with none twice and none missing
    const byDesk = new Map();
    for (const c of a.db.sql(`SELECT code FROM dossiers WHERE code LIKE '%-${today().slice(2).replaceAll('-', '')}-%'`).split('\n')) {
      const parts = c.split('-');
      const [desk, seq] = [parts.slice(0, -2).join('-'), parts.at(-1)];
      byDesk.set(desk, [...(byDesk.get(desk) || []), Number(seq)]);
    }
    assert.equal(byDesk.size, 3);
    for (const [desk, seqs] of byDesk) {
      seqs.sort((x, y) => x - y);
      assert.deepEqual(seqs, seqs.map((_, i) => i + 1), desk);
    }
    const served = procs.map((p) => p.log().split('\n').filter((l) => / POST \/api\/v1\/dossiers 201 /.test(l)).length);
    for (const [i, n] of served.entries()) assert.ok(n > 0, `process ${i} took no receipt: ${served}`);
    const verify = a.cli('audit', 'verify');
    assert.equal(verify.code, 0, verify.out);
  });
});
