#!/usr/bin/env bash
# Opt-in end-to-end test of `wasmdev build` on a real CPython 3.13 through its own
# Tools/wasm/wasi.py driver (the cross-build/ layout): configure-build-python,
# make-build-python, configure-host, make-host, then `wasmdev build wasi repl` runs
# print(1+1) in python.wasm. CPython 3.13 wants the clang 19 generation (WASI SDK 24), which
# bookworm lacks, so the build runs in a Debian trixie chroot with clang-19, lld-19,
# wasi-libc and libclang-rt-19-dev-wasm32; the WASI SDK is assembled from those packages
# and python.wasm runs on Node's WASI (tests/e2e/wasi_runner.mjs) as --host-runner.
#
#   WASMDEV_E2E_LAYOUTS=1 bash tests/e2e/cpython313_wasi_chroot.sh [WASMDEV] [REPO_ROOT]
#
# WASMDEV_E2E_ROOT (default /var/tmp/trixie-root): the chroot, made with
#   debootstrap --variant=minbase trixie DIR MIRROR, then in it
#   apt-get install --no-install-recommends clang-19 lld-19 wasi-libc libclang-rt-19-dev-wasm32 \
#     make python3 pkg-config gcc libc6-dev zlib1g-dev nodejs git
# WASMDEV_E2E_SRC (default /var/tmp/cpython313-src): python3.13_3.13.*.orig.tar.xz (apt-get
# source --download-only python3.13 with a deb-src line for trixie). Runs as root (chroot,
# mount). wasmdev is built on bookworm: the test copies it and the shared libraries ldd
# names that trixie lacks (boost_url, spdlog, fmt, ...) into ROOT/opt/wasmdev and runs it with
# LD_LIBRARY_PATH. Timings go to ROOT/work/timings.txt. Exit 77 = skipped.
set -u
if [ "${WASMDEV_E2E_LAYOUTS:-}" != 1 ]; then
  echo "SKIP: set WASMDEV_E2E_LAYOUTS=1 to build CPython 3.13 for WASI through wasi.py in a trixie chroot (~10 min)"
  exit 77
fi
here=$(cd "$(dirname "$0")" && pwd)
repo=${2:-$(cd "$here/../.." && pwd)}
bin=${1:-$repo/build/wasmdev}
root=${WASMDEV_E2E_ROOT:-/var/tmp/trixie-root}
srcpkg=${WASMDEV_E2E_SRC:-/var/tmp/cpython313-src}
fail() { echo "FAIL: $*"; exit 1; }
note() { echo "== $(date +%H:%M:%S) $*"; }
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (chroot, mount)"; exit 77; }
[ -x "$root/usr/bin/clang-19" ] && [ -x "$root/usr/bin/node" ] && [ -x "$root/usr/bin/git" ] && [ -d "$root/usr/lib/wasm32-wasip1" ] \
  || { echo "SKIP: no trixie chroot with clang-19, node, git and wasi-libc at $root (see the header)"; exit 77; }
tarball=$(ls "$srcpkg"/python3.13_3.13.*.orig.tar.xz 2>/dev/null | head -n1)
[ -n "$tarball" ] || { echo "SKIP: no python3.13 orig tarball in $srcpkg"; exit 77; }

# 1. wasmdev and the bookworm libraries trixie does not have, beside it.
mkdir -p "$root/opt/wasmdev/bin" "$root/opt/wasmdev/lib" "$root/work"
cp "$bin" "$root/opt/wasmdev/bin/wasmdev" || fail "cannot copy $bin"
ldd "$bin" | awk '/=> \//{print $3}' | while read -r lib; do
  case $(basename "$lib") in libc.so*|libm.so*|libgcc_s.so*|libstdc++.so*|ld-linux*) continue ;; esac
  cp -L "$lib" "$root/opt/wasmdev/lib/"
done
cp "$here/wasi_runner.mjs" "$root/opt/wasmdev/wasi_runner.mjs"

# 2. A WASI SDK from trixie's packages: clang-19 wrappers for wasm32-wasip1 and the sysroot
#    wasi.py passes as --sysroot (SDK/share/wasi-sysroot). clang 19 looks for compiler-rt
#    per target (lib/wasm32-unknown-wasip1/libclang_rt.builtins.a) while Debian ships
#    lib/wasi/libclang_rt.builtins-wasm32.a: the wrappers use a resource dir of links.
sdk=$root/opt/wasi-sdk-deb
res=$sdk/lib/clang/19
mkdir -p "$sdk/bin" "$sdk/share/wasi-sysroot/include" "$sdk/share/wasi-sysroot/lib"
ln -sfn /usr/lib/llvm-19/lib/clang/19/include "$res/include" 2>/dev/null || { mkdir -p "$res"; ln -sfn /usr/lib/llvm-19/lib/clang/19/include "$res/include"; }
for t in wasm32-unknown-wasip1 wasm32-unknown-wasi; do
  mkdir -p "$res/lib/$t"
  ln -sf /usr/lib/llvm-19/lib/clang/19/lib/wasi/libclang_rt.builtins-wasm32.a "$res/lib/$t/libclang_rt.builtins.a"
