#!/usr/bin/env bash
# Installs what webtorch needs on a fresh Debian 12 machine: the toolchain from Debian's
# packages and the npm dev dependencies from the lockfile.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
[ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null && SUDO="sudo"
# clang + libclang-rt-14-dev: the libFuzzer targets (tests/fuzz); g++ has ASan/UBSan itself.
PACKAGES="emscripten cmake make g++ googletest libgtest-dev nlohmann-json3-dev zlib1g-dev chromium clang libclang-rt-14-dev"
missing=""
for p in $PACKAGES; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ]; then
  echo "setup: installing$missing"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
fi
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
