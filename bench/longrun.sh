#!/usr/bin/env bash
# A long run of mixed load on each backend: lookups, durable receipts, the moves that follow
# them, the dossier list and the service center's figures, by 16 clients for MINUTES, with the
# server's resident memory, open descriptors, threads and (on PostgreSQL) database
# connections sampled every 30 s. What must hold: after the warm-up they stay flat.
#   bench/longrun.sh [MINUTES] [BACKENDS]       (defaults 30 and "sqlite postgresql")
# Needs wrk and PostgreSQL's server (installed from Debian when missing) and build/reform.
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-30}
backends=${2:-sqlite postgresql}
. bench/lib.sh
bench_tools
port=$((20000 + RANDOM % 12000))
trap 'kill $(cat "$work"/*.pid 2>/dev/null) 2>/dev/null; sleep 0.5; scripts/pg.sh stop "$work/pg"; rm -rf "$work"' EXIT


# mixed.lua: of every 10 requests, 4 lookups of dossiers received during the run, 2 receipts,
# 2 moves (the desk hands over what it received), 1 list of the desk's dossiers and 1 yearly
# figures. Each wrk thread keeps the codes it received.
mixed_lua() { # mixed_lua COOKIE CSRF PROCEDURE
  cat > "$work/mixed.lua" <<LUA
local n, received, handed = 0, {}, 0
local receipt = '{"procedure_code":"$3","applicant_name":"Nguyễn Văn Dài","applicant_phone":"0912345678"}'
local kind
local headers = {["Content-Type"] = "application/json", ["Cookie"] = "$1", ["X-CSRF-Token"] = "$2"}
function request()
  n = n + 1
  local k = n % 10
  if #received > 0 and k < 4 then
    kind = "lookup"
    local code = received[(n % #received) + 1]
    return wrk.format("GET", "/api/v1/public/dossiers/" .. code .. "?phone=0912345678", {})
  elseif handed < #received and (k == 4 or k == 5) then
    kind = "move"
    handed = handed + 1
    return wrk.format("POST", "/api/v1/dossiers/" .. received[handed] .. "/actions", headers,
                      '{"action":"hand_over","version":1}')
  elseif k == 8 then
    kind = "list"
    return wrk.format("GET", "/api/v1/dossiers?limit=20", headers)
  elseif k == 9 then
    kind = "figures"
    return wrk.format("GET", "/api/v1/dossiers/stats?period=2025-07-01..2026-06-30", headers)
  end
  kind = "receipt"
  return wrk.format("POST", "/api/v1/dossiers", headers, receipt)
end
function response(status, hdrs, body)
  if kind == "receipt" and status == 201 then
    local code = body:match('"code":"([^"]+)"')
    if code then
      received[#received + 1] = code
      if #received > 5000 then table.remove(received, 1); handed = math.max(handed - 1, 0) end
    end
  end
end
LUA
}

sample() { # sample PID DB: one line of the server's figures
  local pid=$1 conns="-"
  [ "$2" = postgresql ] && conns=$(psql "$pgurl" -At -c "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = 'reform'")
  echo "$(awk '/VmRSS/ {print $2}' "/proc/$pid/status") $(ls "/proc/$pid/fd" | wc -l)" \
    "$(awk '/Threads/ {print $2}' "/proc/$pid/status") $conns"
}

for backend in $backends; do
  if [ "$backend" = postgresql ]; then
    server=$(scripts/pg.sh start "$work/pg" $((port + 2)))
    psql -q "$server" -c "CREATE DATABASE reform"
    pgurl=${server%/postgres}/reform
    db=$pgurl
  else
    db=sqlite:$work/long.db
  fi
  build/reform serve --db "$db" --listen 127.0.0.1:$port --quiet --web web --demo --demo-dossiers 20000 \
    >"$work/serve.out" 2>>"$work/reform.log" &
  pid=$!
  echo $pid > "$work/reform.pid"
  wait_up
  read -r cookie csrf <<<"$(signin clerk.hcc)"
  if [ "$backend" = postgresql ]; then
    procedure=$(psql "$pgurl" -At -c "SELECT code FROM procedures WHERE level = 'province' ORDER BY id LIMIT 1")
  else
    procedure=$(sqlite3 "$work/long.db" "SELECT code FROM procedures WHERE level = 'province' ORDER BY id LIMIT 1")
  fi
  mixed_lua "$cookie" "$csrf" "$procedure"
  echo "$backend: ${minutes} min of mixed load, wrk -t2 -c16; every 30 s: RSS KiB, fds, threads, db connections"
  wrk -t2 -c16 -d"${minutes}m" --timeout 30s -s "$work/mixed.lua" "http://127.0.0.1:$port" > "$work/wrk.out" &
  wrk_pid=$!
  : > "$work/samples"
  t=0
  while kill -0 $wrk_pid 2>/dev/null; do
    s=$(sample $pid "$backend")
    echo "$t $s" >> "$work/samples"
    echo "  t=${t}s rss=$(echo "$s" | cut -d' ' -f1) fds=$(echo "$s" | cut -d' ' -f2)" \
      "threads=$(echo "$s" | cut -d' ' -f3) conns=$(echo "$s" | cut -d' ' -f4)"
    sleep 30; t=$((t + 30))
  done
  wait $wrk_pid || true
  grep -E "Requests/sec|Non-2xx|Socket errors|requests in" "$work/wrk.out" | sed 's/^/  /'
  # after a warm-up of a sixth of the run: the first sample, the last and the extremes
  python3 - "$work/samples" "$minutes" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
warm = int(sys.argv[2]) * 10  # seconds: a sixth of the run
after = [r for r in rows if int(r[0]) >= warm] or rows
for i, name in [(1, "RSS KiB"), (2, "fds"), (3, "threads"), (4, "db connections")]:
    vals = [r[i] for r in after]
    if vals[0] == "-":
        continue
    v = list(map(int, vals))
    print(f"  {name}: at {after[0][0]} s {v[0]}, at the end {v[-1]}, min {min(v)}, max {max(v)}")
PY
  echo "  server errors logged: $(grep -c ' error ' "$work/reform.log" || true)"
  kill $pid; wait $pid 2>/dev/null || true
  : > "$work/reform.log"
done
