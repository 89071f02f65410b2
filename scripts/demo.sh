#!/usr/bin/env bash
# Installs what is missing (Debian packages, npm ci), builds both wasm engines and the package,
# and serves the demo on 127.0.0.1, printing its URL. Ctrl-C stops the server.
#   bash scripts/demo.sh [--port 8080]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
echo "building the wasm engines and dist/ (the first build takes a few minutes)…"
mkdir -p build
bash scripts/build.sh >build/demo-build.log 2>&1 || { tail -40 build/demo-build.log; echo "build failed (full log: build/demo-build.log)"; exit 1; }
exec node scripts/serve.mjs "$@"
