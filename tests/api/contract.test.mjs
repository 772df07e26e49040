// The check every answer of the API suite goes through (contract.mjs) finds
// what the served document does not allow: a body off its schema, a status or
// content type the document does not give, a body where it gives none, an
// undocumented path or method answered otherwise than the document says.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, signedIn } from './lib.mjs';
import { contractOf, checkAnswer, ContractError } from './contract.mjs';

let srv, admin, contract;
before(async () => {
  srv = await startServer();
  admin = await signedIn(srv.base, 'admin');
  contract = await contractOf(srv.base);
});
after(async () => { await srv?.stop(); });

const answer = (status, type, body, more = {}) => ({
  status,
  headers: new Headers({ ...(type ? { 'Content-Type': type } : {}), ...more }),
  text: body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body),
});

test('a real answer passes, and the same answer off its schema fails naming the member', async () => {
  const r = await admin.get('/api/v1/units?limit=2');
  assert.equal(r.status, 200, r.text);
  const type = r.headers.get('content-type');
  assert.deepEqual(contract.check('GET', '/api/v1/units?limit=2', answer(200, type, r.json)), []);
  const zero = structuredClone(r.json);
  zero.items[1].id = 0;
  assert.match(contract.check('GET', '/api/v1/units', answer(200, type, zero)).join('\n'), /^\/items\/1\/id must be >= 1/m);
  const missing = structuredClone(r.json);
  delete missing.items[0].code;
  assert.match(contract.check('GET', '/api/v1/units', answer(200, type, missing)).join('\n'), /must have required property 'code'/);
  assert.match(contract.check('GET', '/api/v1/units', answer(200, type, '{"items": [')).join('\n'), /not JSON/);
});

test('a status or a content type the document does not give fails', () => {
  assert.match(contract.check('GET', '/api/v1/units', answer(418, 'application/problem+json',
    { type: 'about:blank', title: 'I\'m a teapot', status: 418 })).join('\n'), /no status 418 for GET \/api\/v1\/units/);
  assert.match(contract.check('GET', '/api/v1/units', answer(200, 'text/plain', 'units')).join('\n'), /content types application\/json, not "text\/plain"/);
  assert.match(contract.check('DELETE', '/api/v1/session', answer(204, 'application/json', { ok: true })).join('\n'), /no body/);
  assert.deepEqual(contract.check('DELETE', '/api/v1/session', answer(204)), []);
});

test('an undocumented path is 404 and an undocumented method 405 with Allow, as problems', () => {
  const notFound = { type: 'about:blank', title: 'Not Found', status: 404 };
  assert.deepEqual(contract.check('GET', '/api/v1/nothing', answer(404, 'application/problem+json', notFound)), []);
  assert.deepEqual(contract.check('GET', '/api/v1/units/0', answer(404, 'application/problem+json', notFound)), []);
  assert.match(contract.check('GET', '/api/v1/nothing', answer(200, 'application/json', {})).join('\n'), /outside the document, is answered 404, not 200/);
  assert.match(contract.check('GET', '/api/v1/nothing', answer(404, 'text/html', '<p>no</p>')).join('\n'), /not "text\/html"/);
  const notAllowed = { type: 'about:blank', title: 'Method Not Allowed', status: 405 };
  assert.deepEqual(contract.check('PUT', '/api/v1/units', answer(405, 'application/problem+json', notAllowed, { Allow: 'GET, HEAD, POST' })), []);
  assert.match(contract.check('PUT', '/api/v1/units', answer(405, 'application/problem+json', notAllowed, { Allow: 'GET' })).join('\n'),
    /Allow: GET is not the document's GET, HEAD, POST/);
  // the UI's own files are not the API's
  assert.deepEqual(contract.check('GET', '/units/5', answer(200, 'text/html', '<!doctype html>')), []);
});

test('checkAnswer throws a ContractError naming the method, path, status and the fault', async () => {
  await assert.rejects(checkAnswer(srv.base, 'GET', '/api/v1/units', answer(418, 'text/plain', 'tea')), (e) => {
    assert.ok(e instanceof ContractError);
    assert.match(e.message, /^GET \/api\/v1\/units answered 418, which the API document does not allow/);
    assert.match(e.message, /no status 418/);
    return true;
  });
});
