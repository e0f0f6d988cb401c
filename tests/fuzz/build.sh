#!/usr/bin/env bash
# Configures a WASMDEV_FUZZ=ON tree of this source with clang++-14 (cmake/fuzz.cmake: every
# library instrumented) and builds fuzz targets in it: all of them (fuzz_targets), or the ones
# named. Used by the "fuzz: build" ctest test and by run.sh; ccache is used when installed.
# Usage: build.sh CMAKE SOURCE_DIR BUILD_DIR [TARGET...]
# Exits 77 when clang++-14 or libFuzzer is missing (WASMDEV_FUZZ_CXX names another clang++).
set -uo pipefail
cmake_bin=$1 src=$2 dir=$3
shift 3
targets=("${@:-fuzz_targets}")
cxx=${WASMDEV_FUZZ_CXX:-clang++-14}
command -v "$cxx" >/dev/null || { echo "SKIP: $cxx is missing (Debian package clang-14)"; exit 77; }
rt=$("$cxx" -print-resource-dir)/lib/linux/libclang_rt.fuzzer-x86_64.a
[ -f "$rt" ] || { echo "SKIP: libFuzzer is missing ($rt; Debian package libclang-rt-14-dev)"; exit 77; }
mkdir -p "$dir"
launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
# -O1 -g1 without NDEBUG, as libFuzzer advises: fast enough to fuzz, line tables for file:line in
# every report. The tree is only a fuzz tree: no sanitizer or POSIX sub-builds of its own.
if [ ! -f "$dir/CMakeCache.txt" ]; then
  "$cmake_bin" -S "$src" -B "$dir" -DCMAKE_CXX_COMPILER="$(command -v "$cxx")" -DWASMDEV_FUZZ=ON \
      -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" "${launcher[@]}" \
      -DWASMDEV_SANITIZERS=OFF -DWASMDEV_POSIX_VARIANT=OFF >"$dir.configure.log" 2>&1 \
      || { cat "$dir.configure.log"; echo "FAIL: configuring the fuzz tree $dir failed (log above)"; exit 1; }
fi
"$cmake_bin" --build "$dir" -j2 --target "${targets[@]}" >"$dir.build.log" 2>&1 \
    || { grep -v '^\[ *[0-9]*%\]' "$dir.build.log" | tail -n 60; echo "FAIL: building ${targets[*]} in $dir failed (log: $dir.build.log)"; exit 1; }
echo "fuzz build: ${targets[*]} built in $dir"
