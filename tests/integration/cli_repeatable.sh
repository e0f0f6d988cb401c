#!/usr/bin/env bash
# Repeatable options take one value each time they are given, so the positional a user types
# last (serve's ROOT, htaccess's DIR, build's PROFILE) is never swallowed as a second value:
# `wasmdev serve --header 'X-A: b' DIR`, `--header=...`, `--allow-host H DIR`, `wasmdev
# htaccess --header ... DIR`, `wasmdev build --env/--make-var/--configure-arg ... PROFILE`
# (dry-run, against the fake checkout). Usage: cli_repeatable.sh WASMDEV REPO_ROOT
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
. "$(dirname "$0")/wait.bash"
repo=$2
command -v curl >/dev/null || { echo "SKIP: curl is missing (Debian package curl)"; exit 77; }
tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }
site=$tmp/site; mkdir -p "$site"; echo hello > "$site/hello.txt"

# serve_last ARGS...: `wasmdev ARGS... --port 0` with the site as the last word; waits for the
# URL line (the event), or fails with what it printed.
serve_last() {
  [ -n "$pid" ] && { kill "$pid"; wait_for_exit "$pid" 20; [ $? != 124 ] || fail "still running 20 s after SIGTERM"; }
  "$bin" "$@" "$site" >"$tmp/out.log" 2>"$tmp/err.log" &
  pid=$!
  url=$(wait_for_url "$tmp/out.log") && return 0
  kill -0 "$pid" 2>/dev/null || fail "'wasmdev $* DIR' exited: $(cat "$tmp/err.log")"
  fail "'wasmdev $* DIR': no URL line within 60 s"
}
header_of() { curl -s -m 5 -D - -o /dev/null "${@:2}" "${url}hello.txt" | tr -d '\r' | grep -i "^$1:" | cut -d' ' -f2-; }

for form in "serve --port 0 --header X-A:b" "serve --port 0 --header=X-A:b" "--port 0 --header X-A:b"; do
  # shellcheck disable=SC2086  # the words of $form are separate arguments on purpose
  serve_last $form --header 'X-B: c'
  [ "$(header_of X-A)" = b ] || fail "'$form DIR': X-A is '$(header_of X-A)'"
  [ "$(header_of X-B)" = c ] || fail "'$form DIR': the second --header is missing"
  [ "$(curl -s -m 5 "${url}hello.txt")" = hello ] || fail "'$form DIR' does not serve DIR"
done
serve_last serve --port 0 --allow-host foo.test --allow-host bar.test
for host in foo.test bar.test; do
  code=$(curl -s -m 5 -o /dev/null -w '%{http_code}' -H "Host: $host" "${url}hello.txt")
  [ "$code" = 200 ] || fail "--allow-host foo.test --allow-host bar.test DIR: Host $host got $code"
done
code=$(curl -s -m 5 -o /dev/null -w '%{http_code}' -H "Host: evil.test" "${url}hello.txt")
[ "$code" = 403 ] || fail "--allow-host ... DIR: Host evil.test got $code, want 403"
kill "$pid"; wait_for_exit "$pid" 20; [ $? != 124 ] || fail "still running 20 s after SIGTERM"; pid=
echo "ok: serve --header X DIR, --header=X DIR, --allow-host H DIR"

for form in "--header" "--header="; do
  rm -f "$site/.htaccess"
  if [ "$form" = "--header" ]; then args=(--header 'X-A: b' --header 'X-B: c'); else args=(--header='X-A: b' --header='X-B: c'); fi
  "$bin" htaccess -o "${args[@]}" "$site" > "$tmp/out" 2>&1 || fail "htaccess -o $form... DIR: $(cat "$tmp/out")"
  grep -q 'Header always set X-A "b"' "$site/.htaccess" || fail "htaccess $form... DIR: no X-A in DIR/.htaccess"
  grep -q 'Header always set X-B "c"' "$site/.htaccess" || fail "htaccess $form... DIR: no X-B in DIR/.htaccess"
done
echo "ok: htaccess --header X DIR and --header=X DIR"

# build: its repeatable options before the profile, in a dry run against the fake checkout.
src=$tmp/cpython
cp -a "$repo/tests/fixtures/fake-cpython" "$src"
export FAKE_LOG=$tmp/calls.log EM_CONFIG=$src/emsdk/.emscripten WASI_SDK_PATH=$src/wasi-sdk PATH=$src/fakebin:$PATH
unset EMSDK MAKEFLAGS PKG_CONFIG_PATH EM_COMPILER_WRAPPER HOSTRUNNER FAKE_FAIL FAKE_HANG
(cd "$src" && "$bin" build --env WASMDEV_T1=one --env WASMDEV_T2=two --make-var MV1=x --make-var MV2=y \
   --configure-arg=--with-t1 --configure-arg=--with-t2 --header 'X-A: b' --allow-host foo.test \
   emscripten-browser --dry-run) > "$tmp/dry.txt" 2>&1 || fail "build REPEATABLE... PROFILE --dry-run: $(tail -n 3 "$tmp/dry.txt")"
for w in WASMDEV_T1=one WASMDEV_T2=two MV1=x MV2=y --with-t1 --with-t2 "wasmdev build emscripten-browser"; do
  grep -q -- "$w" "$tmp/dry.txt" || fail "build --dry-run with repeatable options before the profile lacks $w"
done
echo "ok: build --env/--make-var/--configure-arg/--header/--allow-host before PROFILE"
echo "PASS: cli_repeatable"
