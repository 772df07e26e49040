#!/usr/bin/env bash
# A failover's cost to the writers: a PostgreSQL primary with a synchronous standby (scripts/pg.sh,
# each on its own folder and port, fsync on), Reform on the multi-host URL
# (target_session_attrs=read-write), receipts (POST /api/v1/dossiers) under load by wrk; then the
# primary killed (SIGKILL of its postmaster and every child at once) and the standby promoted at
# once, as a failover manager would. A probe posts one receipt after another with curl from the
# kill on, and the report gives, per round, the time from the kill and from the promotion to the
# first receipt acknowledged (201) by the promoted server, with the answers meanwhile.
#   bench/failover.sh [ROUNDS] [CLIENTS]      (defaults 3 and 16; BENCH_PORT=N for the ports from N)
# Needs wrk, curl, PostgreSQL's server (installed from Debian when missing) and build/reform.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
clients=${2:-16}
. bench/lib.sh
bench_tools
command -v pg_basebackup >/dev/null || {
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get install -y -qq postgresql >/dev/null
}
trap 'kill $(cat "$work"/*.pid 2>/dev/null) 2>/dev/null; sleep 0.5
      for d in "$work"/primary* "$work"/standby*; do [ -d "$d" ] && scripts/pg.sh stop "$d"; done
      rm -rf "$work"' EXIT

port=${BENCH_PORT:-$((20000 + RANDOM % 12000))} # reform; PostgreSQL on the next two
now() { date +%s.%N; }
ms() { python3 -c 'import sys; print(f"{(float(sys.argv[2]) - float(sys.argv[1])) * 1000:.0f}")' "$1" "$2"; }

echo "PostgreSQL $(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1 | cut -d/ -f5), a primary with" \
  "one synchronous standby on this machine, fsync on; Reform on both hosts' URL"
echo "receipts by wrk -t2 -c$clients through the failover; the probe: one curl receipt after another"
kill_runs=() promote_runs=()
for round in $(seq "$rounds"); do
  p1=$((port + 2)) p2=$((port + 3))
  primary=$work/primary$round standby=$work/standby$round
  scripts/pg.sh primary "$primary" "$p1" >/dev/null
  scripts/pg.sh standby "$standby" "$p2" "$p1" >/dev/null
  psql -q "postgresql://postgres@127.0.0.1:$p1/postgres" -c "CREATE DATABASE reform"
  url="postgresql://postgres@127.0.0.1:$p1,127.0.0.1:$p2/reform?target_session_attrs=read-write"
  build/reform serve --db "$url" --listen 127.0.0.1:$port --quiet --web web --demo --demo-dossiers 0 \
    >"$work/serve.out" 2>>"$work/reform$round.log" &
  echo $! > "$work/reform.pid"
  wait_up
  read -r cookie csrf <<<"$(signin clerk.hcc)"
  code=$(psql -At "$url" -c "SELECT code FROM procedures WHERE level = 'province' ORDER BY id LIMIT 1")
  body='{"procedure_code":"'"$code"'","applicant_name":"Nguyễn Văn Đo","applicant_phone":"0912345678"}'
  post_lua receive "$body" "$cookie" "$csrf"
  wrk -t2 -c"$clients" -d30s --timeout 10s -s "$work/receive.lua" "http://127.0.0.1:$port/api/v1/dossiers" \
    >"$work/wrk$round.out" &
  echo $! > "$work/wrk.pid"
  sleep 3 # under load

  # the probe, from the kill on: a receipt sent after it and answered 201 is on the promoted server
  probe() {
    local status
    for _ in $(seq 3000); do
      status=$(curl -s -o /dev/null -w '%{http_code}' -m 30 -X POST -H 'Content-Type: application/json' \
        -H "Cookie: $cookie" -H "X-CSRF-Token: $csrf" -d "$body" "http://127.0.0.1:$port/api/v1/dossiers")
      echo "$(now) $status"
      [ "$status" = 201 ] && return
    done
  }
  killed=$(now)
  scripts/pg.sh crash "$primary"
  probe > "$work/probe$round.out" &
  probing=$!
  promoting=$(now)
  scripts/pg.sh promote "$standby"
  promoted=$(now)
  wait "$probing"
  read -r first status < <(tail -n 1 "$work/probe$round.out")
  [ "$status" = 201 ] || { echo "round $round: no receipt acknowledged after the failover" >&2; exit 1; }
  kill "$(cat "$work/wrk.pid")" 2>/dev/null || true
  kill "$(cat "$work/reform.pid")"
  wait "$(cat "$work/reform.pid")" 2>/dev/null || true
  rm -f "$work/wrk.pid" "$work/reform.pid"
  kill_runs+=("$(ms "$killed" "$first")")
  promote_runs+=("$(ms "$promoting" "$first")")
  refused=$(grep -c ' 503$' "$work/probe$round.out" || true)
  echo "  round $round: the first receipt acknowledged ${kill_runs[-1]} ms after the kill;" \
    "pg_ctl promote -w began $(ms "$killed" "$promoting") ms after the kill and took" \
    "$(ms "$promoting" "$promoted") ms; from its start ${promote_runs[-1]} ms, from its return" \
    "$(ms "$promoted" "$first") ms; the probe before: $refused x 503," \
    "$(( $(wc -l < "$work/probe$round.out") - refused - 1 )) other"
  scripts/pg.sh stop "$standby"
  scripts/pg.sh stop "$primary"
done
echo "  medians: from the kill $(median "${kill_runs[@]}") ms, from the promotion's start" \
  "$(median "${promote_runs[@]}") ms"
echo "server errors logged (the lost connections): $(cat "$work"/reform*.log | grep -c ' error ' || true)"
