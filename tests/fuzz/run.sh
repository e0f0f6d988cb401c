#!/usr/bin/env bash
# Builds one libFuzzer target in the CMake fuzz tree and runs it for a bounded time over a copy
# of its seed corpus.
# Usage: tests/fuzz/run.sh [--built] NAME SECONDS [BUILD_DIR]   (BUILD_DIR defaults to build/build-fuzz)
# A target is tests/fuzz/fuzz_NAME.cpp, linked against the library tests/fuzz/CMakeLists.txt
# names for it; build.sh configures BUILD_DIR (clang++-14, WASMDEV_FUZZ=ON) and builds it there,
# unless --built says the "fuzz: build" ctest test already did. Its seeds are
# tests/fuzz/corpus/NAME/. Prints the exec/s line; exits non-zero on any finding (the input is
# kept as BUILD_DIR/NAME-crash-*), 77 when clang++-14 or libFuzzer is missing.
set -u
built=0
[ "${1:-}" = --built ] && { built=1; shift; }
[ $# -ge 2 ] || { echo "usage: $0 [--built] NAME SECONDS [BUILD_DIR]"; exit 2; }
name=$1 seconds=$2
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
out=${3:-$repo/build/build-fuzz}
[ -f "$here/fuzz_$name.cpp" ] || { echo "FAIL: $here/fuzz_$name.cpp is missing"; exit 1; }
if [ $built = 0 ]; then
  bash "$here/build.sh" "${WASMDEV_CMAKE:-cmake}" "$repo" "$out" "fuzz_$name" || exit $?
fi
bin=$out/tests/fuzz/fuzz_$name
# With --built, a missing target means "fuzz: build" skipped (no clang++-14 or libFuzzer; its
# failure would have kept this test from running).
[ -x "$bin" ] || { echo "SKIP: $bin is missing (\"fuzz: build\" skipped it)"; exit 77; }

corpus=$(mktemp -d)
trap 'rm -rf "$corpus"' EXIT
[ -d "$here/corpus/$name" ] && cp -R "$here/corpus/$name/." "$corpus/"
log=$out/fuzz_$name.log
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 -error_exitcode=1 -timeout_exitcode=1 -artifact_prefix="$out/$name-" "$corpus" > "$log" 2>&1
rc=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
echo "fuzz $name: ${rate:-?} exec/s, ${runs:-?} runs in ${seconds} s, corpus $(ls "$corpus" | wc -l) inputs (log: $log)"
if [ $rc != 0 ]; then
  echo "FAIL: fuzz_$name found a problem (exit $rc):"
  grep -E 'ERROR|runtime error|==[0-9]+==|Test unit written|SUMMARY|invariant' "$log" | head -n 20
  exit 1
fi
