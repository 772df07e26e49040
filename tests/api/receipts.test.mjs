// Durable receipt: a receipt is answered only once it is on disk, waits for the
// disk without holding one of the server's threads, and a server stopped in the
// middle of a burst answers every receipt it took and keeps every one it answered.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { unlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { startServer, signedIn, assertProblem } from './lib.mjs';
import { ContractError } from './contract.mjs';

const pg = !!process.env.REFORM_TEST_PG_URL;
const body = (code) => ({ procedure_code: code, applicant_name: 'Trần Thị Bình', applicant_phone: '0987 654 321' });
const provinceProcedure = (srv) => srv.db.sql("SELECT code FROM procedures WHERE level = 'province' ORDER BY id LIMIT 1");

describe('durable receipt', () => {
  test('sixty receipts at once on a server of two threads are all answered, each with its own code', async () => {
    const srv = await startServer({ args: ['--threads', '2'] });
    try {
      const code = provinceProcedure(srv);
      const clerk = await signedIn(srv.base, 'clerk.hcc');
      const all = await Promise.all(Array.from({ length: 60 }, () => clerk.post('/api/v1/dossiers', body(code))));
      for (const r of all) assert.equal(r.status, 201, r.text);
      const codes = all.map((r) => r.json.code);
      assert.equal(new Set(codes).size, 60);
      assert.equal(Number(srv.db.sql(`SELECT COUNT(*) FROM dossiers WHERE code IN (${codes.map((c) => `'${c}'`).join(',')})`)), 60);
    } finally {
      await srv.stop();
    }
  });

  test('a stop in the middle of a burst answers what it took and keeps every receipt it answered', async () => {
    const srv = await startServer({ args: ['--threads', '2'] });
    let stopped = false;
    try {
      const code = provinceProcedure(srv);
      const clerk = await signedIn(srv.base, 'clerk.hcc');
      // 80 clients, each sending its next receipt as soon as its last is answered, until the
      // server has exited: the burst goes on through the stop, and the receipts in flight when
      // it lands meet it at every stage. No answer is { status: 0 }.
      const sent = [];
      const receipt = () => clerk.post('/api/v1/dossiers', body(code)).catch((e) => {
        if (e instanceof ContractError) throw e;
        return { status: 0 };
      });
      const clients = Array.from({ length: 80 }, async () => {
        while (!stopped && sent.length < 5000) {
          const r = receipt();
          sent.push(r);
          if ((await r).status !== 201) break;
        }
      });
      const first = await Promise.race(sent);
      assert.equal(first.status, 201, first.text);
      const exit = once(srv.child, 'exit');
      srv.child.kill('SIGTERM');
      const [exitCode, signal] = await exit;
      stopped = true;
      assert.equal(signal, null, srv.log());
      assert.equal(exitCode, 0, srv.log());
      await Promise.all(clients);
      const all = await Promise.all(sent);
      // nothing else was answered: a request either got its receipt or no answer at all
      for (const r of all) assert.ok([0, 201].includes(r.status), r.text);
      const answered = all.filter((r) => r.status === 201);
      // the stop came in the middle: receipts were answered before it, and some never were
      assert.ok(answered.length >= 1);
      assert.ok(answered.length < all.length, `all ${all.length} receipts were answered: the stop came after the burst`);
      const kept = srv.db.sql(`SELECT COUNT(*) FROM dossiers WHERE code IN (${answered.map((r) => `'${r.json.code}'`).join(',')})`);
      assert.equal(Number(kept), answered.length);
    } finally {
      if (stopped) srv.db.drop();
      else await srv.stop();
    }
  });

  test('clients that leave while their receipts are written do not keep the server from stopping', async () => {
    const srv = await startServer({ args: ['--threads', '2'] });
    const exit = once(srv.child, 'exit');
    try {
      const code = provinceProcedure(srv);
      const clerk = await signedIn(srv.base, 'clerk.hcc');
      const { hostname, port } = new URL(srv.base);
      const payload = JSON.stringify(body(code));
      const request = `POST /api/v1/dossiers HTTP/1.1\r\nHost: ${hostname}\r\nCookie: ${clerk.cookie}\r\n` +
        `X-CSRF-Token: ${clerk.csrf}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(payload)}\r\n\r\n${payload}`;
      // each sends a whole receipt and hangs up at once, before its answer
      await Promise.all(Array.from({ length: 30 }, () => new Promise((ok, fail) => {
        const sock = connect(Number(port), hostname, () => sock.end(request, ok));
        sock.on('error', fail);
      })));
      assert.equal((await clerk.post('/api/v1/dossiers', body(code))).status, 201);
      srv.child.kill('SIGTERM');
      const stopped = await Promise.race([exit, new Promise((ok) => setTimeout(() => ok(null), 20000))]);
      assert.ok(stopped, 'the server did not stop within 20 s:\n' + srv.log());
      assert.deepEqual(stopped, [0, null], srv.log());
    } finally {
      srv.child.kill('SIGKILL');
      srv.db.drop();
    }
  });

  test('two servers on one database take receipts at three desks at once: all answered, each code once, the chain whole', async () => {
    // Each server's writer runs the receipts that arrive together in one transaction. Two such
    // transactions hold desks' sequence rows and the audit chain's head at once; taken in
    // different orders they would wait on each other until the database refused one of them.
    const args = ['--threads', '4', '--conns-per-address', '1000'];
    const a = await startServer({ args });
    let b;
    try {
      b = await startServer({ demo: false, db: a.db, args });
      const desks = [
        ['clerk.hcc', 'province'],
        ['clerk.huongson', 'district'],
        ['focal.thanhsen', 'commune'],
      ];
      const sends = [];
      for (const srv of [a, b]) {
        for (const [user, level] of desks) {
          const code = a.db.sql(`SELECT code FROM procedures WHERE level = '${level}' ORDER BY id LIMIT 1`);
          const clerk = await signedIn(srv.base, user);
          for (let i = 0; i < 100; i++) sends.push(clerk.post('/api/v1/dossiers', body(code)));
        }
      }
      const all = await Promise.all(sends);
      for (const r of all) assert.equal(r.status, 201, r.text);
      const codes = all.map((r) => r.json.code);
      assert.equal(new Set(codes).size, codes.length);
      assert.equal(Number(a.db.sql(`SELECT COUNT(*) FROM dossiers WHERE code IN (${codes.map((c) => `'${c}'`).join(',')})`)), codes.length);
      const verify = a.cli('audit', 'verify');
      assert.equal(verify.code, 0, verify.out);
    } finally {
      if (b) await b.stop();
      await a.stop();
    }
  });

  test('a receipt whose log cannot reach the disk is not answered as received', { skip: pg && 'SQLite only: PostgreSQL keeps its own log' }, async () => {
    const srv = await startServer();
    try {
      const code = provinceProcedure(srv);
      const clerk = await signedIn(srv.base, 'clerk.hcc');
      assert.equal((await clerk.post('/api/v1/dossiers', body(code))).status, 201);
      // the log file taken away under the server: what is written to it can no longer be flushed
      unlinkSync(srv.db.url.slice('sqlite:'.length) + '-wal');
      const r = await clerk.post('/api/v1/dossiers', body(code));
      assertProblem(assert, r, 503);
      assert.match(srv.log(), /flush/);
    } finally {
      await srv.stop();
    }
  });
});
