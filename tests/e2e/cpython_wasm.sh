#!/usr/bin/env bash
# Opt-in end-to-end test of `wasmdev build` on a real CPython 3.11 with Debian's toolchains:
# builds the native build Python, emscripten-browser (Debian's emscripten 3.1.6, offline
# ports from Debian's zlib, bzip2 and sqlite3 sources) and wasi (a WASI SDK assembled from
# Debian's clang-14, lld-14 and wasi-libc), runs print(1+1) in python.wasm through
# `wasmdev build wasi repl`, then serves the browser build with `wasmdev build ... repl` and
# drives python.html in headless Chromium until print(1+1) prints 2.
#
#   WASMDEV_E2E_CPYTHON=1 bash tests/e2e/cpython_wasm.sh [WASMDEV] [REPO_ROOT]
#
# Takes 10-20 minutes of two cores. WASMDEV_E2E_DIR (default /tmp/wasmdev-cpython-e2e)
# holds the sources and builds; timings go to $WASMDEV_E2E_DIR/timings.txt.
# Needs: apt-get install emscripten wasi-libc libclang-rt-14-dev-wasm32 clang-14 lld-14
# dpkg-dev tcl, a deb-src entry for bookworm main, chromium, node, and npm install in
# tests/e2e (xterm@4.18.0) and tests/browser (playwright-core). Exit 77 = skipped.
set -u
if [ "${WASMDEV_E2E_CPYTHON:-}" != 1 ]; then
  echo "SKIP: set WASMDEV_E2E_CPYTHON=1 to run the CPython WebAssembly end-to-end test (10-20 min)"
  exit 77
fi
here=$(cd "$(dirname "$0")" && pwd)
repo=${2:-$(cd "$here/../.." && pwd)}
bin=${1:-$repo/build/wasmdev}
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
work=${WASMDEV_E2E_DIR:-/tmp/wasmdev-cpython-e2e}
jobs=${WASMDEV_E2E_JOBS:-$(nproc)}
fail() { echo "FAIL: $*"; exit 1; }
note() { echo "== $(date +%H:%M:%S) $*"; }

for tool in emcc clang-14 wasm-ld-14 llvm-ar-14 node chromium apt-get tclsh; do
  command -v $tool >/dev/null || { echo "SKIP: $tool is missing (see the header of $0)"; exit 77; }
done
[ -d /usr/include/wasm32-wasi ] || { echo "SKIP: Debian's wasi-libc is missing (apt-get install wasi-libc)"; exit 77; }
"$bin" build --help >/dev/null 2>&1 || fail "$bin has no build subcommand"
[ -d "$here/node_modules/xterm" ] || (cd "$here" && npm install --no-audit --no-fund >/dev/null 2>&1) \
  || { echo "SKIP: npm install in $here failed (xterm@4.18.0)"; exit 77; }

mkdir -p "$work/ports"
timings=$work/timings.txt
: > "$timings"
# timed NAME COMMAND...: runs it, appends "NAME SECONDS" to timings.txt.
timed() {
  local name=$1; shift
  local t0; t0=$(date +%s.%N)
  "$@"; local rc=$?
  local t1; t1=$(date +%s.%N)
  printf '%-42s %7.1f s (exit %d)\n' "$name" "$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')" $rc | tee -a "$timings"
  return $rc
}

# 1. Sources: pristine CPython 3.11 (the orig tarball), zlib, bzip2, sqlite3.
src=$(ls -d "$work"/Python-3.11.* 2>/dev/null | head -n1)
if [ -z "$src" ]; then
  note "apt-get source python3.11"
  (cd "$work" && apt-get source --download-only python3.11 >/dev/null 2>&1) || { echo "SKIP: apt-get source python3.11 failed (deb-src for bookworm main?)"; exit 77; }
  (cd "$work" && tar xzf python3.11_*.orig.tar.gz) || fail "cannot unpack the python3.11 orig tarball"
  src=$(ls -d "$work"/Python-3.11.* | head -n1)
fi
if ! ls -d "$work"/ports/zlib-* "$work"/ports/bzip2-* "$work"/ports/sqlite3-* >/dev/null 2>&1; then
  note "apt-get source zlib bzip2 sqlite3"
  (cd "$work/ports" && apt-get source zlib bzip2 sqlite3 >/dev/null 2>&1) || { echo "SKIP: apt-get source zlib bzip2 sqlite3 failed"; exit 77; }
fi

