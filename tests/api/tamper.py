#!/usr/bin/env python3
"""Rewrite history as someone who can write the database but holds no key would.

usage: tamper.py DB_URL alter SEQ AFTER_JSON   change record SEQ's after image, then
                                               re-hash it, every later record and the head
       tamper.py DB_URL append AFTER_JSON      add a forged sign-in at the end, chained
       tamper.py DB_URL truncate N             delete the last N records, move the head back

Hashes are the chain's own layout (src/core/audit.c): the plain BLAKE2b-256 of
unkeyed chains, the best such a person can do; with --key HEX, the keyed MAC
under a key of their guessing.
"""
import hashlib
import json
import sqlite3
import struct
import subprocess
import sys

COLS = ['province_id', 'seq', 'at', 'actor_id', 'actor', 'action', 'entity', 'entity_id',
        'before_json', 'after_json', 'via', 'prev_hash', 'hash']


def put_int(v):
    return struct.pack('>q', v)


def put_str(s):
    if s is None:
        return put_int(-1)
    b = s.encode()
    return put_int(len(b)) + b


def record_hash(r, key):
    data = (put_str('reform-audit-v2' if key else 'reform-audit-v1') + put_str(r['prev_hash']) +
            put_int(r['seq']) + put_int(r['province_id']) + put_int(r['at']) +
            put_int(r['actor_id']) + put_str(r['actor']) + put_str(r['action']) +
            put_str(r['entity']) + put_str(r['entity_id']) + put_str(r['before_json']) +
            put_str(r['after_json']) + (put_str(r['via']) if key else b''))
    return hashlib.blake2b(data, digest_size=32, key=key or b'').hexdigest()


class Db:
    def __init__(self, url):
        self.pg = url.startswith('postgres')
        self.url = url
        if not self.pg:
            self.conn = sqlite3.connect(url[len('sqlite:'):], timeout=10)

    def rows(self, sql):
        if not self.pg:
            cur = self.conn.execute(sql)
            names = [d[0] for d in cur.description]
            return [dict(zip(names, row)) for row in cur.fetchall()]
        out = subprocess.check_output(['psql', self.url, '-q', '-t', '-A', '-v', 'ON_ERROR_STOP=1',
                                       '-c', f'SELECT COALESCE(json_agg(t), \'[]\') FROM ({sql}) t'])
        return json.loads(out)

    def run(self, sql, params):
        if not self.pg:
            self.conn.execute(sql, params)
            return
        # psql variables keep every value a literal: :'v1', :'v2', ...
        args = ['psql', self.url, '-q', '-v', 'ON_ERROR_STOP=1']
        text = sql
        for i, p in enumerate(params):
            args += ['-v', f'v{i}={"" if p is None else p}']
            text = text.replace('?', f":'v{i}'" if p is not None else 'NULL', 1)
        subprocess.run(args, input=text + ';\n', text=True, check=True)

    def commit(self):
        if not self.pg:
            self.conn.commit()


def main():
    args = sys.argv[1:]
    key = None
    if '--key' in args:
        i = args.index('--key')
        key = bytes.fromhex(args[i + 1])
        del args[i:i + 2]
    db, verb = Db(args[0]), args[1]
    chain = db.rows('SELECT ' + ', '.join(COLS) + ' FROM audit ORDER BY province_id, seq')
    if verb == 'alter':
        seq = int(args[2])
        prev = None
        for r in chain:
            if r['seq'] < seq:
                prev = r['hash']
                continue
            if r['seq'] == seq:
                r['after_json'] = args[3]
            r['prev_hash'] = prev
            r['hash'] = record_hash(r, key)
            prev = r['hash']
            db.run('UPDATE audit SET after_json = ?, prev_hash = ?, hash = ? WHERE seq = ?',
                   [r['after_json'], r['prev_hash'], r['hash'], r['seq']])
        db.run('UPDATE audit_head SET hash = ?', [prev])
    elif verb == 'append':
        last = chain[-1]
        r = dict(last, seq=last['seq'] + 1, actor='chairman', action='signin', entity='session',
                 entity_id='0', before_json=None, after_json=args[2], via=None,
                 prev_hash=last['hash'])
        r['hash'] = record_hash(r, key)
        db.run('INSERT INTO audit (' + ', '.join(COLS) + ') VALUES (' +
               ', '.join('?' * len(COLS)) + ')', [r[c] for c in COLS])
        db.run('UPDATE audit_head SET seq = ?, hash = ?', [r['seq'], r['hash']])
    elif verb == 'truncate':
        n = int(args[2])
        keep = chain[-n - 1]
        db.run('DELETE FROM audit WHERE seq > ?', [keep['seq']])
        db.run('UPDATE audit_head SET seq = ?, hash = ?', [keep['seq'], keep['hash']])
    else:
        sys.exit(__doc__)
    db.commit()


if __name__ == '__main__':
    main()