done
for pair in "clang:clang-19" "clang++:clang++-19" "clang-cpp:clang-19 -E"; do
  printf '#!/bin/sh\nexec %s --target=wasm32-wasip1 -resource-dir=/opt/wasi-sdk-deb/lib/clang/19 "$@"\n' "${pair#*:}" \
    > "$sdk/bin/${pair%%:*}"
  chmod +x "$sdk/bin/${pair%%:*}"
done
ln -sf /usr/bin/wasm-ld-19 "$sdk/bin/wasm-ld"
ln -sf /usr/bin/llvm-ar-19 "$sdk/bin/llvm-ar"
ln -sf /usr/bin/llvm-ranlib-19 "$sdk/bin/ranlib"
for t in wasm32-wasi wasm32-wasip1; do
  ln -sfn /usr/include/$t "$sdk/share/wasi-sysroot/include/$t"
  ln -sfn /usr/lib/$t "$sdk/share/wasi-sysroot/lib/$t"
done

# 3. A pristine CPython 3.13 (the orig tarball), unpacked once.
src=$(ls -d "$root"/work/Python-3.13.* 2>/dev/null | head -n1)
if [ -z "$src" ]; then
  note "unpack $(basename "$tarball")"
  tar -C "$root/work" -xJf "$tarball" || fail "cannot unpack $tarball"
  src=$(ls -d "$root"/work/Python-3.13.* | head -n1)
fi
csrc=/work/$(basename "$src")

mounted=
cleanup() { [ -n "$mounted" ] && umount "$root/proc"; }
trap cleanup EXIT
mountpoint -q "$root/proc" || { mount -t proc proc "$root/proc" && mounted=1; }
in_root() {
  chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb PATH=/usr/local/bin:/usr/bin:/bin \
    LD_LIBRARY_PATH=/opt/wasmdev/lib WASI_SDK_PATH=/opt/wasi-sdk-deb "$@"
}
wasmdev() { in_root /opt/wasmdev/bin/wasmdev "$@"; }
runner="node /opt/wasmdev/wasi_runner.mjs"
timings=$root/work/timings.txt
: > "$timings"
timed() {
  local name=$1; shift
  local t0; t0=$(date +%s.%N)
  "$@"; local rc=$?
  printf '%-44s %7.1f s (exit %d)\n' "$name" "$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{print b-a}')" $rc | tee -a "$timings"
  return $rc
}

# 4. Detection and the dry run say what will happen, and run nothing.
out=$(wasmdev build wasi --srcdir "$csrc" --dry-run --clean --host-runner "$runner" 2>&1) || fail "dry-run: $out"
echo "$out" | grep -q "^# CPython 3.13" || fail "dry-run names no CPython version: $out"
echo "$out" | grep -q "pipeline for wasi: Tools/wasm/wasi.py" || fail "dry-run names no wasi.py pipeline: $out"
echo "$out" | grep -q "python3 Tools/wasm/wasi.py configure-host" || fail "dry-run lacks configure-host: $out"
[ -e "$src/cross-build" ] && [ ! -e "$src/cross-build/build/python" ] && rm -rf "$src/cross-build"

# 5. The real build, driven by wasmdev through wasi.py.
note "wasmdev build wasi (wasi.py: build Python, then the WASI host)"
timed "3.13 wasi via wasi.py (4 steps)" wasmdev build wasi --srcdir "$csrc" --host-runner "$runner" \
  || fail "wasi build; see $src/cross-build/wasmdev-wasi.log"
[ -s "$src/cross-build/wasm32-wasip1/python.wasm" ] || fail "no cross-build/wasm32-wasip1/python.wasm"
ls -l "$src/cross-build/wasm32-wasip1/python.wasm" "$src/cross-build/build/python" | tee -a "$timings"
grep -q "wasi.py make-host" "$src/cross-build/wasmdev-wasi.log" || fail "the log lacks the make-host command"

# 6. A second run rebuilds nothing it need not: the build Python and configure are kept.
timed "3.13 wasi via wasi.py, again (make-host only)" wasmdev build wasi --srcdir "$csrc" --host-runner "$runner" \
  > "$root/work/second.txt" 2>&1 || fail "second build: $(cat "$root/work/second.txt")"
grep -q "build Python .* exists, not rebuilt" "$root/work/second.txt" || fail "second run rebuilt the build Python"
grep -q "configure-host" "$root/work/second.txt" && fail "second run configured again"

# 7. repl: python.sh (written by wasi.py with the host runner) runs python.wasm.
note "wasmdev build wasi repl"
out=$(printf 'print(1+1)\n' | timeout 120 chroot "$root" /usr/bin/env -i PATH=/usr/bin:/bin \
  LD_LIBRARY_PATH=/opt/wasmdev/lib WASI_SDK_PATH=/opt/wasi-sdk-deb \
  /opt/wasmdev/bin/wasmdev build wasi repl --srcdir "$csrc" 2>&1)
echo "$out" | tail -n 3
echo "$out" | grep -qx 2 || fail "wasi repl did not print 2"
echo "3.13 wasi repl: print(1+1) -> 2" | tee -a "$timings"
echo
cat "$timings"
echo "PASS: CPython 3.13 built for WASI by wasmdev through Tools/wasm/wasi.py; print(1+1) printed 2"
