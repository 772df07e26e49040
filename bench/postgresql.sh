#!/usr/bin/env bash
# Benchmarks of Reform on PostgreSQL, each beside a reference measured in the same run, on a
# throwaway server of its own (scripts/pg.sh: its own data folder and port, fsync on):
#   1. durable receipts (POST /api/v1/dossiers) by 64 clients beside pgbench's single-row
#      INSERT at 64 clients (and at 1), each answered once committed;
#   1b. durable moves (the desk's hand-over, POST /api/v1/dossiers/CODE/actions) by 64 clients,
#      each dossier moved once, beside the same pgbench rate;
#   2. durable task creation (POST /api/v1/tasks) by 64 clients beside the same pgbench rate;
#   3. the citizen's lookup by code and phone beside nginx serving a static file of the same size;
#   4. the service center's yearly figures: median latency at one client;
#   5. three processes against one on the same machine and database, each behind nginx with
#      deploy/nginx/reform.conf (TLS): the lookup and durable receipts at 64 clients.
# Each write round counts the rows before and after, and gives the CPU time each write cost the
# reform process and PostgreSQL's processes (from /proc), and every round is refused on a
# non-2xx answer or a socket error.
#   bench/postgresql.sh [DOSSIERS] [SECONDS]      (defaults 20,000 and 8; BENCH_PORT=N for the ports from N)
# Needs wrk, nginx, PostgreSQL's server and pgbench (installed from Debian when missing) and
# build/reform.
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-20000}
secs=${2:-8}
. bench/lib.sh
bench_tools
command -v pgbench >/dev/null || {
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get install -y -qq postgresql postgresql-contrib >/dev/null
}
command -v pgbench >/dev/null || PATH=$PATH:$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)

# ports below 32768, where the system never takes one for an outgoing connection (wrk, pgbench)
port=${BENCH_PORT:-$((20000 + RANDOM % 12000))} # reform, nginx on the next; PostgreSQL on the one after
pgport=$((port + 2))
server=$(scripts/pg.sh start "$work/pg" "$pgport")
trap 'kill $(cat "$work"/*.pid 2>/dev/null) 2>/dev/null; sleep 0.5; scripts/pg.sh stop "$work/pg"; rm -rf "$work"' EXIT
base=${server%/postgres}
psql -q "$server" -c "CREATE DATABASE reform" -c "CREATE DATABASE raw"
db=$base/reform
q() { psql "$db" -At -c "$1"; }

serve() {
  build/reform serve --db "$db" --listen 127.0.0.1:$port --quiet --web web "$@" >"$work/serve.out" 2>>"$work/reform.log" &
  echo $! > "$work/reform.pid"
  wait_up
}

echo "PostgreSQL $(psql "$server" -At -c 'SHOW server_version'), fsync on, synchronous_commit on"
echo "the demo province and $count dossiers..."
start=$(date +%s)
serve --demo --demo-dossiers "$count"
echo "  $(( $(date +%s) - start )) s"

# the reference: one row per transaction, as a receipt is one change per request
psql -q "$base/raw" -c "CREATE TABLE rows (id bigserial PRIMARY KEY, body text NOT NULL)"
echo "INSERT INTO rows (body) VALUES ('Nguyễn Văn Đo 0912345678 received at the desk');" > "$work/insert.sql"
pgbench_tps() { # pgbench_tps CLIENTS
  pgbench -n -c "$1" -j 2 -T "$secs" -f "$work/insert.sql" "$base/raw" 2>/dev/null |
    awk '/^tps/ {print $3; exit}'
}

