// HTTP plumbing: security headers on every answer, health, the OpenAPI
// document against the route table, 404/405, the web UI's files and path
// traversal, and a clean stop on SIGTERM.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, Client, signedIn, assertProblem, rawGet } from './lib.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const indexHtml = join(root, 'web/index.html');

// The route table of src/http/server.c: [method, path with {id}].
function routeTable() {
  const src = readFileSync(join(root, 'src/http/server.c'), 'utf8');
  const table = src.slice(src.indexOf('routes[] = {'), src.indexOf('};', src.indexOf('routes[] = {')));
  const routes = [...table.matchAll(/\{\s*"([A-Z]+)",\s*"([^"]+)"/g)].map((m) => [m[1], m[2].replaceAll('{key}', '{}')]);
  assert.ok(routes.length >= 19, `found only ${routes.length} routes in server.c`);
  return routes;
}

function assertSecurityHeaders(headers, what) {
  const get = (h) => (typeof headers.get === 'function' ? headers.get(h) : headers[h]);
  const csp = get('content-security-policy');
  assert.ok(csp, `${what}: no Content-Security-Policy`);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, what);
  assert.match(csp, /default-src 'self'/, what);
  assert.match(csp, /frame-ancestors 'none'/, what);
  assert.equal(get('x-content-type-options'), 'nosniff', what);
  assert.equal(get('x-frame-options'), 'DENY', what);
}