# 2. A WASI SDK from Debian's packages: wrappers and links where wasi-env expects them.
sdk=$work/wasi-sdk
mkdir -p "$sdk/bin" "$sdk/share/wasi-sysroot/include" "$sdk/share/wasi-sysroot/lib"
for pair in "clang:clang-14" "clang++:clang++-14" "clang-cpp:clang-14 -E"; do
  t=${pair%%:*}; real=${pair#*:}
  printf '#!/bin/sh\nexec %s --target=wasm32-wasi "$@"\n' "$real" > "$sdk/bin/$t"
  chmod +x "$sdk/bin/$t"
done
ln -sf /usr/bin/wasm-ld-14 "$sdk/bin/wasm-ld"
ln -sf /usr/bin/llvm-ar-14 "$sdk/bin/llvm-ar"
ln -sf /usr/bin/llvm-ranlib-14 "$sdk/bin/ranlib"
ln -sfn /usr/include/wasm32-wasi "$sdk/share/wasi-sysroot/include/wasm32-wasi"
ln -sfn /usr/lib/wasm32-wasi "$sdk/share/wasi-sysroot/lib/wasm32-wasi"
runner="node $here/wasi_runner.mjs"

cd "$src" || fail "no checkout"
export WASI_SDK_PATH=$sdk
unset EM_CONFIG EMSDK

# 3. Dry runs and a preflight refusal cost nothing.
"$bin" build emscripten-browser --dry-run -j"$jobs" > "$work/dry-browser.sh" 2>/dev/null || fail "browser dry-run"
"$bin" build wasi --dry-run -j"$jobs" > "$work/dry-wasi.sh" 2>/dev/null || fail "wasi dry-run"
out=$(WASI_SDK_PATH=$work/no-sdk "$bin" build wasi 2>&1) && fail "a missing WASI SDK was not refused"
echo "$out" | grep -q "no WASI SDK at $work/no-sdk" || fail "missing-SDK refusal: $out"

# 4. The builds.
note "native build Python"
timed "build (native build Python)" "$bin" build build -j"$jobs" || fail "native build; see $src/builddir/build/wasmdev-build.log"
note "emscripten-browser"
timed "emscripten-browser (ports+configure+make)" "$bin" build emscripten-browser -j"$jobs" --force \
  --ports-src "$work/ports" || fail "emscripten-browser build; see $src/builddir/emscripten-browser/wasmdev-build.log"
note "wasi"
timed "wasi (configure+make)" "$bin" build wasi -j"$jobs" --env "HOSTRUNNER=$runner" \
  || fail "wasi build; see $src/builddir/wasi/wasmdev-build.log"
for f in python.html python.js python.wasm python.data python.worker.js; do
  [ -s "$src/builddir/emscripten-browser/$f" ] || fail "emscripten-browser did not produce $f"
done
[ -s "$src/builddir/wasi/python.wasm" ] || fail "wasi did not produce python.wasm"
ls -l "$src"/builddir/emscripten-browser/python.* "$src"/builddir/wasi/python.wasm | tee -a "$timings"

# 5. wasi repl: python.wasm through make's HOSTRUNNER, as wasm_build.py runs it.
note "wasi repl"
out=$(printf 'print(1+1)\n' | timeout 120 "$bin" build wasi repl --env "HOSTRUNNER=$runner" 2>&1)
echo "$out" | tail -n 3
echo "$out" | grep -qx 2 || fail "wasi repl did not print 2"
echo "wasi repl: print(1+1) -> 2" | tee -a "$timings"

# 6. emscripten-browser repl: served by wasmdev, driven in headless Chromium.
note "emscripten-browser repl"
"$bin" build emscripten-browser repl --port 0 > "$work/repl.out" 2>&1 &
srv=$!
trap 'kill $srv 2>/dev/null' EXIT
for _ in $(seq 100); do url=$(grep -o 'http://[^ ]*/python.html' "$work/repl.out" | head -n1); [ -n "$url" ] && break; sleep 0.1; done
[ -n "$url" ] || fail "repl printed no python.html URL: $(cat "$work/repl.out")"
echo "repl URL: $url"
timed "python.html: print(1+1) in Chromium" node "$here/python_html.mjs" "$url" || fail "python.html did not print 2"
kill -INT $srv; wait $srv || fail "the repl server did not exit 0 on SIGINT"
trap - EXIT
echo
echo "timings ($timings):"
cat "$timings"
echo "PASS: CPython 3.11 built for emscripten-browser and wasi with wasmdev build; print(1+1) printed 2 in both"
