// The one launcher of the test suites: starts the real `reform` binary
// (REFORM_BIN, else build/reform) on 127.0.0.1 with a port of its own choosing
// and a throwaway database, resolves once it listens, and stops it.
//
// Databases: a SQLite file in a new temporary folder; or, with
// REFORM_TEST_PG_URL (the API suite), a new database created on that
// PostgreSQL server; or a URL given whole, such as REFORM_TEST_DB of the
// browser suite, which is used as it is and left in place.
import { spawn, execFileSync } from 'node:child_process';
import { accessSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const webDir = join(root, 'web');
export const bin = process.env.REFORM_BIN || join(root, 'build/reform');

// A fresh database: {url, sql(q) -> its output, drop()}; 'sql' runs SQL on it
// directly (for tests that age sessions or tamper with the audit trail behind
// the server's back). 'pg' is a PostgreSQL server's URL, or null for SQLite.
export function freshDatabase({ pg = process.env.REFORM_TEST_PG_URL } = {}) {
  if (pg) {
    const name = 'api_' + randomBytes(6).toString('hex');
    execFileSync('psql', [pg, '-q', '-v', 'ON_ERROR_STOP=1', '-c', `CREATE DATABASE ${name}`]);
    const u = new URL(pg);
    u.pathname = '/' + name;
    return pgDatabase(u.toString(), () => execFileSync('psql', [pg, '-q', '-c', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]));
  }
  const dir = mkdtempSync(join(tmpdir(), 'reform-test-'));
  const file = join(dir, 'reform.db');
  return {
    url: 'sqlite:' + file,
    sql: (q) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', file, q]).toString().trim(),
    drop: () => rmSync(dir, { recursive: true, force: true }),
  };
}

// The database 'url' names, as freshDatabase gives one; drop() leaves it in place.
export function namedDatabase(url) {
  if (url.startsWith('postgres')) return pgDatabase(url, () => {});
  const file = url.slice('sqlite:'.length);
  return { url, sql: (q) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', file, q]).toString().trim(), drop: () => {} };
}

function pgDatabase(url, drop) {
  return { url, sql: (q) => execFileSync('psql', [url, '-q', '-t', '-A', '-v', 'ON_ERROR_STOP=1', '-c', q]).toString().trim(), drop };
}

/**
 * Starts `reform serve` on 'db' (a fresh one by default) with 'args' after
 * its own; resolves {base, db, child, log(), stop()} once it listens, which is
 * after any --demo province is loaded. stop() sends SIGTERM, waits for the exit
 * ('grace' ms at most, then SIGKILL), drops the database unless 'keepDb', and
 * resolves {code, signal}.
 */
export async function startReform({ db = freshDatabase(), args = [], keepDb = false, grace = Infinity } = {}) {
  try {
    accessSync(bin);
  } catch {
    if (!keepDb) db.drop();
    throw new Error(`${bin} is missing: run "make" first (or set REFORM_BIN)`);
  }
  const argv = ['serve', '--db', db.url, '--listen', '127.0.0.1:0', '--web', webDir, ...args];
  const child = spawn(bin, argv, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((ok) => child.on('exit', (code, signal) => ok({ code, signal })));
  let log = '';
  child.stdout.on('data', (chunk) => { log += chunk; });
  const listening = new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error('reform serve did not start in 60 s:\n' + log)), 60000);
    child.stderr.on('data', (chunk) => {
      log += chunk;
      const m = /listening on (http:\/\/[0-9.:]+)/.exec(log);
      if (m) { clearTimeout(timer); ok(m[1]); }
    });
    exited.then(({ code, signal }) => { clearTimeout(timer); fail(new Error(`reform serve exited (${code ?? signal}):\n${log}`)); });
  });
  let stopping = null;
  const stop = () => (stopping ??= (async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      if (grace !== Infinity) {
        const timer = setTimeout(() => child.kill('SIGKILL'), grace);
        exited.then(() => clearTimeout(timer));
      }
    }
    const r = await exited;
    if (!keepDb) db.drop();
    return r;
  })());
  let base;
  try {
    base = await listening;
  } catch (err) {
    child.kill('SIGKILL');
    await stop();
    throw err;
  }
  return { base, db, child, log: () => log, stop };
}
