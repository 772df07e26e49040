#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests: its own data folder and port,
# trust authentication on 127.0.0.1 only.
#   scripts/pg.sh start DIR PORT    initdb DIR and start the server
#   scripts/pg.sh stop DIR          stop it and remove DIR
# A primary with a synchronous standby, for the tests of a failover:
#   scripts/pg.sh primary DIR PORT          as start, set up for streaming replication:
#                                           each commit waits for the standby named 'standby',
#                                           so make it before writing anything
#   scripts/pg.sh standby DIR PORT PRIMARY  a copy of the primary on port PRIMARY made by
#                                           pg_basebackup -R, started, and waited for until
#                                           the primary replicates to it synchronously
#   scripts/pg.sh crash DIR                 SIGKILL the server's postmaster and every child
#                                           of it at once, as a power cut would
#   scripts/pg.sh promote DIR               make the standby a primary (pg_ctl promote)
# Each start prints the server's URL.
set -euo pipefail
cmd=$1 dir=$2
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bindir" ] || { echo "pg.sh: PostgreSQL server binaries not found" >&2; exit 1; }
standby_name=standby

# initdb refuses to run as root: run the server as the postgres account then
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# own_folder DIR: DIR made, and the server's account's
own_folder() {
  mkdir -p "$1"
  [ "$(id -u)" -eq 0 ] && chown postgres "$1"
  return 0
}

# run_server PORT SETTINGS...: start the server of $dir/data on PORT with more -c settings
run_server() {
  local port=$1
  shift
  as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=on -c max_connections=200 $*" >/dev/null
  echo "postgresql://postgres@127.0.0.1:$port/postgres"
}

# psql_at PORT SQL: one value from the server on PORT
psql_at() {
  psql -X -At -h 127.0.0.1 -p "$1" -U postgres -d postgres -c "$2"
}

case "$cmd" in
start)
  own_folder "$dir"
  as_owner "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log"
  run_server "$3"
  ;;
primary)
  # initdb's pg_hba.conf already trusts replication connections from 127.0.0.1. The settings
  # go on the command line, not into postgresql.conf, so that the standby's copy does not
  # inherit them: promoted, it has no standby of its own to wait for.
  own_folder "$dir"
  as_owner "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log"
  run_server "$3" -c wal_level=replica -c max_wal_senders=4 -c synchronous_commit=on \
    -c synchronous_standby_names=$standby_name
  ;;
standby)
  port=$3 primary=$4
  own_folder "$dir"
  # -R writes primary_conninfo (with the name the primary waits for) and standby.signal
  as_owner "$bindir/pg_basebackup" -D "$dir/data" -R -X stream -c fast \
    -d "host=127.0.0.1 port=$primary user=postgres application_name=$standby_name" 2>"$dir/basebackup.log"
  run_server "$port"
  for _ in $(seq 300); do
    [ "$(psql_at "$primary" "SELECT sync_state FROM pg_stat_replication WHERE application_name = '$standby_name'")" = sync ] &&
      exit 0
    sleep 0.1
  done
  echo "pg.sh: the standby on port $port does not replicate synchronously from port $primary" >&2
  exit 1
  ;;
crash)
  pid=$(head -n 1 "$dir/data/postmaster.pid")
  # stopped first, so that no process sees another die and acts on it before it dies itself
  procs="$pid $(ps -o pid= --ppid "$pid" | tr '\n' ' ')"
  # shellcheck disable=SC2086
  kill -STOP $procs
  # shellcheck disable=SC2086
  kill -KILL $procs
  ;;
promote)
  as_owner "$bindir/pg_ctl" -D "$dir/data" -w -t 60 promote >/dev/null
  ;;
stop)
  if [ -d "$dir/data" ]; then
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  ;;
*)
  echo "usage: pg.sh start DIR PORT | stop DIR | primary DIR PORT | standby DIR PORT PRIMARY_PORT" \
    "| crash DIR | promote DIR" >&2
  exit 2
  ;;
esac
