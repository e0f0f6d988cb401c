#!/usr/bin/env bash
# A/B of two wasmdev binaries on a shared, noisy machine: runs bench/run.sh --only wasmdev for
# A, then B, then A, ... (N times each), one round per run, and keeps every table in OUT_DIR
# (a-1.md, b-1.md, ...). Compare the runs side by side: their spread is the noise.
# Usage: bench/ab.sh BINARY_A BINARY_B [N=3] [OUT_DIR=/tmp/wasmdev-ab] [extra run.sh options...]
set -euo pipefail
a=$1 b=$2 n=${3:-3} out=${4:-/tmp/wasmdev-ab}
shift $(( $# < 4 ? $# : 4 ))
mkdir -p "$out"
here=$(dirname "$0")
for i in $(seq "$n"); do
  for side in a b; do
    bin=$a; [ "$side" = b ] && bin=$b
    echo "ab: run $i, $side ($bin)" >&2
    "$here/run.sh" --only wasmdev --binary "$bin" --rounds 1 --results "$out/$side-$i.md" "$@" >/dev/null || true
  done
done
echo "ab: tables in $out" >&2
