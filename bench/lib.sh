# What the benchmark scripts share; sourced with `. bench/lib.sh` after `cd` to the checkout.
# Sets $work (a fresh folder, removed at exit with the processes whose pid files are in it).

# wrk, nginx and sqlite3 from Debian when missing; build/reform when not built
bench_tools() {
  command -v wrk >/dev/null && [ -x /usr/sbin/nginx ] && command -v sqlite3 >/dev/null || {
    local sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get install -y -qq wrk nginx-light sqlite3 >/dev/null
  }
  [ -x build/reform ] || make build
}

work=$(mktemp -d /tmp/reform-bench.XXXXXX)
chmod 755 "$work" # nginx workers read the static files
trap 'kill $(cat "$work"/*.pid 2>/dev/null) 2>/dev/null; sleep 0.5; rm -rf "$work"' EXIT

# nginx_file NAME SIZE PORT: nginx on PORT serving NAME, SIZE random bytes, as a reference
nginx_file() {
  mkdir -p "$work/www"
  head -c "$2" /dev/urandom > "$work/www/$1"
  cat > "$work/nginx.conf" <<CONF
worker_processes $(nproc);
pid $work/nginx.pid;
error_log $work/nginx.err;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  keepalive_requests 1000000;
  keepalive_timeout 60;
  default_type application/json;
  server { listen 127.0.0.1:$3; root $work/www; }
}
CONF
  /usr/sbin/nginx -c "$work/nginx.conf"
  sleep 0.3
  [ "$(curl -s -o /dev/null -w "%{http_code}" "http://127.0.0.1:$3/$1")" = 200 ] ||
    { echo "nginx does not serve the file" >&2; exit 1; }
}

# wait_up [PORT] [TRIES]: until the server on PORT (default $port) answers /healthz, TRIES
# times 0.2 s at most (default 600); exits the script otherwise
wait_up() {
  for _ in $(seq "${2:-600}"); do curl -sf "http://127.0.0.1:${1:-$port}/healthz" >/dev/null && return; sleep 0.2; done
  exit 1
}

# signin USER: "cookie csrf" of the demo USER signed in on $port
signin() {
  local body
  body=$(curl -s -D "$work/headers" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"demo-$1\"}" "http://127.0.0.1:$port/api/v1/session")
  echo "$(sed -n 's/^Set-Cookie: \(reform_session=[^;]*\).*/\1/ip' "$work/headers" | tr -d '\r')" \
    "$(printf '%s' "$body" | python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])')"
}

# reform_proxy NAME PORT UPSTREAM-PORT...: nginx NAME with deploy/nginx/reform.conf, its "site"
# lines set: TLS on PORT (with $work/cert.pem, made once for 127.0.0.1), plain HTTP on PORT + 1,
# the processes on the UPSTREAM-PORTs; its folder is $work/NAME
reform_proxy() {
  local name=$1 tls=$2 dir=$work/$1; shift 2
  mkdir -p "$dir"
  [ -f "$work/cert.pem" ] || openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$work/key.pem" -out "$work/cert.pem" -days 2 -subj /CN=localhost \
    -addext subjectAltName=IP:127.0.0.1 2>/dev/null
  awk -v ups="$*" -v tls="$tls" -v work="$work" '
    / # site$/ && /server 127/ { if (!done) { n = split(ups, u, " "); for (i = 1; i <= n; i++)
                                   print "    server 127.0.0.1:" u[i] "; # site"; done = 1 }; next }
    / # site$/ && /listen 80;/ { print "    listen 127.0.0.1:" tls + 1 "; # site"; next }
    / # site$/ && /listen 443/ { print "    listen 127.0.0.1:" tls " ssl http2; # site"; next }
    / # site$/ && /ssl_certificate_key/ { print "    ssl_certificate_key " work "/key.pem; # site"; next }
    / # site$/ && /ssl_certificate / { print "    ssl_certificate " work "/cert.pem; # site"; next }
    / # site$/ { print "unknown site line: " $0 > "/dev/stderr"; exit 1 }
    { print }' deploy/nginx/reform.conf > "$dir/reform.conf"
  cat > "$dir/nginx.conf" <<CONF
worker_processes $(nproc);
pid $dir/nginx.pid;
error_log $dir/nginx.err;
events { worker_connections 1024; }
http { access_log off; client_body_temp_path $dir; proxy_temp_path $dir; include $dir/reform.conf; }
CONF
  /usr/sbin/nginx -c "$dir/nginx.conf" -e "$dir/nginx.err"
  cp "$dir/nginx.pid" "$work/nginx-$name.pid"
  sleep 0.3
}

