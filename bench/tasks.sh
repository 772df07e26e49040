#!/usr/bin/env bash
# Benchmarks of the task book, each beside a reference measured in the same run:
#   1. the filtered task list (25 of 100,000 tasks, authenticated) beside nginx serving a
#      static file of the same size, with the same wrk settings;
#   2. durable task creation by 64 concurrent clients (POST /api/v1/tasks, each answered
#      only once on disk) beside raw single-row SQLite inserts with synchronous=FULL
#      (bench/sqlite_inserts.c).
#   bench/tasks.sh [SECONDS]
# Needs wrk, nginx and a C compiler (installed from Debian when missing) and build/reform.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
. bench/lib.sh
bench_tools

db=sqlite:$work/bench.db

# the demo province, then 100,000 tasks over its departments, fields and four years
build/reform migrate --db "$db" >/dev/null 2>&1
port=$((20000 + RANDOM % 12000))
build/reform serve --db "$db" --demo --demo-dossiers 0 --listen 127.0.0.1:$port --quiet --web web \
  >"$work/demo.out" 2>"$work/reform.log" &
echo $! > "$work/reform.pid"
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
kill "$(cat "$work/reform.pid")"; sleep 0.5
awk 'BEGIN {
  split("direction institutions procedures apparatus civil_service public_finance digital_government", f, " ")
  print "ref,document,title,assigning_body,lead_unit,coordinating_units,field,assigned_on,deadline,completed_on,extended_on,extended_deadline,extension_reason"
  for (i = 1; i <= 100000; i++) {
    y = 2023 + i % 4; m = 1 + i % 12; dept = sprintf("S%02d", 1 + i % 21)
    done = (i % 3 == 0) ? sprintf("%d-%02d-20", y, m) : ""
    printf "B-%06d,01/NQ-CP,Nhiệm vụ cải cách hành chính số %d,government,%s,,%s,2023-01-06,%d-%02d-28,%s,,,\n", i, i, dept, f[1 + int(i / 21) % 7], y, m, done
  }
}' > "$work/tasks.csv"
echo "importing 100,000 tasks..."
build/reform import tasks "$work/tasks.csv" --db "$db" >/dev/null

build/reform serve --db "$db" --listen 127.0.0.1:$port --quiet --web web 2>>"$work/reform.log" &
echo $! > "$work/reform.pid"
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
session=$(curl -s -D "$work/headers" -H 'Content-Type: application/json' \
  -d '{"username":"secretariat","password":"demo-secretariat"}' "http://127.0.0.1:$port/api/v1/session")
cookie=$(sed -n 's/^Set-Cookie: \(reform_session=[^;]*\).*/\1/ip' "$work/headers" | tr -d '\r')
csrf=$(printf '%s' "$session" | python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])')

unit=$(curl -s -H "Cookie: $cookie" "http://127.0.0.1:$port/api/v1/units?q=S05&limit=1" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
list="http://127.0.0.1:$port/api/v1/tasks?lead_unit=$unit&field=procedures&date=2024-06-30&limit=25"
curl -sf -H "Cookie: $cookie" "$list" > "$work/list.json"
size=$(stat -c %s "$work/list.json")
count=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["items"]))' "$work/list.json")

nport=$((port + 1))
nginx_file list.json "$size" "$nport"


echo "list: $count tasks of 100,000 ($size bytes); wrk -t2 -c32 -d${secs}s, 3 rounds alternating"
r_runs=() n_runs=()
for round in 1 2 3; do
  r_runs+=("$(rate -t2 -c32 -d"${secs}s" -H "Cookie: $cookie" "$list")")
  n_runs+=("$(rate -t2 -c32 -d"${secs}s" "http://127.0.0.1:$nport/list.json")")
  echo "  round $round: reform ${r_runs[-1]} req/s, nginx ${n_runs[-1]} req/s"
done
r=$(median "${r_runs[@]}"); n=$(median "${n_runs[@]}")
echo "  medians: reform $r req/s, nginx $n req/s: $(ratio "$r" "$n") of nginx"

# the same list built afresh for every request: a parameter the server ignores makes each
# request's key new, so no kept answer is ever sent (the cost of a first read after a change)
cat > "$work/fresh.lua" <<LUA
local threads = 0
function setup(thread) threads = threads + 1; thread:set("id", threads) end
function init(args) n = 0 end
function request()
  n = n + 1
  return wrk.format(nil, "${list#http://127.0.0.1:$port}&fresh=" .. id .. "-" .. n)
end
LUA
f_runs=()
for round in 1 2 3; do
  f_runs+=("$(rate -t2 -c32 -d"${secs}s" -H "Cookie: $cookie" -s "$work/fresh.lua" "http://127.0.0.1:$port")")
done
f=$(median "${f_runs[@]}")
echo "  built afresh each time: ${f_runs[*]} req/s, median $f: $(ratio "$f" "$n") of nginx's median"

# durable creation: 64 clients; every answer waits for its commit to reach the disk
document=$(curl -s -H "Cookie: $cookie" "http://127.0.0.1:$port/api/v1/documents?q=01%2FNQ-CP&limit=1" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
post_lua create '{"document_id":'"$document"',"title":"Nhiệm vụ đo tải","lead_unit_id":'"$unit"',"field":"procedures","deadline":"2026-12-31"}' "$cookie" "$csrf"
cc -O2 -o "$work/sqlite_inserts" bench/sqlite_inserts.c -lsqlite3
echo "creation: 64 concurrent clients, wrk -t2 -c64 -d${secs}s; reference: single-row inserts"
c_runs=() s_runs=()
for round in 1 2 3; do
  before=$(sqlite3 "$work/bench.db" 'SELECT COUNT(*) FROM tasks')
  c_runs+=("$(rate -t2 -c64 -d"${secs}s" --timeout 10s -s "$work/create.lua" "http://127.0.0.1:$port/api/v1/tasks")")
  after=$(sqlite3 "$work/bench.db" 'SELECT COUNT(*) FROM tasks')
  rm -f "$work/raw.db"*
  s_runs+=("$("$work/sqlite_inserts" "$work/raw.db" 3000)")
  echo "  round $round: reform ${c_runs[-1]} tasks/s ($((after - before)) rows written), raw inserts ${s_runs[-1]} rows/s"
done
c=$(median "${c_runs[@]}"); s=$(median "${s_runs[@]}")
echo "  medians: reform $c tasks/s, raw single-row inserts $s rows/s: $(ratio "$c" "$s") of raw"
echo "server errors logged: $(grep -c ' error ' "$work/reform.log" || true)"
