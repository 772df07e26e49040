#!/usr/bin/env bash
# The whole deployment of docs/operations.md on one machine: a PostgreSQL primary with a
# synchronous standby (scripts/pg.sh), three `reform serve` processes on the primary through a
# multi-host URL (target_session_attrs=read-write), started with the command line of
# deploy/systemd/reform@.service, and nginx before them with deploy/nginx/reform.conf (TLS,
# a certificate made for the run). It loads the demo province, checks a receipt through nginx,
# prints where everything is, and holds until Ctrl-C; then it stops and removes it all.
#   bench/stack.sh [--demo-dossiers N] [--check]
#     --demo-dossiers N   the demo year's dossiers (default 0)
#     --check             stop after the receipt instead of holding
# Needs nginx, openssl, PostgreSQL's server, curl (installed from Debian when missing) and
# build/reform.
set -euo pipefail
cd "$(dirname "$0")/.."
dossiers=0 hold=1
while [ $# -gt 0 ]; do
  case "$1" in
  --demo-dossiers) dossiers=$2; shift 2 ;;
  --check) hold=0; shift ;;
  *) echo "usage: bench/stack.sh [--demo-dossiers N] [--check]" >&2; exit 2 ;;
  esac
done
. bench/lib.sh
bench_tools
command -v openssl >/dev/null && [ -x "$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)/pg_basebackup" ] || {
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get install -y -qq openssl postgresql >/dev/null
}
base=$((20000 + RANDOM % 12000))
p1=$base p2=$((base + 1)) tls=$((base + 10))
trap 'kill $(cat "$work"/*.pid 2>/dev/null) 2>/dev/null; sleep 0.5;
      scripts/pg.sh stop "$work/standby"; scripts/pg.sh stop "$work/primary"; rm -rf "$work"' EXIT

echo "PostgreSQL: primary on $p1, synchronous standby on $p2"
scripts/pg.sh primary "$work/primary" "$p1" >/dev/null
scripts/pg.sh standby "$work/standby" "$p2" "$p1" >/dev/null
psql -q "postgresql://postgres@127.0.0.1:$p1/postgres" -c "CREATE DATABASE reform"
url="postgresql://postgres@127.0.0.1:$p1,127.0.0.1:$p2/reform?target_session_attrs=read-write"

# the unit's command line, its folders and port set for this run
exec_line=$(sed -n 's/^ExecStart=//p' deploy/systemd/reform@.service)
ports=()
for i in 1 2 3; do
  port=$((base + 20 + i))
  ports+=("$port")
  line=${exec_line//\/opt\/reform\/build\/reform/build/reform}
  line=${line//\/opt\/reform\/web/web}
  line=${line//\/var\/lib\/reform\/keys/$work/keys}
  line=${line//%i/$port}
  demo=()
  [ "$i" = 1 ] && demo=(--demo --demo-dossiers "$dossiers")
  # shellcheck disable=SC2086
  REFORM_DB=$url $line "${demo[@]}" >"$work/serve-$i.out" 2>"$work/reform-$i.log" &
  echo $! > "$work/reform-$i.pid"
  for _ in $(seq 1200); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.25; done
  curl -sf "http://127.0.0.1:$port/healthz" >/dev/null || { cat "$work/reform-$i.log" >&2; exit 1; }
done
echo "reform: three processes on ${ports[*]}"

reform_proxy edge "$tls" "${ports[@]}"
edge="https://127.0.0.1:$tls"
echo "nginx: $edge (TLS, certificate $work/cert.pem), http://127.0.0.1:$((tls + 1)) redirects"

# a receipt through nginx, then read back on the standby
body=$(curl -s --cacert "$work/cert.pem" -D "$work/headers" -H 'Content-Type: application/json' \
  -d '{"username":"clerk.hcc","password":"demo-clerk.hcc"}' "$edge/api/v1/session")
cookie=$(sed -n 's/^set-cookie: \(reform_session=[^;]*\).*/\1/ip' "$work/headers" | tr -d '\r')
csrf=$(printf '%s' "$body" | python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])')
code=$(psql "postgresql://postgres@127.0.0.1:$p1/reform" -At -c "SELECT code FROM procedures WHERE level = 'province' ORDER BY id LIMIT 1")
dossier=$(curl -s --cacert "$work/cert.pem" -H "Cookie: $cookie" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
  -d "{\"procedure_code\":\"$code\",\"applicant_name\":\"Nguyễn Văn Thử\",\"applicant_phone\":\"0912345678\"}" \
  "$edge/api/v1/dossiers" | python3 -c 'import json,sys; print(json.load(sys.stdin)["code"])')
# on disk on the standby when acknowledged; seen there once replayed, moments later
for _ in $(seq 50); do
  on_standby=$(psql "postgresql://postgres@127.0.0.1:$p2/reform" -At -c "SELECT COUNT(*) FROM dossiers WHERE code = '$dossier'")
  [ "$on_standby" = 1 ] && break
  sleep 0.1
done
echo "a receipt through nginx: $dossier; on the standby: $on_standby"
[ "$on_standby" = 1 ]
if [ "$hold" = 1 ]; then
  echo "sign in at $edge as in the demo (admin / demo-admin, ...); Ctrl-C stops it all"
  while sleep 3600; do :; done
fi
