#!/usr/bin/env bash
# Configures and builds the test binaries of this source tree into a sibling build dir with
# one sanitizer set (cmake/sanitizers.cmake registers it as a ctest test; running the binaries
# is left to the tests that depend on it). Uses ccache when it is installed.
# Usage: build.sh CMAKE SOURCE_DIR BUILD_DIR "SANITIZER FLAGS"
set -euo pipefail
cmake_bin=$1 src=$2 dir=$3 flags=$4
launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
# -O1 -g1: fast enough to run the suites, line tables for file:line in every report. The
# child must not register sanitizer builds of its own (WASMDEV_SANITIZERS=OFF).
"$cmake_bin" -S "$src" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "${launcher[@]}" \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" -DCMAKE_CXX_FLAGS="$flags" \
    -DCMAKE_EXE_LINKER_FLAGS="$flags" -DWASMDEV_SANITIZERS=OFF >"$dir.configure.log" 2>&1 \
    || { cat "$dir.configure.log"; echo "sanitizer build: configuring $dir failed (log above)"; exit 1; }
"$cmake_bin" --build "$dir" -j2 --target unit_tests integration_tests >"$dir.build.log" 2>&1 \
    || { grep -v '^\[ *[0-9]*%\]' "$dir.build.log" | tail -n 60; echo "sanitizer build: building $dir failed (log: $dir.build.log)"; exit 1; }
echo "sanitizer build: $dir built with $flags"
