#!/usr/bin/env bash
# Builds one libFuzzer target and runs it for a bounded time over a copy of its seed corpus.
# Usage: tests/fuzz/run.sh NAME SECONDS [BUILD_DIR]   (BUILD_DIR defaults to build/fuzz)
# A target is tests/fuzz/fuzz_NAME.cpp; fuzz_NAME.sources lists the repo sources it links (one
# path per line, relative to the repo root; "-l..." lines are link libraries; "#" comments);
# its seeds are tests/fuzz/corpus/NAME/. Prints the exec/s line; exits non-zero on any finding
# (the input is kept as BUILD_DIR/NAME-crash-*), 77 when clang++-14 or libFuzzer is missing.
set -u
[ $# -ge 2 ] || { echo "usage: $0 NAME SECONDS [BUILD_DIR]"; exit 2; }
name=$1 seconds=$2
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
out=${3:-$repo/build/fuzz}
cxx=${WASMDEV_FUZZ_CXX:-clang++-14}
command -v "$cxx" >/dev/null || { echo "SKIP: $cxx is missing (Debian package clang-14)"; exit 77; }
rt=$("$cxx" -print-resource-dir)/lib/linux/libclang_rt.fuzzer-x86_64.a
[ -f "$rt" ] || { echo "SKIP: libFuzzer is missing ($rt; Debian package libclang-rt-14-dev)"; exit 77; }
src=$here/fuzz_$name.cpp list=$here/fuzz_$name.sources
[ -f "$src" ] && [ -f "$list" ] || { echo "FAIL: $src or $list is missing"; exit 1; }

sources=() libs=()
while IFS= read -r line || [ -n "$line" ]; do
  case $line in ''|'#'*) ;; -l*) libs+=("$line") ;; *) sources+=("$repo/$line") ;; esac
done < "$list"
mkdir -p "$out"
bin=$out/fuzz_$name
# Rebuilt when the target, its list, a listed source or any header of the repo is newer.
stale=0
[ -x "$bin" ] || stale=1
if [ $stale = 0 ]; then
  for f in "$src" "$list" "${sources[@]}"; do [ "$f" -nt "$bin" ] && stale=1; done
  [ -n "$(find "$repo/server" "$repo/mime" -name '*.hpp' -newer "$bin" -print -quit 2>/dev/null)" ] && stale=1
fi
if [ $stale = 1 ]; then
  echo "building fuzz_$name"
  "$cxx" -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -Wno-trigraphs -I"$repo" \
    -DWASMDEV_VERSION='"fuzz"' "$src" "${sources[@]}" "${libs[@]}" -o "$bin.tmp" || { echo "FAIL: fuzz_$name does not build"; exit 1; }
  mv "$bin.tmp" "$bin"
fi

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