# write_rounds NOUN TABLE LUA PATH [PREPARE]: 3 rounds of 64 clients POSTing by $work/LUA.lua to
# PATH, each counting the rows TABLE gained, alternating with pgbench at 64 clients; then the
# medians. PREPARE, a command, runs before each round.
write_rounds() {
  local noun=$1 table=$2 lua=$3 path=$4 prepare=${5:-true} before after c p c_runs=() p_runs=() r0 g0 r1 g1
  echo "$noun: 64 concurrent clients, wrk -t2 -c64 -d${secs}s; reference: pgbench single-row INSERT"
  for round in 1 2 3; do
    $prepare
    before=$(q "SELECT COUNT(*) FROM $table")
    r0=$(cpu_ticks reform); g0=$(cpu_ticks postgres)
    c_runs+=("$(rate -t2 -c64 -d"${secs}s" --timeout 10s -s "$work/$lua.lua" "http://127.0.0.1:$port$path")")
    r1=$(cpu_ticks reform); g1=$(cpu_ticks postgres)
    after=$(q "SELECT COUNT(*) FROM $table")
    p_runs+=("$(pgbench_tps 64)")
    echo "  round $round: reform ${c_runs[-1]}/s ($((after - before)) rows written), pgbench ${p_runs[-1]} tps;" \
      "CPU per write: reform $(per_op $((r1 - r0)) $((after - before))) µs," \
      "PostgreSQL (every backend) $(per_op $((g1 - g0)) $((after - before))) µs"
  done
  c=$(median "${c_runs[@]}"); p=$(median "${p_runs[@]}")
  echo "  medians: reform $c/s, pgbench $p tps at 64 clients: $(ratio "$c" "$p") of pgbench"
}

# 1. receipts
read -r cookie csrf <<<"$(signin clerk.hcc)"
code=$(q "SELECT code FROM procedures WHERE level = 'province' ORDER BY id LIMIT 1")
post_lua receive '{"procedure_code":"'"$code"'","applicant_name":"Nguyễn Văn Đo","applicant_phone":"0912345678"}' "$cookie" "$csrf"
write_rounds receipts dossiers receive /api/v1/dossiers
echo "  pgbench at 1 client: $(pgbench_tps 1) tps"

# 1b. moves: the desk hands over, once each, dossiers the receipts above left at their first step
move_codes() {
  q "SELECT code FROM dossiers WHERE version = 1 AND step = 0 AND state = 'processing'
     AND applicant_name = 'Nguyễn Văn Đo' ORDER BY id" > "$work/codes.txt"
}
moves_lua move "$work/codes.txt" "$cookie" "$csrf"
write_rounds "moves (hand-over)" dossier_events move / move_codes

# 2. task creation
read -r cookie csrf <<<"$(signin secretariat)"
document=$(q "SELECT id FROM documents ORDER BY id LIMIT 1")
unit=$(q "SELECT id FROM units WHERE code = 'S05'")
post_lua create '{"document_id":'"$document"',"title":"Nhiệm vụ đo tải","lead_unit_id":'"$unit"',"field":"procedures","deadline":"2026-12-31"}' "$cookie" "$csrf"
write_rounds "task creation" tasks create /api/v1/tasks

# 3. lookup: 1,000 dossiers drawn at random, each by its code and the applicant's phone
q "SELECT code || '|' || applicant_phone FROM dossiers ORDER BY random() LIMIT 1000" > "$work/pairs.txt"
lookup_rounds "$port" "among $(q 'SELECT COUNT(*) FROM dossiers') dossiers"

# 4. the yearly figures
read -r cookie csrf <<<"$(signin secretariat)"
wrk -t1 -c1 -d"${secs}s" --latency -H "Cookie: $cookie" \
  "http://127.0.0.1:$port/api/v1/dossiers/stats?period=2025-07-01..2026-06-30" > "$work/report.out"
echo "figures of 2025-07-01..2026-06-30 ($(q 'SELECT COUNT(*) FROM dossiers') dossiers):" \
  "median latency $(awk '/ 50%/ {print $2}' "$work/report.out") (wrk -c1, ${secs}s)"

# 5. three processes against one, behind nginx as deployed (deploy/nginx/reform.conf, its site
# lines set: TLS on PORT, the processes' ports); the first process is the one measured above
more() { # more PORT: another process on the same database
  build/reform serve --db "$db" --listen 127.0.0.1:$1 --quiet --web web --trusted-proxy 127.0.0.1/32 \
    >/dev/null 2>>"$work/reform.log" &
  echo $! > "$work/reform-$1.pid"
  wait_up "$1" 300
}
kill "$(cat "$work/reform.pid")"; wait "$(cat "$work/reform.pid")" 2>/dev/null || true
more "$port"; more $((port + 3)); more $((port + 4))
reform_proxy one $((port + 10)) "$port"
reform_proxy three $((port + 20)) "$port" $((port + 3)) $((port + 4))
read -r cookie csrf <<<"$(signin clerk.hcc)"
post_lua receive '{"procedure_code":"'"$code"'","applicant_name":"Nguyễn Văn Đo","applicant_phone":"0912345678"}' "$cookie" "$csrf"
echo "three processes against one, each behind nginx (TLS), wrk -t2 -d${secs}s, 3 rounds alternating"
l1=() l3=() w1=() w3=()
for round in 1 2 3; do
  l1+=("$(rate -t2 -c64 -d"${secs}s" -s "$work/lookup.lua" "https://127.0.0.1:$((port + 10))")")
  l3+=("$(rate -t2 -c64 -d"${secs}s" -s "$work/lookup.lua" "https://127.0.0.1:$((port + 20))")")
  w1+=("$(rate -t2 -c64 -d"${secs}s" --timeout 10s -s "$work/receive.lua" "https://127.0.0.1:$((port + 10))/api/v1/dossiers")")
  w3+=("$(rate -t2 -c64 -d"${secs}s" --timeout 10s -s "$work/receive.lua" "https://127.0.0.1:$((port + 20))/api/v1/dossiers")")
  echo "  round $round: lookup ${l1[-1]} against ${l3[-1]} req/s, receipts ${w1[-1]} against ${w3[-1]}/s"
done
l1=$(median "${l1[@]}"); l3=$(median "${l3[@]}"); w1=$(median "${w1[@]}"); w3=$(median "${w3[@]}")
echo "  medians: lookup one $l1, three $l3 req/s ($(ratio "$l3" "$l1") of one);" \
  "receipts one $w1, three $w3/s ($(ratio "$w3" "$w1") of one)"
echo "server errors logged: $(grep -c ' error ' "$work/reform.log" || true)"
