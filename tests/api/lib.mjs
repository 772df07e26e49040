// The API test rig: starts the real `reform` binary on a free port with a
// throwaway database (SQLite file, or a new PostgreSQL database when
// REFORM_TEST_PG_URL is set), and talks to it over HTTP like a browser or an
// integration would.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const bin = process.env.REFORM_BIN || join(root, 'build/reform');

// A fresh database URL and a function running SQL on it directly (for tests
// that age sessions or tamper with the audit trail behind the server's back).
export function freshDatabase() {
  const pg = process.env.REFORM_TEST_PG_URL;
  if (pg) {
    const name = 'api_' + randomBytes(6).toString('hex');
    execFileSync('psql', [pg, '-q', '-v', 'ON_ERROR_STOP=1', '-c', `CREATE DATABASE ${name}`]);
    const u = new URL(pg);
    u.pathname = '/' + name;
    const url = u.toString();
    return {
      url,
      sql: (q) => execFileSync('psql', [url, '-q', '-t', '-A', '-v', 'ON_ERROR_STOP=1', '-c', q]).toString().trim(),
      drop: () => execFileSync('psql', [pg, '-q', '-c', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]),
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'reform-api-'));
  const file = join(dir, 'reform.db');
  return {
    url: 'sqlite:' + file,
    sql: (q) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', file, q]).toString().trim(),
    drop: () => rmSync(dir, { recursive: true, force: true }),
  };
}

// Start `reform serve --demo` on a fresh database; resolves when it listens.
export async function startServer({ demo = true, args = [] } = {}) {
  const db = freshDatabase();
  const argv = ['serve', '--db', db.url, '--listen', '127.0.0.1:0', '--web', join(root, 'web'), ...args];
  if (demo) argv.push('--demo');
  const child = spawn(bin, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const base = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error('server did not start:\n' + log)), 30000);
    child.stderr.on('data', (chunk) => {
      log += chunk;
      const m = /listening on (http:\/\/[0-9.:]+)/.exec(log);
      if (m) { clearTimeout(timer); ok(m[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); fail(new Error(`server exited ${code}:\n${log}`)); });
  });
  child.stdout.resume();
  const exited = new Promise((ok) => child.on('exit', (code, signal) => ok({ code, signal })));
  return {
    base,
    db,
    child,
    log: () => log,
    // run another reform command on the same database
    cli: (...a) => {
      try {
        return { code: 0, out: execFileSync(bin, [...a, '--db', db.url], { stdio: ['ignore', 'pipe', 'pipe'] }).toString() };
      } catch (e) {
        return { code: e.status, out: (e.stdout || '').toString() + (e.stderr || '').toString() };
      }
    },
    async stop() {
      child.kill('SIGTERM');
      const r = await exited;
      db.drop();
      return r;
    },
  };
}

// A client that keeps the session cookie and CSRF token like the web UI does.
export class Client {
  constructor(base) { this.base = base; this.cookie = null; this.csrf = null; this.bearer = null; }

  async request(method, path, { body, raw, headers = {}, csrf = true } = {}) {
    const h = { ...headers };
    if (this.cookie) h.Cookie = this.cookie;
    if (this.bearer) h.Authorization = 'Bearer ' + this.bearer;
    if (csrf && this.csrf && method !== 'GET') h['X-CSRF-Token'] = this.csrf;
    let payload;
    if (raw !== undefined) payload = raw;
    else if (body !== undefined) { payload = JSON.stringify(body); h['Content-Type'] ??= 'application/json'; }
    const res = await fetch(this.base + path, { method, headers: h, body: payload, redirect: 'manual' });
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
    const setCookie = res.headers.get('set-cookie');
    if (setCookie && setCookie.startsWith('reform_session=')) {
      const value = setCookie.split(';')[0];
      this.cookie = value === 'reform_session=' ? null : value;
    }
    return { status: res.status, headers: res.headers, json, text };
  }

  get(path, o) { return this.request('GET', path, o); }
  post(path, body, o = {}) { return this.request('POST', path, { ...o, body }); }
  patch(path, body, o = {}) { return this.request('PATCH', path, { ...o, body }); }
  put(path, body, o = {}) { return this.request('PUT', path, { ...o, body }); }
  del(path, o) { return this.request('DELETE', path, o); }

  async signIn(username, password) {
    const r = await this.post('/api/v1/session', { username, password });
    if (r.status === 201) this.csrf = r.json.csrf_token;
    return r;
  }
}

// Demo sign-ins (data/demo/users.csv): password is "demo-" + user name.
export const demoPassword = (username) => 'demo-' + username;

export async function signedIn(base, username) {
  const c = new Client(base);
  const r = await c.signIn(username, demoPassword(username));
  if (r.status !== 201) throw new Error(`sign-in of ${username} failed: ${r.status} ${r.text}`);
  return c;
}

// Assert an RFC 9457 problem answer with 'status' naming 'field' (when given).
export function assertProblem(assert, r, status, field) {
  assert.equal(r.status, status, r.text);
  assert.match(r.headers.get('content-type') || '', /^application\/problem\+json/);
  assert.equal(r.json.status, status);
  assert.ok(Array.isArray(r.json.errors));
  if (field !== undefined) {
    assert.ok(r.json.errors.some((e) => e.field === field),
      `expected an error naming '${field}', got ${JSON.stringify(r.json.errors)}`);
  }
}
