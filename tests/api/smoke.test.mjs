import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, signedIn } from './lib.mjs';

test('the server starts on the demo province and answers health', async () => {
  const srv = await startServer();
  try {
    const h = await fetch(srv.base + '/healthz').then((r) => r.json());
    assert.equal(h.status, 'ok');
    const admin = await signedIn(srv.base, 'admin');
    const r = await admin.get('/api/v1/units?date=2023-06-30&kind=district&limit=1000');
    assert.equal(r.status, 200);
    assert.equal(r.json.items.length, 10); // Ha Tinh's ten districts in 2023
  } finally {
    const { code } = await srv.stop();
    assert.equal(code, 0); // clean shutdown on SIGTERM
  }
});