# rate WRK-ARGS...: requests per second; a run with non-2xx answers or socket errors is refused
rate() {
  wrk "$@" > "$work/wrk.out"
  if grep -qE 'Non-2xx|Socket errors' "$work/wrk.out"; then cat "$work/wrk.out" >&2; exit 1; fi
  awk '/Requests\/sec/ {print $2}' "$work/wrk.out"
}

# cpu_ticks NAME: CPU time (user + system, in clock ticks) used so far by the processes called NAME
cpu_ticks() {
  local p t=0 stat rest
  for p in /proc/[0-9]*; do
    [ "$(cat "$p/comm" 2>/dev/null)" = "$1" ] || continue
    stat=$(cat "$p/stat" 2>/dev/null) || continue
    rest=${stat##*) } # the fields after the command's name, which may hold spaces
    set -- "$1" $rest
    t=$((t + ${13} + ${14})) # utime and stime: fields 14 and 15 of stat
  done
  echo "$t"
}

# per_op TICKS OPS: microseconds of CPU per operation
per_op() { python3 -c 'import os,sys; t = os.sysconf("SC_CLK_TCK"); print(round(int(sys.argv[1]) / t * 1e6 / max(int(sys.argv[2]), 1)))' "$1" "$2"; }

median() { python3 -c 'import statistics,sys; print(f"{statistics.median(map(float, sys.argv[1:])):.1f}")' "$@"; }
ratio() { python3 -c 'import sys; print(f"{float(sys.argv[1]) / float(sys.argv[2]) * 100:.1f}%")' "$1" "$2"; }

# lookup_rounds PORT WHAT: the citizen's lookup by code and phone, from the "CODE|PHONE" lines of
# $work/pairs.txt, beside nginx (on PORT + 1) serving a file of the answer's size: 3 rounds of
# wrk -t2 -c32 -d${secs}s each, alternating, then the medians and their ratio
lookup_rounds() {
  local port=$1 what=$2 first size r n r_runs=() n_runs=()
  cat > "$work/lookup.lua" <<LUA
local list = {}
for line in io.lines("$work/pairs.txt") do
  local code, phone = line:match("([^|]+)|([^|]+)")
  list[#list + 1] = "/api/v1/public/dossiers/" .. code .. "?phone=" .. phone
end
local i = 0
function request() i = i + 1; return wrk.format("GET", list[(i % #list) + 1]) end
LUA
  first=$(head -1 "$work/pairs.txt")
  curl -sf "http://127.0.0.1:$port/api/v1/public/dossiers/${first%|*}?phone=${first#*|}" > "$work/answer.json"
  size=$(stat -c %s "$work/answer.json")
  nginx_file answer.json "$size" $((port + 1))
  echo "lookup: by code and phone $what ($size bytes); wrk -t2 -c32 -d${secs}s, 3 rounds"
  for round in 1 2 3; do
    r_runs+=("$(rate -t2 -c32 -d"${secs}s" -s "$work/lookup.lua" "http://127.0.0.1:$port")")
    n_runs+=("$(rate -t2 -c32 -d"${secs}s" "http://127.0.0.1:$((port + 1))/answer.json")")
    echo "  round $round: reform ${r_runs[-1]} req/s, nginx ${n_runs[-1]} req/s"
  done
  r=$(median "${r_runs[@]}"); n=$(median "${n_runs[@]}")
  echo "  medians: reform $r req/s, nginx $n req/s: $(ratio "$r" "$n") of nginx"
}

# post_lua NAME BODY COOKIE CSRF: $work/NAME.lua, a wrk script that POSTs the JSON BODY as a
# signed-in user (the session cookie and its CSRF token)
post_lua() {
  cat > "$work/$1.lua" <<LUA
wrk.method = "POST"
wrk.body = '$2'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Cookie"] = "$3"
wrk.headers["X-CSRF-Token"] = "$4"
LUA
}

# moves_lua NAME CODES COOKIE CSRF: $work/NAME.lua, a wrk script for two threads (-t2) that hands
# over, as a signed-in user, each dossier whose code is a line of the file CODES, once, at version
# 1 (each thread takes every other line, so that no two requests move the same dossier)
moves_lua() {
  cat > "$work/$1.lua" <<LUA
local codes, made = {}, 0
for line in io.lines("$2") do codes[#codes + 1] = line end
function setup(thread)
  thread:set("id", made)
  made = made + 1
end
function init(args)
  n = id + 1
end
local headers = {["Content-Type"] = "application/json", ["Cookie"] = "$3", ["X-CSRF-Token"] = "$4"}
function request()
  local code = codes[n] or "none" -- out of dossiers: answered 404, and the round refused
  n = n + 2
  return wrk.format("POST", "/api/v1/dossiers/" .. code .. "/actions", headers, '{"action":"hand_over","version":1}')
end
LUA
}
