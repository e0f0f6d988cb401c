#!/usr/bin/env bash
# The build-triggered reload: `wasmdev build PROFILE repl` serves with live reload on by
# default; a `wasmdev build PROFILE` run in another process that pauses 1 s mid-build (longer
# than the 200 ms quiet period) is still one event, sent when the build closes its log, naming
# what it wrote before and after the pause. `--no-reload` serves the page byte for byte.
# Usage: reload_build.sh WASMDEV REPO_ROOT
set -u
. "$(dirname "$0")/wait.bash"
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
repo=$2
tmp=$(mktemp -d)
srv=
clients=()
cleanup() {
  [ -n "$srv" ] && kill -9 "$srv" 2>/dev/null
  for c in "${clients[@]}"; do kill "$c" 2>/dev/null; done
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }
command -v curl >/dev/null || { echo "SKIP: curl is not installed"; exit 77; }

src=$tmp/cpython
cp -a "$repo/tests/fixtures/fake-cpython" "$src"
export PATH=$src/fakebin:$PATH
export FAKE_LOG=$tmp/calls.log
export EM_CONFIG=$src/emsdk/.emscripten
export WASI_SDK_PATH=$src/wasi-sdk
unset EMSDK MAKEFLAGS PKG_CONFIG_PATH EM_COMPILER_WRAPPER HOSTRUNNER FAKE_FAIL FAKE_HANG FAKE_MAKE_PAUSE
"$bin" build emscripten-browser --srcdir "$src" >"$tmp/build0.txt" 2>&1 || fail "first build failed: $(cat "$tmp/build0.txt")"

# --no-reload: the page as built.
"$bin" build emscripten-browser repl --no-reload --srcdir "$src" --port 0 --quiet >"$tmp/plain.txt" 2>&1 &
srv=$!
url=$(wait_for_match 'http://127\.0\.0\.1:[0-9]+/builddir/emscripten-browser/python\.html' 60 "$tmp/plain.txt") \
  || fail "repl printed no URL: $(cat "$tmp/plain.txt")"
[ "$(curl -sS -m 20 "$url")" = "<html>fake</html>" ] || fail "repl --no-reload changed the page: $(curl -sS -m 20 "$url")"
kill -INT "$srv"; wait_for_exit "$srv" 20; [ $? != 124 ] || fail "repl --no-reload: still running 20 s after SIGINT"; srv=

# Default: reload on.
"$bin" build emscripten-browser repl --srcdir "$src" --port 0 --quiet >"$tmp/repl.txt" 2>&1 &
srv=$!
url=$(wait_for_match 'http://127\.0\.0\.1:[0-9]+/builddir/emscripten-browser/python\.html' 60 "$tmp/repl.txt") \
  || fail "repl printed no URL: $(cat "$tmp/repl.txt")"
page=$(curl -sS -m 20 "$url")
token=$(printf '%s' "$page" | grep -oE 'reload\.js\?token=[0-9a-f]{32}' | head -n1)
[ -n "$token" ] || fail "repl serves the page without the reload client: $page"
base=${url%/builddir/*}
curl -sSN "$base/__wasmdev/events?${token#reload.js?}" >"$tmp/stream" 2>/dev/null &
clients+=($!)
wait_for_match 'wasmdev live reload' 10 "$tmp/stream" >/dev/null || fail "the event stream did not open"

FAKE_MAKE_PAUSE=1 "$bin" build emscripten-browser --srcdir "$src" >"$tmp/build1.txt" 2>&1 || fail "rebuild failed: $(cat "$tmp/build1.txt")"
event=$(wait_for_match 'data: .*python\.wasm.*' 10 "$tmp/stream") || fail "no event after the build: $(cat "$tmp/stream")"
case $event in *'"/builddir/emscripten-browser/python.html"'*) ;; *) fail "one event should name what was written before the pause too: $event" ;; esac
n=$(grep -c '^event: change' "$tmp/stream")
[ "$n" = 1 ] || fail "$n events for one build, want 1: $(cat "$tmp/stream")"
case $event in *wasmdev-build.log*) fail "the build log is not a change: $event" ;; esac
echo "one event for a build that paused 1 s: $event"
kill -INT "$srv"; wait_for_exit "$srv" 20; rc=$?; srv=
[ "$rc" = 0 ] || fail "repl exited $rc on SIGINT with a stream open"
echo "ok"
