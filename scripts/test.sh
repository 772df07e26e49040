#!/usr/bin/env bash
# Every test of Reform, as `make test` and CI run them:
#   1. install what is missing (Debian packages, npm packages, chromium)
#   2. build, and build again with AddressSanitizer and UndefinedBehaviorSanitizer
#   3. start a throwaway PostgreSQL (own folder and port, removed afterwards)
#   4. unit and storage conformance tests (CTest) on both backends, both builds
#   5. API tests against the real binary, on SQLite and on PostgreSQL, and on
#      the sanitizer build, each answer held to the OpenAPI document
#   6. static checks of the web UI (catalogs, stylesheet), without a browser
#   7. browser tests in headless chromium
#   8. the fuzz harnesses, 30 s each from their seeds (scripts/fuzz.sh, build-fuzz)
#   9. make lint (scripts/checksrc.sh, format and static checks of the C code),
#      lint of the OpenAPI document
# Prints one closing line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
export LC_ALL=C.UTF-8

scripts/deps.sh test || exit 1

jobs=$(nproc)
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null && cmake --build build -j "$jobs" || exit 1
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DRF_SANITIZE=ON >/dev/null &&
  cmake --build build-asan -j "$jobs" || exit 1

pgdir=$(mktemp -d /tmp/reform-pg.XXXXXX)
pgport=$((20000 + RANDOM % 20000))
cleanup() { scripts/pg.sh stop "$pgdir"; rm -f "${log:-}"; }
trap cleanup EXIT
pgurl=$(scripts/pg.sh start "$pgdir" "$pgport") || { echo "test: cannot start PostgreSQL"; exit 1; }
export RF_TEST_PG_URL=$pgurl

# Count tests, not steps: read CTest's and node's own summaries.
passed=0 failed=0 broken_steps=0
log=$(mktemp /tmp/reform-test-log.XXXXXX)
step() {
  local name=$1; shift
  echo "==> $name"
  "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]} p=0 f=0
  if grep -q "tests passed, .* tests failed out of" "$log"; then
    local total
    f=$(sed -n 's/.*tests passed, \([0-9]*\) tests failed out of \([0-9]*\).*/\1/p' "$log" | tail -n 1)
    total=$(sed -n 's/.*tests failed out of \([0-9]*\).*/\1/p' "$log" | tail -n 1)
    p=$((total - f))
  elif grep -q "^# pass " "$log"; then
    p=$(sed -n 's/^# pass \([0-9]*\)/\1/p' "$log" | tail -n 1)
    f=$(sed -n 's/^# fail \([0-9]*\)/\1/p' "$log" | tail -n 1)
  elif [ "$rc" -eq 0 ]; then
    p=1
  fi
  [ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
  passed=$((passed + p)) failed=$((failed + f))
  if [ "$rc" -ne 0 ]; then broken_steps=$((broken_steps + 1)); echo "FAILED: $name"; fi
}

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
step "unit and store tests" ctest --test-dir build --output-on-failure -j "$jobs"
step "unit and store tests (sanitizers)" ctest --test-dir build-asan --output-on-failure -j "$jobs"
step "API tests on SQLite" node --test tests/api/
step "API tests on PostgreSQL" env REFORM_TEST_PG_URL="$pgurl" node --test tests/api/
step "API tests on SQLite (sanitizers)" env REFORM_BIN=build-asan/reform node --test tests/api/
step "web UI static checks" node --test tests/static/
if [ -d tests/browser ] && ls tests/browser/*.test.mjs >/dev/null 2>&1; then
  step "browser tests" node --test tests/browser/
fi
step "fuzz harnesses (30 s each)" scripts/fuzz.sh --seconds 30
step "C source checks (make lint)" make lint
step "OpenAPI lint" web/node_modules/.bin/redocly lint docs/openapi.yaml --config docs/redocly.yaml

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$broken_steps" -eq 0 ]