describe('http', () => {
  let srv, admin, stopped = false;
  before(async () => {
    srv = await startServer();
    admin = await signedIn(srv.base, 'admin');
  });
  after(async () => { if (!stopped) await srv.stop(); });

  test('every answer carries CSP without unsafe-inline, nosniff and DENY; /api answers no-store', async () => {
    const anon = new Client(srv.base);
    const cases = [
      [anon, 'GET', '/healthz'], [anon, 'GET', '/api/v1/openapi.json'], [anon, 'GET', '/api/v1/units'],
      [anon, 'GET', '/api/v1/nothing'], [anon, 'PUT', '/api/v1/units'], [anon, 'POST', '/api/v1/session'],
      [anon, 'GET', '/'], [anon, 'GET', '/index.html'], [anon, 'GET', '/units/5'], [anon, 'GET', '/missing.js'],
      [anon, 'POST', '/units/5'],
      [admin, 'GET', '/api/v1/session'], [admin, 'GET', '/api/v1/units'], [admin, 'GET', '/api/v1/units/1'],
      [admin, 'GET', '/api/v1/units/1/tree'], [admin, 'GET', '/api/v1/units/1/tree'], [admin, 'GET', '/api/v1/users'],
      [admin, 'GET', '/api/v1/audit?limit=2'], [admin, 'GET', '/api/v1/units/999999'],
      [admin, 'POST', '/api/v1/units'], [admin, 'PATCH', '/api/v1/units/3'],
    ];
    for (const [c, method, path] of cases) {
      const r = await c.request(method, path, method === 'GET' ? {} : { body: {} });
      const what = `${method} ${path} (${r.status})`;
      assertSecurityHeaders(r.headers, what);
      if (path.startsWith('/api/')) assert.equal(r.headers.get('cache-control'), 'no-store', what);
    }
    const big = await admin.request('POST', '/api/v1/units', { raw: 'x'.repeat(1024 * 1024 + 1), headers: { 'Content-Type': 'application/json' } });
    assert.equal(big.status, 413);
    assertSecurityHeaders(big.headers, '413');
    assert.equal(big.headers.get('cache-control'), 'no-store');
    const logout = await (await signedIn(srv.base, 'inspector')).del('/api/v1/session');
    assert.equal(logout.status, 204);
    assertSecurityHeaders(logout.headers, '204');
    assert.equal(logout.headers.get('cache-control'), 'no-store');
  });

  test('/healthz answers 200 {status:"ok"} without signing in', async () => {
    const r = await new Client(srv.base).get('/healthz');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^application\/json/);
    const h = r.json;
    assert.equal(h.status, 'ok');
    assert.equal(h.db, process.env.REFORM_TEST_PG_URL ? 'postgresql' : 'sqlite');
  });

  test('/api/v1/openapi.json is OpenAPI 3.1 with a path and method for every route of server.c', async () => {
    const r = await new Client(srv.base).get('/api/v1/openapi.json');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^application\/json/);
    const doc = r.json;
    // path parameters by any name ({id}, {year}) stand for server.c's {}
    doc.paths = Object.fromEntries(Object.entries(doc.paths).map(([p, ops]) => [p.replace(/\{[a-z_]+\}/g, '{}'), ops]));
    assert.match(doc.openapi, /^3\.1\.\d+$/);
    assert.equal(typeof doc.info?.title, 'string');
    assert.equal(typeof doc.info?.version, 'string');
    for (const [method, path] of routeTable()) {
      assert.ok(doc.paths[path], `openapi.json has no path ${path}`);
      assert.ok(doc.paths[path][method.toLowerCase()], `openapi.json has no ${method} ${path}`);
      assert.ok(doc.paths[path][method.toLowerCase()].responses, `${method} ${path} has no responses`);
    }
    // and nothing the server does not answer
    const served = new Set(routeTable().map(([m, p]) => `${m} ${p}`));
    for (const [path, ops] of Object.entries(doc.paths))
      for (const m of Object.keys(ops).filter((k) => ['get', 'put', 'post', 'patch', 'delete'].includes(k)))
        assert.ok(served.has(`${m.toUpperCase()} ${path}`), `openapi.json documents ${m.toUpperCase()} ${path}, which the server lacks`);
  });

  test('an unknown /api path answers 404 problem+json, signed in or not', async () => {
    for (const c of [new Client(srv.base), admin]) {
      for (const p of ['/api/v1/nothing', '/api/v2/units', '/api/v1/units/abc', '/api/v1/units/0', '/api/v1/units/1/children', '/api/', '/api/v1/units/']) {
        const r = await c.get(p);
        assertProblem(assert, r, 404);
        assert.equal(r.json.title, 'Not Found');
      }
    }
  });

  test('a wrong method on a known path answers 405 problem+json', async () => {
    const cases = [['PUT', '/api/v1/units'], ['DELETE', '/api/v1/units'], ['DELETE', '/api/v1/units/1'],
      ['PUT', '/api/v1/units/1/tree'], ['GET', '/api/v1/units/1/move'], ['GET', '/api/v1/tokens'],
      ['PATCH', '/api/v1/session'], ['POST', '/healthz'], ['DELETE', '/api/v1/audit'], ['GET', '/api/v1/session/password']];
    for (const [method, path] of cases) {
      const r = await admin.request(method, path, method === 'GET' ? {} : { body: {} });
      assertProblem(assert, r, 405);
      assert.equal(r.json.title, 'Method Not Allowed');
    }
    const anon = await new Client(srv.base).request('PUT', '/api/v1/units', { body: {} });
    assertProblem(assert, anon, 405);
  });

  test('a 405 names the allowed methods in Allow', async () => {
    const r = await admin.request('PUT', '/api/v1/units', { body: {} });
    assert.equal(r.status, 405);
    assert.deepEqual((r.headers.get('allow') || '').split(/,\s*/).sort(), ['GET', 'HEAD', 'POST']);
  });

  test('a path without an extension serves index.html for client routing', { skip: !existsSync(indexHtml) && 'web/index.html is absent' }, async () => {
    const html = readFileSync(indexHtml, 'utf8');
    for (const p of ['/', '/units/5', '/users', '/audit/trail']) {
      const r = await fetch(srv.base + p);
      assert.equal(r.status, 200, p);
      assert.match(r.headers.get('content-type'), /^text\/html/);
      assert.equal(await r.text(), html, p);
      assertSecurityHeaders(r.headers, p);
    }
    const missing = await fetch(srv.base + '/nothing-here.js');
    assert.equal(missing.status, 404);
    assert.match(missing.headers.get('content-type'), /^application\/problem\+json/);
  });

  test('path traversal never serves a file outside web/', async () => {
    const html = existsSync(indexHtml) ? readFileSync(indexHtml, 'utf8') : null;
    const paths = ['/../../etc/passwd', '/..%2f..%2fetc%2fpasswd', '/%2e%2e/%2e%2e/etc/passwd', '/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      '/..%2f..%2f..%2f..%2fetc%2fhostname', '/../README.md', '/..%2fREADME.md', '/%2e%2e/README.md', '/../src/http/server.c',
      '/..%2fsrc%2fhttp%2fserver.c', '/....//....//etc/passwd', '/..%5c..%5cetc%5cpasswd', '/%252e%252e/README.md',
      '/vendor/../../README.md', '//etc/passwd', '/..;/README.md'];
    const readme = readFileSync(join(root, 'README.md'), 'utf8').slice(0, 40);
    for (const p of paths) {
      const r = await rawGet(srv.base, p);
      assert.doesNotMatch(r.body, /root:x?:0:0|^#include/m, p);
      assert.ok(!r.body.includes(readme), `${p} served README.md`);
      assert.ok(r.status === 404 || (r.status === 200 && r.body === html), `${p}: ${r.status} ${r.body.slice(0, 80)}`);
    }
    for (const p of ['/../README.md', '/..%2fREADME.md', '/%2e%2e/README.md', '/../src/http/server.c', '/..%2fsrc%2fhttp%2fserver.c']) {
      const r = await rawGet(srv.base, p);
      assert.equal(r.status, 404, p);
      assert.match(r.headers['content-type'], /^application\/problem\+json/, p);
    }
  });

  test('a traversal path without an extension answers 404, not the app shell',
    async () => {
      for (const p of ['/../../etc/passwd', '/..%2f..%2fetc%2fpasswd', '/%2e%2e/%2e%2e/etc/passwd']) {
        const r = await rawGet(srv.base, p);
        assert.equal(r.status, 404, p);
      }
    });

  // last: it stops the server this suite shares
  test('SIGTERM stops the server cleanly: exit code 0 and "stopped" in the log', async () => {
    assert.equal((await admin.get('/api/v1/units')).status, 200);
    const stderrDone = new Promise((ok) => srv.child.stderr.on('close', ok));
    const { code, signal } = await srv.stop();
    stopped = true;
    await stderrDone;
    assert.equal(code, 0, srv.log());
    assert.equal(signal, null);
    assert.match(srv.log(), /stopping on signal 15/);
    assert.match(srv.log(), /\bstopped\b/);
    // a start and a stop of a well-configured server warn of nothing
    assert.doesNotMatch(srv.log(), / (warn|error) /);
    await assert.rejects(fetch(srv.base + '/healthz'));
  });
});
