#!/usr/bin/env bash
# Installs, builds, and runs the modes tour: a tiny model trained with recording,
# evaluated under noGrad, served under inferenceMode, and an inference-tensor error caught.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh >/dev/null
node examples/modes-tour.mjs
