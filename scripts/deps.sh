#!/usr/bin/env bash
# Installs what Reform needs on Debian 12, only when something is missing.
#   scripts/deps.sh run    packages to build and run the server
#   scripts/deps.sh test   also PostgreSQL, nginx, Chromium, clang with libFuzzer and the npm test tools
set -euo pipefail
cd "$(dirname "$0")/.."
profile=${1:-run}

packages=(gcc make cmake pkg-config libmicrohttpd-dev libjansson-dev libsodium-dev
          libsqlite3-dev libpq-dev libutf8proc-dev libcmocka-dev libxlsxwriter-dev libzxcvbn-dev python3
          python3-yaml)
if [ "$profile" = test ]; then
  # clang with libFuzzer's runtime (libclang_rt.fuzzer: libclang-rt-14-dev, which clang-14
  # does not pull in) and llvm-symbolizer (llvm) for the fuzz harnesses
  packages+=(sqlite3 postgresql nginx openssl chromium curl clang-format cppcheck unzip clang libclang-rt-14-dev
             llvm)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
command -v node >/dev/null && command -v npm >/dev/null || missing+=(nodejs npm)

if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The web UI's packages, pinned by web/package-lock.json, copied into web/vendor/.
if [ -f web/package-lock.json ]; then
  if [ ! -d web/node_modules ] || [ web/package-lock.json -nt web/node_modules/.package-lock.json ]; then
    echo "deps: npm ci in web/"
    npm ci --prefix web --no-audit --no-fund --loglevel=error
  fi
  node web/scripts/vendor.mjs
fi
