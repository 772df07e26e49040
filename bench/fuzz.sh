#!/usr/bin/env bash
# The fuzz harnesses run long (docs/fuzzing.md), by hand, one after the other at the
# lowest priority: each for RUNS executions (ten million unless told), from its seeds
# and from what the runs before it found interesting, kept in var/fuzz/corpus/NAME.
#   bench/fuzz.sh [RUNS [HARNESS...]]
# Prints a line a harness (executions, seconds, result); findings go to
# var/fuzz/findings/, logs to var/fuzz/logs/.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10000000}
[ $# -gt 0 ] && shift
echo "fuzz: $runs executions each, $(nproc) cores, $(clang --version | head -n 1), $(git rev-parse --short HEAD)"
exec scripts/fuzz.sh --runs "$runs" --corpus var/fuzz/corpus "$@"
