#!/usr/bin/env bash
# Configures and builds this source tree a second time into BUILD_DIR with the POSIX
# implementation of server/sys/ (WASMDEV_PLATFORM=posix: the component walk, pread+send, the
# polling watcher, getentropy), so the code macOS and the BSDs compile runs here too.
# cmake/posix_variant.cmake registers it as a ctest test; its binaries run in the tests that
# depend on it. Uses ccache when it is installed.
# Usage: build.sh CMAKE SOURCE_DIR BUILD_DIR
set -euo pipefail
cmake_bin=$1 src=$2 dir=$3
launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
# -O1 without debug info: the quickest build whose tests behave as the release's do. The child
# registers no variant or sanitizer builds of its own.
"$cmake_bin" -S "$src" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "${launcher[@]}" \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1" -DWASMDEV_PLATFORM=posix \
    -DWASMDEV_SANITIZERS=OFF -DWASMDEV_POSIX_VARIANT=OFF >"$dir.configure.log" 2>&1 \
    || { cat "$dir.configure.log"; echo "posix build: configuring $dir failed (log above)"; exit 1; }
"$cmake_bin" --build "$dir" -j2 --target wasmdev unit_tests integration_tests >"$dir.build.log" 2>&1 \
    || { grep -v '^\[ *[0-9]*%\]' "$dir.build.log" | tail -n 60; echo "posix build: building $dir failed (log: $dir.build.log)"; exit 1; }
echo "posix build: $dir built with WASMDEV_PLATFORM=posix"
