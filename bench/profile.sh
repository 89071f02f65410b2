#!/usr/bin/env bash
# Instructions per op of the native build under each mode, from callgrind (valgrind):
# the difference between two runs of bench/native/op_cost.cpp, divided by the extra
# iterations, so set-up and teardown cancel out. Also writes the annotated profiles of the
# larger runs to build/bench/callgrind.<mode>.<op>.out for callgrind_annotate.
#   bash bench/profile.sh            # needs the native build (cmake --build build/native)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=build/native/bench/native/webtorch_op_cost
[ -x "$BIN" ] || { echo "build the native tree first: cmake -S . -B build/native && cmake --build build/native -j2" >&2; exit 1; }
mkdir -p build/bench
N1=2000
N2=12000
for op in add chain; do
  for mode in record nograd inference; do
    ir() {
      valgrind --tool=callgrind --callgrind-out-file="$2" "$BIN" "$mode" "$op" "$1" >/dev/null 2>"$2.log"
      grep -E "^summary:|^totals:" "$2" | head -1 | awk '{print $2}'
    }
    a=$(ir $N1 build/bench/callgrind.small.out)
    b=$(ir $N2 "build/bench/callgrind.$mode.$op.out")
    allocs=$("$BIN" "$mode" "$op" 1000 | sed -E 's/.*: ([0-9.]+) engine.*/\1/')
    printf '%-6s %-10s %8.0f instructions/iter  %5s allocations/iter\n' "$op" "$mode" "$(echo "($b - $a) / ($N2 - $N1)" | bc -l)" "$allocs"
  done
done
rm -f build/bench/callgrind.small.out*
