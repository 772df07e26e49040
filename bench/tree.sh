#!/usr/bin/env bash
# Benchmark: an authenticated read of a unit's subtree (20,000 units) beside
# nginx serving a static file of the same size, in the same run, with the
# same wrk settings. Prints both rates and their ratio.
#   bench/tree.sh [SECONDS] [CONNECTIONS] [ROUNDS]
# Needs wrk and nginx (installed from Debian when missing) and build/reform.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10} conns=${2:-32} rounds=${3:-3}
. bench/lib.sh
bench_tools
db=sqlite:$work/bench.db

# 1 province, 100 districts of 199 communes each: 20,001 units in force on 2024-06-30
awk 'BEGIN {
  print "code,name,kind,parent_code,valid_from,valid_to,successor_code,generated"
  print "42,Tỉnh Hà Tĩnh,province,,2020-01-01,,,1"
  for (d = 1; d <= 100; d++) {
    printf "D%03d,Huyện Số %d,district,42,2020-01-01,2025-07-01,42,1\n", d, d
    for (c = 1; c <= 199; c++)
      printf "C%03d%03d,Xã Số %d của huyện %d,commune,D%03d,2020-01-01,2025-07-01,42,1\n", d, c, c, d, d
  }
}' > "$work/units.csv"
build/reform import units "$work/units.csv" --db "$db" >/dev/null
echo "tree-reader-secret-7d2f" | build/reform user add bench --name "Bench Admin" --unit 42 \
  --roles admin --db "$db" >/dev/null

port=$((20000 + RANDOM % 12000))
build/reform serve --db "$db" --listen 127.0.0.1:$port --quiet --web web 2>"$work/reform.log" &
echo $! > "$work/reform.pid"
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
cookie=$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
  -d '{"username":"bench","password":"tree-reader-secret-7d2f"}' \
  "http://127.0.0.1:$port/api/v1/session" | sed -n 's/^Set-Cookie: \(reform_session=[^;]*\).*/\1/ip' | tr -d '\r')
url="http://127.0.0.1:$port/api/v1/units/1/tree?date=2024-06-30"
curl -sf -H "Cookie: $cookie" "$url" > "$work/tree.json"
size=$(stat -c %s "$work/tree.json")
units=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["items"]))' "$work/tree.json")

# nginx serving a file of the same size
nport=$((port + 1))
nginx_file tree.json "$size" "$nport"
run() { rate -t2 -c"$conns" -d"${secs}s" --timeout 10s "$@"; }
echo "subtree: $units units, $size bytes; wrk -t2 -c$conns -d${secs}s, $rounds rounds alternating"
reform_runs=() nginx_runs=()
for round in $(seq "$rounds"); do
  reform_runs+=("$(run -H "Cookie: $cookie" "$url")")
  nginx_runs+=("$(run "http://127.0.0.1:$nport/tree.json")")
  echo "round $round: reform ${reform_runs[-1]} req/s, nginx ${nginx_runs[-1]} req/s"
done
errors=$(grep -c ' error ' "$work/reform.log" || true)
python3 - "${reform_runs[*]}" "${nginx_runs[*]}" <<'PY'
import statistics, sys
r = statistics.median(map(float, sys.argv[1].split()))
n = statistics.median(map(float, sys.argv[2].split()))
print(f"reform (authenticated subtree), median: {r:.1f} req/s")
print(f"nginx (static file, same size), median: {n:.1f} req/s")
print(f"ratio: {r / n * 100:.1f}% of nginx")
PY
echo "server errors logged: $errors"
