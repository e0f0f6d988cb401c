#!/usr/bin/env bash
# Opt-in end-to-end test of `wasmdev run` on CPython's real REPL page: a checkout with an
# emscripten-browser build (builddir/emscripten-browser/python.html, CPython 3.11-3.13) and
# npm's xterm 4.18.0, which --map answers for unpkg.com offline. print(1+1) with no exit() after
# it prints 2 once and exits 0 at the end of stdin (3.11's worker cannot be told the input ended:
# docs/run.md, CPython's REPL pages); sys.exit(3) is exit 3. Prints each run's wall time.
#
#   WASMDEV_CPYTHON_BUILD=/path/to/cpython WASMDEV_XTERM_DIR=/path/to/xterm \
#     ctest --test-dir build -L e2e --output-on-failure
#
# WASMDEV_XTERM_DIR is the package directory (its package.json says 4.18.0, lib/xterm.js beside
# it): `npm pack xterm@4.18.0 && tar xzf xterm-4.18.0.tgz` makes one named package/. Exit 77 =
# skipped, with the reason.
. "$(dirname "$0")/../integration/script.bash"
. "$(dirname "$0")/../integration/run.bash"
checkout=${WASMDEV_CPYTHON_BUILD:-}
xterm=${WASMDEV_XTERM_DIR:-}
[ -n "$checkout" ] || { echo "SKIP: set WASMDEV_CPYTHON_BUILD to a CPython checkout with builddir/emscripten-browser/python.html"; exit 77; }
[ -f "$checkout/builddir/emscripten-browser/python.html" ] ||
  { echo "SKIP: $checkout/builddir/emscripten-browser/python.html is missing (wasmdev build emscripten-browser there)"; exit 77; }
[ -n "$xterm" ] || { echo "SKIP: set WASMDEV_XTERM_DIR to npm's xterm 4.18.0 package directory"; exit 77; }
[ -f "$xterm/lib/xterm.js" ] && grep -q '"version": *"4.18.0"' "$xterm/package.json" 2>/dev/null ||
  { echo "SKIP: $xterm is not npm's xterm 4.18.0 (package.json, lib/xterm.js)"; exit 77; }
xterm=$(realpath "$xterm")
cd "$checkout" || fail "cannot enter $checkout"
version=$(sed -nE 's/^#define PY_VERSION +"([^"]+)".*/\1/p' Include/patchlevel.h)
echo "CPython $version at $checkout; xterm from $xterm"
page=builddir/emscripten-browser/python.html
map="https://unpkg.com/xterm@4.18.0/=$xterm/"

# timed_run NAME STDIN [ARGS...]: runs the page with STDIN, sets rc; prints the wall time.
timed_run() {
  local name=$1 input=$2; shift 2
  local t0 t1
  t0=$(date +%s.%N)
  printf '%s' "$input" | timeout 300 "$bin" run "$page" --map "$map" "$@" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  t1=$(date +%s.%N)
  printf '%s: exit %d in %.1f s wall\n' "$name" "$rc" "$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')"
  sed 's/^/  stdout: /' "$tmp/out"
  sed 's/^/  stderr: /' "$tmp/err"
}

timed_run "print(1+1)" $'print(1+1)\n' --timeout 120
[ $rc = 0 ] || fail "print(1+1): exit $rc, want 0"
[ "$(cat "$tmp/out")" = 2 ] || fail "print(1+1): stdout is not exactly one line '2'"
grep -q "^Python $version" "$tmp/err" || fail "print(1+1): no banner on stderr"
grep -q 'wasmdev: run: --map' "$tmp/err" && fail "print(1+1): a mapped request was refused"
echo "ok: print(1+1) prints 2 once and exits 0 at the end of stdin"

timed_run "sys.exit(3)" $'import sys; sys.exit(3)\n' --timeout 120
[ $rc = 3 ] || fail "sys.exit(3): exit $rc, want 3"
echo "ok: sys.exit(3) is exit 3"
