#!/usr/bin/env bash
# `wasmdev build PROFILE run` against the fake CPython checkout (tests/fixtures/fake-cpython):
# the steps, then the profile's python.html run headless as `wasmdev run` would, with its
# output and exit code as the command's; a build that fails never starts the browser.
# Usage: build_run_fake.sh WASMDEV REPO_ROOT
. "$(dirname "$0")/script.bash"
. "$(dirname "$0")/run.bash"
src=$tmp/cpython
cp -a "$2/tests/fixtures/fake-cpython" "$src"
export FAKE_LOG=$tmp/calls.log
export EM_CONFIG=$src/emsdk/.emscripten
export WASI_SDK_PATH=$src/wasi-sdk
export PATH=$src/fakebin:$PATH
unset EMSDK MAKEFLAGS PKG_CONFIG_PATH EM_COMPILER_WRAPPER HOSTRUNNER FAKE_FAIL FAKE_HANG

"$bin" build emscripten-browser --srcdir "$src" >"$tmp/build.txt" 2>&1 || fail "build failed: $(cat "$tmp/build.txt")"
page=$src/builddir/emscripten-browser/python.html
[ -f "$page" ] || fail "the fake build made no python.html"
# The fake python.html is a placeholder: one that prints, reads a line and exits with a code.
cat >"$page" <<'HTML'
<!doctype html>
<script>
  console.log("fake python: " + prompt());
  wasmdevRun.exit(7);
</script>
HTML

# run alone on a finished build: no step, the page headless, its output and code ours.
echo 'from stdin' | timeout 120 "$bin" build emscripten-browser run --srcdir "$src" --timeout 60 >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc = 7 ] || fail "build run: exit $rc, want 7; stdout: $(cat "$tmp/out"); stderr: $(cat "$tmp/err")"
grep -qx 'fake python: from stdin' "$tmp/out" || fail "build run: stdout lacks the page's line: $(cat "$tmp/out")"
echo "ok: build PROFILE run runs python.html headless: its output and exit code"

# --map reaches the run: a page that loads a script from a CDN runs offline with its files.
mkdir -p "$tmp/cdn"
echo 'globalThis.fromCdn = "from the mapped dir";' >"$tmp/cdn/lib.js"
cat >"$page" <<'HTML'
<!doctype html>
<script src="https://cdn.wasmdev.invalid/pkg@1/lib.js"></script>
<script>
  console.log("fake python: " + globalThis.fromCdn);
  wasmdevRun.exit(0);
</script>
HTML
timeout 120 "$bin" build emscripten-browser run --srcdir "$src" --timeout 60 --map "https://cdn.wasmdev.invalid/pkg@1/=$tmp/cdn" \
  </dev/null >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc = 0 ] || fail "build run --map: exit $rc, want 0; stdout: $(cat "$tmp/out"); stderr: $(cat "$tmp/err")"
grep -qx 'fake python: from the mapped dir' "$tmp/out" || fail "build run --map: the mapped script did not run: $(cat "$tmp/out")"
"$bin" build emscripten-browser run --srcdir "$src" --map 'ftp://x/=.' >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc = 2 ] && grep -q -- '--map' "$tmp/err" || fail "build run --map with a bad value: exit $rc, want 2 naming --map: $(cat "$tmp/err")"
echo "ok: build PROFILE run takes --map as run does"

# A failing step: its exit code, and no browser.
FAKE_FAIL=make:emscripten-browser timeout 120 "$bin" build emscripten-browser compile run --srcdir "$src" --timeout 60 >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc = 1 ] || fail "build run after a failing make: exit $rc, want 1; stderr: $(cat "$tmp/err")"
grep -q 'fake python' "$tmp/out" && fail "build run after a failing make ran the page: $(cat "$tmp/out")"
echo "ok: a failing build step ends build PROFILE run before the browser"
