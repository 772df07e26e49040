#!/usr/bin/env bash
# Benchmarks of one-stop dossiers, each beside a reference measured in the same run:
#   1. the citizen's lookup by code (and phone) beside nginx serving a static file of the
#      same size, with the same wrk settings;
#   2. durable receipt (POST /api/v1/dossiers, each answered once on disk) by 64 concurrent
#      clients beside raw single-row SQLite inserts with synchronous=FULL (bench/sqlite_inserts.c);
#   3. the service center's report for the demo year beside the naive GROUP BY recount over the
#      dossiers, on the same database;
#   4. the server's peak resident memory after all of it.
#   bench/dossiers.sh [DOSSIERS] [SECONDS]      (defaults 1,000,000 and 8)
#   BENCH_DB=FILE bench/dossiers.sh             the same on a database made before (for example
#                                               10,000,000 dossiers, made in about 35 minutes by
#                                               `reform demo dossiers --count 10000000` after the
#                                               demo province); the receipt rounds add to it
# Needs wrk, nginx, sqlite3 and a C compiler (installed from Debian when missing) and build/reform.
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-1000000}
secs=${2:-8}
. bench/lib.sh
bench_tools

file=${BENCH_DB:-$work/bench.db}
db=sqlite:$file
port=$((20000 + RANDOM % 12000))

serve() {
  build/reform serve --db "$db" --listen 127.0.0.1:$port --quiet --web web "$@" >"$work/serve.out" 2>>"$work/reform.log" &
  echo $! > "$work/reform.pid"
  wait_up "$port" 300
}

# the demo province, then the dossiers
build/reform migrate --db "$db" >/dev/null 2>&1
if [ -z "${BENCH_DB:-}" ]; then
  serve --demo --demo-dossiers 0
  kill "$(cat "$work/reform.pid")"; sleep 0.5
  echo "generating $count dossiers..."
  start=$(date +%s)
  build/reform demo dossiers --count "$count" --db "$db" >/dev/null 2>>"$work/reform.log"
  echo "  $(( $(date +%s) - start )) s, database $(du -h "$file" | cut -f1)"
else
  count=$(sqlite3 "$file" 'SELECT COUNT(*) FROM dossiers')
  echo "$count dossiers in $file ($(du -h "$file" | cut -f1))"
fi

serve
session=$(curl -s -D "$work/headers" -H 'Content-Type: application/json' \
  -d '{"username":"clerk.hcc","password":"demo-clerk.hcc"}' "http://127.0.0.1:$port/api/v1/session")
cookie=$(sed -n 's/^Set-Cookie: \(reform_session=[^;]*\).*/\1/ip' "$work/headers" | tr -d '\r')
csrf=$(printf '%s' "$session" | python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])')


# 1. lookup: 1,000 dossiers drawn at random, each by its code and the applicant's phone
sqlite3 "$file" "SELECT code, applicant_phone FROM dossiers ORDER BY random() LIMIT 1000" > "$work/pairs.txt"
lookup_rounds "$port" "among $count dossiers"

# 2. durable receipt by 64 clients
code=$(sqlite3 "$file" "SELECT code FROM procedures WHERE level = 'province' ORDER BY id LIMIT 1")
post_lua receive '{"procedure_code":"'"$code"'","applicant_name":"Nguyễn Văn Đo","applicant_phone":"0912345678"}' "$cookie" "$csrf"
cc -O2 -o "$work/sqlite_inserts" bench/sqlite_inserts.c -lsqlite3
echo "receipt: 64 concurrent clients, wrk -t2 -c64 -d${secs}s; reference: single-row inserts"
c_runs=() s_runs=()
for round in 1 2 3; do
  before=$(sqlite3 "$file" 'SELECT COUNT(*) FROM dossiers')
  c_runs+=("$(rate -t2 -c64 -d"${secs}s" --timeout 10s -s "$work/receive.lua" "http://127.0.0.1:$port/api/v1/dossiers")")
  after=$(sqlite3 "$file" 'SELECT COUNT(*) FROM dossiers')
  rm -f "$work/raw.db"*
  sync # the round's writes reach the disk first, so that the reference does not wait for them
  s_runs+=("$("$work/sqlite_inserts" "$work/raw.db" 3000)")
  echo "  round $round: reform ${c_runs[-1]} dossiers/s ($((after - before)) rows written), raw inserts ${s_runs[-1]} rows/s"
done
c=$(median "${c_runs[@]}"); s=$(median "${s_runs[@]}")
echo "  medians: reform $c dossiers/s, raw single-row inserts $s rows/s: $(ratio "$c" "$s") of raw"

# 3. the report of the demo year, and the naive recount on the same database
period="2025-07-01..2026-06-30"
session=$(curl -s -D "$work/headers2" -H 'Content-Type: application/json' \
  -d '{"username":"secretariat","password":"demo-secretariat"}' "http://127.0.0.1:$port/api/v1/session")
sec_cookie=$(sed -n 's/^Set-Cookie: \(reform_session=[^;]*\).*/\1/ip' "$work/headers2" | tr -d '\r')
wrk -t1 -c1 -d"${secs}s" --latency -H "Cookie: $sec_cookie" \
  "http://127.0.0.1:$port/api/v1/dossiers/stats?period=$period" > "$work/report.out"
report_median=$(awk '/ 50%/ {print $2}' "$work/report.out")
breakdowns=""
for by in field unit; do
  wrk -t1 -c1 -d"${secs}s" --latency -H "Cookie: $sec_cookie" \
    "http://127.0.0.1:$port/api/v1/dossiers/stats?period=$period&by=$by" > "$work/report_$by.out"
  breakdowns="$breakdowns by $by $(awk '/ 50%/ {print $2}' "$work/report_$by.out");"
done
naive=()
for round in 1 2 3; do
  start=$(date +%s%N)
  sqlite3 "$file" "SELECT p.field, p.level, d.timeliness, COUNT(*) FROM dossiers d
    JOIN procedures p ON p.id = d.procedure_id
    WHERE d.received_at >= strftime('%s', '2025-06-30 17:00:00')
      AND d.received_at < strftime('%s', '2026-06-30 17:00:00')
    GROUP BY p.field, p.level, d.timeliness" > /dev/null
  naive+=("$(( ($(date +%s%N) - start) / 1000000 ))")
done
echo "report of $period: median latency $report_median (wrk -c1, ${secs}s);" \
  "naive GROUP BY recount with sqlite3: ${naive[*]} ms"
echo "  with rows:$breakdowns"

# 4. memory
echo "server peak resident memory: $(awk '/VmHWM/ {print $2, $3}' "/proc/$(cat "$work/reform.pid")/status")"
echo "server errors logged: $(grep -c ' error ' "$work/reform.log" || true)"
