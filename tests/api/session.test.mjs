// Sessions, CSRF, sign-in limits, timeouts, password changes, disabled
// accounts and bearer tokens, against the real server.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, signedIn, demoPassword, assertProblem } from './lib.mjs';

const DEPT = (code) => ({ code, name: 'Phòng thử ' + code, kind: 'department', parent_id: 1, valid_from: '2026-01-01' });

// Age the sessions of one user behind the server's back.
function ageSessions(srv, username, set) {
  srv.db.sql(`UPDATE sessions SET ${set} WHERE user_id = (SELECT id FROM users WHERE username = '${username}')`);
}

function userId(srv, username) {
  return Number(srv.db.sql(`SELECT id FROM users WHERE username = '${username}'`));
}

describe('sessions', () => {
  let srv;
  before(async () => { srv = await startServer(); });
  after(async () => {
    const { code } = await srv.stop();
    assert.equal(code, 0);
  });

  test('sign-in answers 201 with the CSRF token, the user and a strict cookie', async () => {
    const c = new Client(srv.base);
    const r = await c.signIn('admin', demoPassword('admin'));
    assert.equal(r.status, 201, r.text);
    assert.match(r.headers.get('content-type'), /^application\/json/);
    assert.equal(typeof r.json.csrf_token, 'string');
    assert.ok(r.json.csrf_token.length >= 32);
    const u = r.json.user;
    assert.equal(u.username, 'admin');
    assert.deepEqual(u.roles, ['admin']);
    assert.equal(u.full_name, 'Trần Minh Quân');
    assert.equal(u.unit.code, '42');
    assert.equal(u.unit.kind, 'province');
    assert.equal(u.scope_unit_id, u.unit.id);
    assert.equal(u.province_wide, true);
    assert.equal(u.password_hash, undefined);
    const cookie = r.headers.get('set-cookie');
    assert.match(cookie, /^reform_session=[A-Za-z0-9_-]{40,};/);
    const attrs = cookie.split(';').map((s) => s.trim());
    assert.ok(attrs.includes('HttpOnly'), cookie);
    assert.ok(attrs.includes('SameSite=Strict'), cookie);
    assert.ok(attrs.includes('Path=/'), cookie);
    assert.equal(r.headers.get('cache-control'), 'no-store');
  });

  test('a focal sign-in is scoped to its own unit', async () => {
    const c = new Client(srv.base);
    const r = await c.signIn('focal.sonkim1', demoPassword('focal.sonkim1'));
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(r.json.user.roles, ['focal']);
    assert.equal(r.json.user.unit.code, '18196');
    assert.equal(r.json.user.scope_unit_id, r.json.user.unit.id);
    assert.equal(r.json.user.province_wide, false);
  });

  test('a wrong password answers 401 problem+json and no cookie', async () => {
    const c = new Client(srv.base);
    const r = await c.signIn('chairman', 'not-the-password');
    assertProblem(assert, r, 401);
    assert.equal(r.headers.get('set-cookie'), null);
    assert.equal(c.cookie, null);
    // an unknown user answers exactly the same
    const r2 = await new Client(srv.base).signIn('nobody.here', 'not-the-password');
    assertProblem(assert, r2, 401);
    assert.deepEqual(r2.json, r.json);
  });

  test('a missing user name or password is named', async () => {
    const c = new Client(srv.base);
    let r = await c.post('/api/v1/session', { password: 'whatever-password' });
    assertProblem(assert, r, 422, 'username');
    r = await c.post('/api/v1/session', { username: 'admin' });
    assertProblem(assert, r, 422, 'password');
    r = await c.post('/api/v1/session', { username: '', password: '' });
    assertProblem(assert, r, 422, 'username');
    assert.ok(r.json.errors.some((e) => e.field === 'password'));
    r = await c.post('/api/v1/session', { username: 5, password: 'x' });
    assertProblem(assert, r, 400, 'username');
    assert.equal(c.cookie, null);
  });

  test('an unknown field in the sign-in body answers 400 naming it', async () => {
    const c = new Client(srv.base);
    const r = await c.post('/api/v1/session', { username: 'admin', password: demoPassword('admin'), remember: true });
    assertProblem(assert, r, 400, 'remember');
    assert.equal(c.cookie, null);
  });

  test('GET /session answers the session with the cookie and 401 without', async () => {
    const c = await signedIn(srv.base, 'secretariat');
    const r = await c.get('/api/v1/session');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.csrf_token, c.csrf);
    assert.equal(r.json.user.username, 'secretariat');
    assert.deepEqual(r.json.user.roles, ['secretariat']);
    assert.equal(r.json.user.province_wide, true);
    const anon = await new Client(srv.base).get('/api/v1/session');
    assertProblem(assert, anon, 401);
    const forged = new Client(srv.base);
    forged.cookie = 'reform_session=' + 'A'.repeat(43);
    assertProblem(assert, await forged.get('/api/v1/session'), 401);
  });

  test('a change with the cookie needs X-CSRF-Token', async () => {
    const c = await signedIn(srv.base, 'admin');
    const before = srv.db.sql('SELECT COUNT(*) FROM units');
    let r = await c.post('/api/v1/units', DEPT('CSRF1'), { csrf: false });
    assertProblem(assert, r, 403, 'X-CSRF-Token');
    r = await c.post('/api/v1/units', DEPT('CSRF1'), { csrf: false, headers: { 'X-CSRF-Token': 'wrong' + c.csrf.slice(5) } });
    assertProblem(assert, r, 403, 'X-CSRF-Token');
    r = await c.post('/api/v1/units', DEPT('CSRF1'), { csrf: false, headers: { 'X-CSRF-Token': '' } });
    assertProblem(assert, r, 403, 'X-CSRF-Token');
    // another session's token is not this session's token
    const other = await signedIn(srv.base, 'admin');
    r = await c.post('/api/v1/units', DEPT('CSRF1'), { csrf: false, headers: { 'X-CSRF-Token': other.csrf } });
    assertProblem(assert, r, 403, 'X-CSRF-Token');
    r = await c.del('/api/v1/session', { csrf: false });
    assertProblem(assert, r, 403, 'X-CSRF-Token');
    assert.equal(srv.db.sql('SELECT COUNT(*) FROM units'), before);
    // with the token the same request goes through
    r = await c.post('/api/v1/units', DEPT('CSRF1'));
    assert.equal(r.status, 201, r.text);
    // without any session a change is 401, not 403
    r = await new Client(srv.base).post('/api/v1/units', DEPT('CSRF2'));
    assertProblem(assert, r, 401);
  });

  test('sign-out answers 204, clears the cookie, and the old cookie is dead', async () => {
    const c = await signedIn(srv.base, 'inspector');
    const old = c.cookie;
    const r = await c.del('/api/v1/session');
    assert.equal(r.status, 204, r.text);
    assert.equal(r.text, '');
    assert.match(r.headers.get('set-cookie'), /^reform_session=;.*Max-Age=0/);
    assert.equal(c.cookie, null);
    const stale = new Client(srv.base);
    stale.cookie = old;
    stale.csrf = c.csrf;
    assertProblem(assert, await stale.get('/api/v1/session'), 401);
    assertProblem(assert, await stale.get('/api/v1/units'), 401);
    assertProblem(assert, await stale.del('/api/v1/session'), 401);
  });

  test('5 wrong passwords lock the account: even the right one answers 429 with Retry-After', async () => {
    const c = new Client(srv.base);
    for (let i = 0; i < 5; i++) {
      const r = await c.signIn('clerk.hcc', 'wrong-password-' + i);
      assertProblem(assert, r, 401);
    }
    const r = await c.signIn('clerk.hcc', demoPassword('clerk.hcc'));
    assertProblem(assert, r, 429);
    const retry = r.headers.get('retry-after');
    assert.match(retry || '', /^[1-9][0-9]*$/);
    assert.ok(Number(retry) <= 15 * 60, retry);
    assert.equal(r.headers.get('set-cookie'), null);
    assert.equal(c.cookie, null);
    // another account from the same address is not locked
    const other = await new Client(srv.base).signIn('clerk.huongson', demoPassword('clerk.huongson'));
    assert.equal(other.status, 201, other.text);
  });

  test('a session idle for over 30 minutes is dead', async () => {
    const c = await signedIn(srv.base, 'focal.stp');
    assert.equal((await c.get('/api/v1/session')).status, 200);
    ageSessions(srv, 'focal.stp', 'last_seen_at = last_seen_at - 1900');
    assertProblem(assert, await c.get('/api/v1/session'), 401);
    assertProblem(assert, await c.get('/api/v1/units'), 401);
  });

  test('a session used within 30 minutes stays alive, and each use slides the window', async () => {
    const c = await signedIn(srv.base, 'focal.tphatinh');
    ageSessions(srv, 'focal.tphatinh', 'last_seen_at = last_seen_at - 1700, created_at = created_at - 1700');
    assert.equal((await c.get('/api/v1/session')).status, 200);
    // that use refreshed last_seen_at, so another 28 minutes idle is still fine
    ageSessions(srv, 'focal.tphatinh', 'last_seen_at = last_seen_at - 1700, created_at = created_at - 1700');
    assert.equal((await c.get('/api/v1/session')).status, 200);
  });

  test('a session older than 12 hours is dead even when just used', async () => {
    const c = await signedIn(srv.base, 'focal.tranphu');
    ageSessions(srv, 'focal.tranphu', 'created_at = created_at - 13 * 3600');
    assertProblem(assert, await c.get('/api/v1/session'), 401);
  });

  test('a password change ends every session of the user; the new password works, the old does not', async () => {
    const a = await signedIn(srv.base, 'officer.stnmt');
    const b = await signedIn(srv.base, 'officer.stnmt');
    const bystander = await signedIn(srv.base, 'chairman');
    const next = 'a brand new passphrase';
    const aCookie = a.cookie;
    let r = await a.put('/api/v1/session/password', { current_password: 'wrong-current', new_password: next });
    assertProblem(assert, r, 422, 'current_password');
    r = await a.put('/api/v1/session/password', { current_password: demoPassword('officer.stnmt'), new_password: next });
    assert.equal(r.status, 204, r.text);
    assert.match(r.headers.get('set-cookie'), /^reform_session=;.*Max-Age=0/);
    assertProblem(assert, await b.get('/api/v1/session'), 401);
    const aOld = new Client(srv.base);
    aOld.cookie = aCookie; // the changer's own session ended too
    assertProblem(assert, await aOld.get('/api/v1/units'), 401);
    assert.equal((await bystander.get('/api/v1/session')).status, 200);
    assertProblem(assert, await new Client(srv.base).signIn('officer.stnmt', demoPassword('officer.stnmt')), 401);
    const fresh = new Client(srv.base);
    r = await fresh.signIn('officer.stnmt', next);
    assert.equal(r.status, 201, r.text);
    assert.equal((await fresh.get('/api/v1/session')).status, 200);
  });

  test('a bad new password answers 422 naming new_password and changes nothing', async () => {
    const c = await signedIn(srv.base, 'chairman');
    const hash = srv.db.sql("SELECT password_hash FROM users WHERE username = 'chairman'");
    for (const bad of ['short', 'chairman', '']) {
      const r = await c.put('/api/v1/session/password', { current_password: demoPassword('chairman'), new_password: bad });
      assertProblem(assert, r, 422, 'new_password');
    }
    let r = await c.put('/api/v1/session/password', { current_password: demoPassword('chairman'), new_password: 'x'.repeat(257) });
    assertProblem(assert, r, 422, 'new_password');
    r = await c.put('/api/v1/session/password', { current_password: demoPassword('chairman'), new_password: 12345678901 });
    assertProblem(assert, r, 400, 'new_password');
    r = await c.put('/api/v1/session/password', { current_password: demoPassword('chairman'), new_password: 'long enough pass', extra: 1 });
    assertProblem(assert, r, 400, 'extra');
    assert.equal(srv.db.sql("SELECT password_hash FROM users WHERE username = 'chairman'"), hash);
    assert.equal((await c.get('/api/v1/session')).status, 200); // the session lives on
  });

  test('disabling an account kills its live session and its sign-in', async () => {
    const admin = await signedIn(srv.base, 'admin');
    const victim = await signedIn(srv.base, 'focal.thanhsen');
    assert.equal((await victim.get('/api/v1/session')).status, 200);
    const id = userId(srv, 'focal.thanhsen');
    const r = await admin.patch(`/api/v1/users/${id}`, { disabled: true });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.disabled, true);
    assertProblem(assert, await victim.get('/api/v1/session'), 401);
    assertProblem(assert, await victim.get('/api/v1/units'), 401);
    const again = await new Client(srv.base).signIn('focal.thanhsen', demoPassword('focal.thanhsen'));
    assertProblem(assert, again, 401);
    assert.equal(again.headers.get('set-cookie'), null);
  });

  test('an admin issues a bearer token; it reads and writes without CSRF', async () => {
    const admin = await signedIn(srv.base, 'admin');
    let r = await admin.post('/api/v1/tokens', { user_id: userId(srv, 'admin'), label: 'integration test', expires_in_days: 30 });
    assert.equal(r.status, 201, r.text);
    assert.equal(typeof r.json.token, 'string');
    assert.equal(typeof r.json.id, 'number');
    assert.equal(r.json.label, 'integration test');
    assert.match(r.json.expires_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const days = (Date.parse(r.json.expires_at) - Date.now()) / 86400e3;
    assert.ok(days > 29.9 && days < 30.1, r.json.expires_at);
    const bot = new Client(srv.base);
    bot.bearer = r.json.token;
    r = await bot.get('/api/v1/units');
    assert.equal(r.status, 200, r.text);
    assert.ok(r.json.items.length > 0);
    assert.equal(r.headers.get('set-cookie'), null);
    r = await bot.post('/api/v1/units', DEPT('BEARER1'));
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.code, 'BEARER1');
    // the bearer's role still rules: a focal token reads but cannot write
    r = await admin.post('/api/v1/tokens', { user_id: userId(srv, 'focal.sonkim1'), label: 'focal bot' });
    assert.equal(r.status, 201, r.text);
    // every token expires: without expires_in_days, after the default 90 days
    assert.ok(Math.abs(Date.parse(r.json.expires_at) - Date.now() - 90 * 86400000) < 600000, r.json.expires_at);
    const focalBot = new Client(srv.base);
    focalBot.bearer = r.json.token;
    assert.equal((await focalBot.get('/api/v1/units')).status, 200);
    assertProblem(assert, await focalBot.post('/api/v1/units', DEPT('BEARER2')), 403);
  });

  test('garbage, swapped and expired bearer tokens answer 401', async () => {
    const admin = await signedIn(srv.base, 'admin');
    const bad = new Client(srv.base);
    for (const t of ['garbage', 'A'.repeat(43), 'A'.repeat(42) + '!', admin.cookie.split('=')[1]]) {
      bad.bearer = t;
      assertProblem(assert, await bad.get('/api/v1/units'), 401);
    }
    bad.bearer = 'A'.repeat(43);
    assertProblem(assert, await bad.post('/api/v1/units', DEPT('BEARER3')), 401);
    let r = await admin.post('/api/v1/tokens', { user_id: userId(srv, 'admin'), label: 'to expire', expires_in_days: 1 });
    assert.equal(r.status, 201, r.text);
    const token = r.json.token;
    // a token is no cookie
    const asCookie = new Client(srv.base);
    asCookie.cookie = 'reform_session=' + token;
    assertProblem(assert, await asCookie.get('/api/v1/units'), 401);
    const bot = new Client(srv.base);
    bot.bearer = token;
    assert.equal((await bot.get('/api/v1/units')).status, 200);
    srv.db.sql('UPDATE sessions SET expires_at = 1 WHERE kind = 2');
    assertProblem(assert, await bot.get('/api/v1/units'), 401);
  });

  test('only an admin issues tokens; bad token requests are named', async () => {
    const leader = await signedIn(srv.base, 'leader.tphatinh');
    const before = srv.db.sql('SELECT COUNT(*) FROM sessions');
    let r = await leader.post('/api/v1/tokens', { user_id: userId(srv, 'leader.tphatinh'), label: 'mine' });
    assertProblem(assert, r, 403);
    const focal = await signedIn(srv.base, 'focal.sonkim1');
    r = await focal.post('/api/v1/tokens', { user_id: userId(srv, 'focal.sonkim1'), label: 'mine' });
    assertProblem(assert, r, 403);
    const admin = await signedIn(srv.base, 'admin');
    const mid = srv.db.sql('SELECT COUNT(*) FROM sessions');
    assert.equal(Number(mid), Number(before) + 2); // just the two sign-ins
    r = await admin.post('/api/v1/tokens', { user_id: 999999, label: 'x' });
    assertProblem(assert, r, 422, 'user_id');
    r = await admin.post('/api/v1/tokens', { user_id: 1 });
    assertProblem(assert, r, 422, 'label');
    r = await admin.post('/api/v1/tokens', { user_id: 1, label: 'x', expires_in_days: 5000 });
    assertProblem(assert, r, 422, 'expires_in_days');
    r = await admin.post('/api/v1/tokens', { user_id: '1', label: 'x' });
    assertProblem(assert, r, 400, 'user_id');
    r = await admin.post('/api/v1/tokens', { user_id: 1, label: 'x', scope: 'all' });
    assertProblem(assert, r, 400, 'scope');
    assert.equal(srv.db.sql('SELECT COUNT(*) FROM sessions'), mid);
  });
});

test('20 failed sign-ins from one address block every account from it (429)', async () => {
  const srv = await startServer();
  try {
    // four at a time: the server verifies against a dummy hash for unknown users
    for (let i = 0; i < 20; i += 4) {
      const rs = await Promise.all([0, 1, 2, 3].map((j) => new Client(srv.base).signIn(`ghost${i + j}.nobody`, 'wrong-password')));
      for (const r of rs) assertProblem(assert, r, 401);
    }
    const r = await new Client(srv.base).signIn('admin', demoPassword('admin'));
    assertProblem(assert, r, 429);
    const retry = r.headers.get('retry-after');
    assert.match(retry || '', /^[1-9][0-9]*$/);
    assert.ok(Number(retry) <= 15 * 60, retry);
    assert.equal(r.headers.get('set-cookie'), null);
  } finally {
    await srv.stop();
  }
});
