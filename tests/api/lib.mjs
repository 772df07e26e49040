// The API test rig: starts the real `reform` binary through the suites' one
// launcher (tests/lib/server.mjs) on a throwaway database (SQLite file, or a
// new PostgreSQL database when REFORM_TEST_PG_URL is set), and talks to it
// over HTTP like a browser or an integration would.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { bin, freshDatabase, startReform } from '../lib/server.mjs';
import { checkAnswer } from './contract.mjs';

export { bin, freshDatabase };

// Start `reform serve --demo` on a fresh database; resolves when it listens.
// With 'db' (another server's), a second process on the same database, which
// its stop() leaves in place.
export async function startServer({ demo = true, args = [], db: shared = null } = {}) {
  const db = shared || freshDatabase();
  const srv = await startReform({
    db,
    keepDb: !!shared,
    // the dossiers' own tests make theirs
    args: [...args, ...(demo ? ['--demo', '--demo-dossiers', '0'] : [])],
  });
  return {
    ...srv,
    // run another reform command on the same database
    cli: (...a) => {
      try {
        return { code: 0, out: execFileSync(bin, [...a, '--db', db.url], { stdio: ['ignore', 'pipe', 'pipe'] }).toString() };
      } catch (e) {
        return { code: e.status, out: (e.stdout || '').toString() + (e.stderr || '').toString() };
      }
    },
  };
}

// A client that keeps the session cookie and CSRF token like the web UI does,
// and holds every answer to the API document the server serves: an answer it
// does not describe (status, content type or body) throws a ContractError.
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
    const answer = { status: res.status, headers: res.headers, json, text };
    await checkAnswer(this.base, method, path, answer);
    return answer;
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

// ---- helpers added for the API suite (they change nothing above) ----

// A raw HTTP/1.1 GET that sends 'path' byte for byte (fetch would resolve
// "../" and re-encode it); resolves {status, headers (lower-case), body}.
export async function rawGet(base, path) {
  const { createConnection } = await import('node:net');
  const u = new URL(base);
  return new Promise((ok, fail) => {
    const sock = createConnection(Number(u.port), u.hostname, () =>
      sock.write(`GET ${path} HTTP/1.1\r\nHost: ${u.host}\r\nConnection: close\r\n\r\n`));
    const chunks = [];
    sock.on('data', (c) => chunks.push(c));
    sock.on('error', fail);
    sock.on('end', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const cut = text.indexOf('\r\n\r\n');
      const lines = text.slice(0, cut).split('\r\n');
      const headers = {};
      for (const l of lines.slice(1)) {
        const i = l.indexOf(':');
        headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
      }
      ok({ status: Number(lines[0].split(' ')[1]), headers, body: Buffer.from(text.slice(cut + 4), 'latin1').toString() });
    });
  });
}

// One long-lived psql or sqlite3 process on a test database, for tests that
// read it after every request (a process per query costs 25-150 ms).
// Returns {query(sql) -> Promise<string>, close()}.
export function openSql(db) {
  const pg = db.url.startsWith('postgres');
  const args = pg ? [db.url, '-q', '-t', '-A', '-v', 'ON_ERROR_STOP=1'] : ['-cmd', '.timeout 5000', db.url.slice('sqlite:'.length)];
  const child = spawn(pg ? 'psql' : 'sqlite3', args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const marker = '__reform_sql_done__';
  let out = '', err = '', queue = [];
  const fail = (e) => { for (const q of queue) q.fail(e); queue = []; };
  child.stdout.on('data', (chunk) => {
    out += chunk;
    let i;
    while (queue.length && (i = out.indexOf(marker + '\n')) >= 0) {
      const text = out.slice(0, i).trim();
      out = out.slice(i + marker.length + 1);
      const q = queue.shift();
      if (err) { q.fail(new Error(err)); err = ''; } else q.ok(text);
    }
  });
  child.stderr.on('data', (chunk) => { err += chunk; });
  child.on('exit', (code) => fail(new Error(`${pg ? 'psql' : 'sqlite3'} exited ${code}: ${err}`)));
  child.stdin.on('error', () => {});
  return {
    query: (sql) => new Promise((ok, failOne) => {
      queue.push({ ok, fail: failOne });
      child.stdin.write(`${sql};\n${pg ? '\\echo ' : '.print '}${marker}\n`);
    }),
    close: () => new Promise((ok) => {
      if (child.exitCode !== null) return ok();
      child.on('exit', () => ok());
      child.stdin.end();
    }),
  };
}

// Row counts and the audit head, to show that a refused request wrote nothing.
export async function dbState(sql) {
  const names = ['units', 'links', 'users', 'sessions', 'audit', 'head'];
  const row = (await sql.query('SELECT (SELECT COUNT(*) FROM units), (SELECT COUNT(*) FROM unit_links),' +
    ' (SELECT COUNT(*) FROM users), (SELECT COUNT(*) FROM sessions), (SELECT COUNT(*) FROM audit),' +
    ' (SELECT MAX(seq) FROM audit_head)')).split('|').map(Number);
  return Object.fromEntries(names.map((n, i) => [n, row[i]]));
}

// A copy of a test database (the server on it must be stopped first). Resolves
// {url, sql (sync, like freshDatabase's), query (async), drop (async)}; the
// async forms let several copies work side by side.
export async function cloneDatabase(db) {
  const { execFile } = await import('node:child_process');
  const run = (cmd, args) => new Promise((ok, fail) =>
    execFile(cmd, args, (e, out, err) => (e ? fail(new Error(`${cmd}: ${err || e.message}`)) : ok(out.toString().trim()))));
  if (db.url.startsWith('postgres')) {
    const u = new URL(db.url);
    const source = u.pathname.slice(1);
    const name = 'api_' + randomBytes(6).toString('hex');
    const server = new URL(db.url);
    server.pathname = '/postgres';
    await run('psql', [server.toString(), '-q', '-v', 'ON_ERROR_STOP=1', '-c', `CREATE DATABASE ${name} TEMPLATE ${source}`]);
    u.pathname = '/' + name;
    const url = u.toString();
    const args = (q) => [url, '-q', '-t', '-A', '-v', 'ON_ERROR_STOP=1', '-c', q];
    return {
      url,
      sql: (q) => execFileSync('psql', args(q)).toString().trim(),
      query: (q) => run('psql', args(q)),
      drop: () => run('psql', [server.toString(), '-q', '-c', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]),
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'reform-api-'));
  const file = join(dir, 'reform.db');
  await run('sqlite3', [db.url.slice('sqlite:'.length), `.backup '${file}'`]);
  return {
    url: 'sqlite:' + file,
    sql: (q) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', file, q]).toString().trim(),
    query: (q) => run('sqlite3', ['-cmd', '.timeout 5000', file, q]),
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

// Run another reform command on any database URL: resolves {code, out}.
export async function reformCli(url, ...a) {
  const { execFile } = await import('node:child_process');
  return new Promise((ok) => execFile(bin, [...a, '--db', url], (e, out, err) =>
    ok({ code: e ? e.code : 0, out: out.toString() + (e ? err.toString() : '') })));
}
