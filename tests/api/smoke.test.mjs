import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, signedIn } from './lib.mjs';

test('the server starts on the demo province and answers health', async () => {
  const srv = await startServer();
  try {
    const h = (await new Client(srv.base).get('/healthz')).json;
    assert.equal(h.status, 'ok');
    const admin = await signedIn(srv.base, 'admin');
    const r = await admin.get('/api/v1/units?date=2023-06-30&kind=district&limit=1000');
    assert.equal(r.status, 200);
    assert.equal(r.json.items.length, 10); // Ha Tinh's ten districts in 2023
    // the steering committee's figure: "133 tasks assigned, 39 completed = 29.32%"
    const chairman = await signedIn(srv.base, 'chairman');
    const f = await chairman.get('/api/v1/tasks/stats?period=2023-9M&as_of=2023-09-30' +
      '&assigning_body=government,prime_minister');
    assert.equal(f.status, 200, f.text);
    assert.equal(f.json.total.assigned, 133);
    assert.equal(f.json.total.completed, 39);
    assert.equal(f.json.total.completion_rate, '29.32');
    assert.equal(f.json.total.in_progress + f.json.total.no_deadline, 94); // within deadline
    assert.equal(f.json.total.overdue, 0);
    // every figure opens its tasks: the list filtered the same way holds the same numbers
    const scope = '&date=2023-09-30&assigning_body=government,prime_minister' +
      '&assigned_from=2023-01-01&assigned_to=2023-09-30&limit=1000';
    const done = await chairman.get('/api/v1/tasks?status=done_on_time,done_late' + scope);
    assert.equal(done.status, 200, done.text);
    assert.equal(done.json.items.length, f.json.total.completed);
    const due = await chairman.get('/api/v1/tasks?due=1' + scope);
    assert.equal(due.json.items.length, f.json.total.due);
    const bad = await chairman.get('/api/v1/tasks?status=done,overdue');
    assert.equal(bad.status, 400);
    assert.equal(bad.json.errors[0].field, 'status');
  } finally {
    const { code } = await srv.stop();
    assert.equal(code, 0); // clean shutdown on SIGTERM
  }
});
