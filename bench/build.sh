#!/usr/bin/env bash
# What `npm run bench` needs, built incrementally: the wasm engines and dist/ (scripts/build.sh),
# the ceiling module (bench/ceiling/ceiling.cpp -> build/bench/ceiling.wasm) and the native
# build of the same kernels (build/native, target webtorch_kernels_bench).
set -euo pipefail
cd "$(dirname "$0")/.."
export NODE_PATH=/usr/share/nodejs   # emcc's JS optimizer needs Debian's acorn
bash scripts/build.sh >/dev/null
mkdir -p build/bench
if [ ! -f build/bench/ceiling.wasm ] || [ bench/ceiling/ceiling.cpp -nt build/bench/ceiling.wasm ]; then
  emcc -O3 -msimd128 --no-entry -sSTANDALONE_WASM=1 \
    -sEXPORTED_FUNCTIONS=_wt_ceiling,_wt_ceiling_flops_per_iter \
    bench/ceiling/ceiling.cpp -o build/bench/ceiling.wasm
fi
if [ ! -f build/native/CMakeCache.txt ]; then
  cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build build/native -j2 --target webtorch_kernels_bench >/dev/null
