#!/usr/bin/env bash
# Instructions per request of the public lookup and of a durable receipt, this checkout beside
# an earlier revision built in the same run: valgrind's callgrind counts the server process's
# instructions, which come out the same however busy the machine is (wrk's rates on a shared
# machine do not). Each binary gets its own demo province with DOSSIERS dossiers; the lookup
# is counted over 900 lookups (300 codes with their phones, three times) after 300 uncounted,
# the receipt over 300 receipts after 50 uncounted, one keep-alive client each. With --pg the
# databases are on a throwaway PostgreSQL server (scripts/pg.sh), whose own work is not counted.
#   bench/instructions.sh [--pg] REVISION [DOSSIERS]       (DOSSIERS defaults to 20,000)
# Needs valgrind, sqlite3 and python3 (valgrind and sqlite3 installed from Debian when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
pg=""
[ "${1:-}" = --pg ] && { pg=1; shift; }
rev=${1:?usage: bench/instructions.sh [--pg] REVISION [DOSSIERS]}
count=${2:-20000}
. bench/lib.sh
command -v valgrind >/dev/null && command -v sqlite3 >/dev/null || {
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get install -y -qq valgrind sqlite3 >/dev/null
}
make build >/dev/null
web=$PWD/web

echo "building $rev..."
git worktree add -q --detach "$work/src" "$rev"
trap 'git worktree remove --force "$work/src" 2>/dev/null; [ -z "$pg" ] || scripts/pg.sh stop "$work/pg"; kill $(cat "$work"/*.pid 2>/dev/null) 2>/dev/null; sleep 0.5; rm -rf "$work"' EXIT
# built as this checkout's build/ is (make build: RelWithDebInfo unless BUILD_TYPE says otherwise)
type=$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' build/CMakeCache.txt)
cmake -S "$work/src" -B "$work/build" -DCMAKE_BUILD_TYPE="${type:-RelWithDebInfo}" >/dev/null
cmake --build "$work/build" -j "$(nproc)" --target reform >/dev/null

port=$((20000 + RANDOM % 12000))
if [ -n "$pg" ]; then
  server=$(scripts/pg.sh start "$work/pg" $((port + 1)))
  server=${server%/postgres}
fi
# url WHICH: the database of a release;  q WHICH SQL: rows of a query on it, fields split by '|'
url() { if [ -n "$pg" ]; then echo "$server/bench_$1"; else echo "sqlite:$work/$1.db"; fi; }
q() { if [ -n "$pg" ]; then psql "$(url "$1")" -At -F '|' -c "$2"; else sqlite3 "$work/$1.db" "$2"; fi; }
up() { for _ in $(seq 600); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && return; sleep 0.2; done; exit 1; }

# counted NAME BINARY URL THREADS CLIENT DATA: the instructions the client's counted part cost
counted() {
  local name=$1 bin=$2 db=$3 threads=$4 client=$5 data=$6 pid
  (cd "$work" && exec valgrind --tool=callgrind --callgrind-out-file="$work/$name.cg" --instr-atstart=no \
    "$bin" serve --db "$db" --listen 127.0.0.1:$port --quiet \
    --threads "$threads" --web "$web" >/dev/null 2>"$work/$name.vg") &
  echo $! > "$work/valgrind.pid"
  up
  pid=$(cat "$work/valgrind.pid")
  python3 - "$port" "$data" "$pid" <<<"$client"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -f "$work/valgrind.pid"
  callgrind_annotate "$work/$name.cg" 2>/dev/null | awk '/PROGRAM TOTALS/ && !n++ {gsub(",", "", $1); print $1}'
}

lookup='
import http.client, subprocess, sys
port, data, pid = int(sys.argv[1]), sys.argv[2], sys.argv[3]
pairs = [line.split("|") for line in data.split()]
c = http.client.HTTPConnection("127.0.0.1", port)
def go(rounds):
    for _ in range(rounds):
        for code, phone in pairs:
            c.request("GET", f"/api/v1/public/dossiers/{code}?phone={phone}")
            r = c.getresponse(); r.read(); assert r.status == 200, r.status
go(1)
subprocess.run(["callgrind_control", "-i", "on", pid], capture_output=True, check=True)
go(3)
subprocess.run(["callgrind_control", "-i", "off", pid], capture_output=True, check=True)
'
receipt='
import http.client, json, subprocess, sys
port, code, pid = int(sys.argv[1]), sys.argv[2], sys.argv[3]
c = http.client.HTTPConnection("127.0.0.1", port)
c.request("POST", "/api/v1/session", json.dumps({"username": "clerk.hcc", "password": "demo-clerk.hcc"}),
          {"Content-Type": "application/json"})
r = c.getresponse(); body = json.loads(r.read()); assert r.status == 201, r.status
h = {"Content-Type": "application/json", "Cookie": r.getheader("Set-Cookie").split(";")[0],
     "X-CSRF-Token": body["csrf_token"]}
b = json.dumps({"procedure_code": code, "applicant_name": "Nguyễn Văn Đô", "applicant_phone": "0912345678"})
def go(n):
    for _ in range(n):
        c.request("POST", "/api/v1/dossiers", b, h); r = c.getresponse(); r.read(); assert r.status == 201, r.status
go(50)
subprocess.run(["callgrind_control", "-i", "on", pid], capture_output=True, check=True)
go(300)
subprocess.run(["callgrind_control", "-i", "off", pid], capture_output=True, check=True)
'

declare -A per
for which in before this; do
  bin=$PWD/build/reform
  [ $which = before ] && bin=$work/build/reform
  db=$(url $which)
  [ -z "$pg" ] || psql "$server/postgres" -q -c "CREATE DATABASE bench_$which"
  echo "$which: a demo province with $count dossiers..."
  (cd "$work" && exec "$bin" serve --db "$db" --demo --demo-dossiers "$count" \
    --listen 127.0.0.1:$port --quiet --web "$web" >/dev/null 2>"$work/$which.log") &
  echo $! > "$work/demo.pid"
  up
  kill "$(cat "$work/demo.pid")"; wait "$(cat "$work/demo.pid")" 2>/dev/null || true
  rm -f "$work/demo.pid"
  pairs=$(q $which "SELECT code, applicant_phone FROM dossiers ORDER BY code LIMIT 300")
  procedure=$(q $which "SELECT code FROM procedures WHERE level = 'province' ORDER BY id LIMIT 1")
  per[$which-lookup]=$(($(counted "$which-lookup" "$bin" "$db" 1 "$lookup" "$pairs") / 900))
  per[$which-receipt]=$(($(counted "$which-receipt" "$bin" "$db" 2 "$receipt" "$procedure") / 300))
done

echo "instructions per request, $rev beside $(git rev-parse --short HEAD) ($count dossiers, $([ -n "$pg" ] && echo PostgreSQL || echo SQLite)):"
for what in lookup receipt; do
  python3 -c 'import sys; b, t = int(sys.argv[2]), int(sys.argv[3]); print(f"  {sys.argv[1]:8} {b:>10,} before  {t:>10,} this  {(t - b) / b * 100:+.1f}%")' \
    "$what" "${per[before-$what]}" "${per[this-$what]}"
done
