#!/usr/bin/env bash
# The same long history on both backends: one server on a SQLite file and one on a throwaway
# PostgreSQL (scripts/pg.sh: its own data folder and port, fsync on), each from a fresh demo
# province, are given the same random but valid history (tests/lib/history.mjs) in lock step,
# every answer compared before the next operation, then the figures, every list and the audit
# trail; each audit chain is then verified on its own. Prints the operations per second (each
# operation is one request to each server, sent at once) and whether every answer was the same.
#   bench/history.sh [STEPS] [SEED]      (defaults 20,000 and a seed drawn for the run)
# BENCH_PG_PORT sets the throwaway PostgreSQL's port (default: one drawn in 30000-39999);
# BENCH_LOG=FILE writes each step's request and status to FILE.
# Needs node with web/node_modules (npm ci --prefix web), PostgreSQL's server and build/reform.
set -euo pipefail
cd "$(dirname "$0")/.."
steps=${1:-20000}
seed=${2:-$((RANDOM * 32768 + RANDOM + 1))}
. bench/lib.sh
[ -x build/reform ] || make build
[ -d web/node_modules/ajv ] || npm ci --prefix web --silent

pgport=${BENCH_PG_PORT:-$((20000 + RANDOM % 12000))}
trap 'scripts/pg.sh stop "$work/pg"; rm -rf "$work"' EXIT
server=$(scripts/pg.sh start "$work/pg" "$pgport")

cat > "$work/history.mjs" <<JS
import { execFileSync } from 'node:child_process';
import { bin, root, freshDatabase, startReform } from '$PWD/tests/lib/server.mjs';
import { appendFileSync } from 'node:fs';
import { replay } from '$PWD/tests/lib/history.mjs';

const steps = $steps, seed = '$seed';
const args = ['--demo', '--demo-dossiers', '0', '--quiet'];
const servers = await Promise.all([
  startReform({ db: freshDatabase({ pg: null }), args }),
  startReform({ db: freshDatabase({ pg: '$server' }), args }),
]);
let code = 0;
try {
  let told = 0;
  const file = '${BENCH_LOG:-}';
  const log = (line) => {
    if (file) appendFileSync(file, line + '\n');
    const n = Number(line.split(' ')[0]);
    if (n % 2000 === 0 && n > told) console.error('  step ' + (told = n));
  };
  const r = await replay({ bases: servers.map((s) => s.base), names: ['sqlite', 'postgresql'], seed, steps, log });
  const secs = r.ms / 1000;
  console.log('history: seed ' + seed + ', ' + r.steps + ' operations in ' + secs.toFixed(1) + ' s: ' +
    (r.steps / secs).toFixed(1) + ' operations/s (' + (r.guardWaitMs / 1000).toFixed(1) + ' s of it waiting out minute ends)');
  console.log('  answers: ' + Object.entries(r.statuses).map(([k, v]) => k + ' x' + v).join(', '));
  console.log('  excused: ' + Object.entries(r.allowed).map(([k, v]) => k + ' x' + v).join(', '));
  console.log('  at the end: ' + r.units + ' units, ' + r.people + ' users, ' + r.tasks + ' tasks, ' + r.dossiers +
    ' dossiers; ' + r.finalReads + ' final reads (figures, lists, the audit trail)');
  for (const s of servers) execFileSync(bin, ['audit', 'verify', '--db', s.db.url], { cwd: root, stdio: 'ignore' });
  console.log('  result: every answer the same on both backends; both audit chains verify');
} catch (e) {
  console.log('  result: DIFFERENT\n' + e.message);
  code = 1;
} finally {
  await Promise.all(servers.map((s) => s.stop()));
}
process.exit(code);
JS
echo "the same history on SQLite and PostgreSQL: $steps operations, seed $seed"
node "$work/history.mjs"
