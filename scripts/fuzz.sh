#!/usr/bin/env bash
# Builds the fuzz harnesses (build-fuzz: clang, libFuzzer, ASan and UBSan) and runs
# each in turn at the lowest priority, from its committed seeds (fuzz/corpus/fuzz_NAME)
# and its dictionary (fuzz/fuzz_NAME.dict). See docs/fuzzing.md.
#   scripts/fuzz.sh --seconds S [HARNESS...]          S seconds each (make test: 30)
#   scripts/fuzz.sh --runs N --corpus DIR [HARNESS...] N executions each, new inputs kept
#                                                      in DIR/NAME (bench/fuzz.sh); the harnesses
#                                                      that change the demo province (csv, json)
#                                                      in jobs of a fresh process each (-fork=1)
# Without --corpus, new inputs go to a temporary folder. A finding is written to
# var/fuzz/findings/NAME-*, the run's log to var/fuzz/logs/NAME.log. Prints a line a
# harness (executions, seconds, result), then "# pass N" and "# fail N"; exits 1 when a
# harness found anything.
set -uo pipefail
cd "$(dirname "$0")/.."

limit=() corpus="" names=() fork=""
while [ $# -gt 0 ]; do
  case $1 in
  --seconds) limit=(-max_total_time="$2"); shift 2 ;;
  --runs) limit=(-runs="$2") fork=1; shift 2 ;;
  --corpus) corpus=$2; shift 2 ;;
  -*) echo "usage: scripts/fuzz.sh (--seconds S | --runs N) [--corpus DIR] [HARNESS...]" >&2; exit 2 ;;
  *) names+=("$1"); shift ;;
  esac
done
[ ${#limit[@]} -gt 0 ] || { echo "fuzz: --seconds or --runs is required" >&2; exit 2; }
[ ${#names[@]} -gt 0 ] || names=(period calendar csv route cursor json)

CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRF_FUZZ=ON >/dev/null &&
  cmake --build build-fuzz -j "$(nproc)" --target fuzz >/dev/null || { echo "fuzz: build failed" >&2; exit 1; }

tmp=""
if [ -z "$corpus" ]; then
  tmp=$(mktemp -d /tmp/reform-fuzz.XXXXXX)
  trap 'rm -rf "$tmp"' EXIT
  corpus=$tmp
fi
mkdir -p var/fuzz/findings var/fuzz/logs
export ASAN_OPTIONS=${ASAN_OPTIONS:-}${ASAN_OPTIONS:+:}detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
command -v llvm-symbolizer >/dev/null && export ASAN_SYMBOLIZER_PATH=$(command -v llvm-symbolizer)

passed=0 failed=0
for name in "${names[@]}"; do
  bin=build-fuzz/fuzz/fuzz_$name log=var/fuzz/logs/$name.log flags=()
  [ -x "$bin" ] || { echo "fuzz_$name: no such harness"; failed=$((failed + 1)); continue; }
  [ -f "fuzz/fuzz_$name.dict" ] && flags=(-dict="fuzz/fuzz_$name.dict")
  # what changes leave in the demo province stays bounded by a job's length (docs/fuzzing.md)
  [ -n "$fork" ] && case $name in csv | json) flags+=(-fork=1) ;; esac
  mkdir -p "$corpus/$name"
  started=$(date +%s)
  nice -n 19 "$bin" "${limit[@]}" "${flags[@]}" -print_final_stats=1 -timeout=60 -rss_limit_mb=4096 \
    -artifact_prefix="var/fuzz/findings/$name-" "$corpus/$name" "fuzz/corpus/fuzz_$name" >"$log" 2>&1
  rc=$?
  seconds=$(($(date +%s) - started))
  runs=$(sed -n -e 's/^stat::number_of_executed_units: *//p' -e 's/^INFO: fuzzed for \([0-9]*\) iterations.*/\1/p' "$log" | tail -n 1)
  if [ "$rc" -eq 0 ]; then
    result=ok passed=$((passed + 1))
  else
    result="FOUND (exit $rc): $(grep -ao 'Test unit written to .*' "$log" | tail -n 1)"
    failed=$((failed + 1))
  fi
  echo "fuzz_$name: ${runs:-?} executions in ${seconds} s (${runs:+$((runs / (seconds > 0 ? seconds : 1)))}/s), $result"
  if [ "$rc" -ne 0 ]; then
    grep -a -m 1 -A 40 -E '==== finding|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error' "$log" | head -60
  fi
done
echo "# pass $passed"
echo "# fail $failed"
[ "$failed" -eq 0 ]
