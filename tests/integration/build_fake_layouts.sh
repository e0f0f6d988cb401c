#!/usr/bin/env bash
# `wasmdev build` against fake CPython 3.13, 3.14 and main checkouts (tests/fixtures/cpython-*),
# whose drivers (tests/fixtures/fake-driver) parse the real scripts' command lines and record
# argv, cwd and environment: detection, dry-run golden output per layout
# (tests/fixtures/dryrun-golden), the steps and skips of real runs, profiles a layout lacks,
# --deps-src, failure and Ctrl-C, repl serving web_example/, and hostile values that must
# never turn the dry-run script into something else.
# Usage: build_fake_layouts.sh WASMDEV REPO_ROOT
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
. "$(dirname "$0")/wait.bash"
repo=$2
"$bin" build --help >/dev/null 2>&1 || { echo "SKIP: this wasmdev has no build subcommand"; exit 77; }
command -v python3 >/dev/null || { echo "SKIP: the fake drivers need python3"; exit 77; }
tmp=$(mktemp -d)
srv=
trap '[ -n "$srv" ] && kill $srv 2>/dev/null; rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
for d in cpython-3.13 cpython-3.14 cpython-main fake-driver fake-cpython deps-src; do
  cp -a "$repo/tests/fixtures/$d" "$tmp/$d"
done
echo 4.0.12 > "$tmp/fake-cpython/emsdk/emscripten-version.txt"  # what 3.14 and main pin
export FAKE_LOG=$tmp/calls.log
export EM_CONFIG=$tmp/fake-cpython/emsdk/.emscripten
export WASI_SDK_PATH=$tmp/fake-cpython/wasi-sdk
export PATH=$tmp/fake-cpython/emsdk:$tmp/fake-cpython/fakebin:$PATH
unset EMSDK MAKEFLAGS PKG_CONFIG_PATH HOSTRUNNER FAKE_FAIL FAKE_HANG FAKE_OFFLINE EMSDK_PYTHON NODE_PATH
runner="node /opt/wasi_runner.mjs"
# The calls as "tool arg..." lines.
calls() { awk '/^CALL /{n=$2} /^ARG /{sub(/^ARG /,""); a=a" "$0} /^END/{print n a; a=""}' "$FAKE_LOG"; }
norm() { sed -e "s#$tmp#/TMP#g" -e "s#$(uname -m)-pc-linux-gnu#BUILD-TRIPLE#g"; }
# Golden files leave out the two lines that depend on the machine rather than the layout
# (ccache installed, Debian's acorn in /usr/share/nodejs); build_fake.sh checks them.
machine_free() { grep -v -e '^  export EM_COMPILER_WRAPPER=' -e '^  unset EM_COMPILER_WRAPPER' -e '^  export NODE_PATH=/usr/share/nodejs'; }

# 1. Dry runs: golden output per layout; nothing runs, nothing is created; valid shell.
golden=$repo/tests/fixtures/dryrun-golden
dry() {  # NAME CHECKOUT ARGS...
  local name=$1 dir=$2; shift 2
  : > "$FAKE_LOG"
  (cd "$tmp/$dir" && "$bin" build "$@" --dry-run 2>/dev/null) | norm | machine_free > "$tmp/$name.sh" \
    || fail "$name dry-run failed"
  [ -s "$FAKE_LOG" ] && fail "$name dry-run ran something: $(calls)"
  [ -e "$tmp/$dir/cross-build" ] && fail "$name dry-run created cross-build/"
  bash -n "$tmp/$name.sh" || fail "$name dry-run is not valid shell"
  if [ "${WASMDEV_UPDATE_GOLDEN:-}" = 1 ]; then cp "$tmp/$name.sh" "$golden/$name.sh"; fi
  diff -u "$golden/$name.sh" "$tmp/$name.sh" || fail "$name dry-run differs from $golden/$name.sh"
}
dry 3.13-wasi cpython-3.13 wasi --host-runner "$runner"
dry 3.13-emscripten-browser cpython-3.13 emscripten-browser -j2
dry 3.14-wasi cpython-3.14 wasi --configure-arg=--with-pydebug --env FAKE_EXTRA=yes
dry 3.14-emscripten-browser cpython-3.14 emscripten-browser --deps-src "$tmp/deps-src"
dry 3.14-emscripten-node-dl-test cpython-3.14 emscripten-node-dl build test
dry main-wasi cpython-main wasi --host-runner "$runner" --clean
dry main-emscripten-browser cpython-main emscripten-browser build repl --emsdk-cache "$tmp/emsdk-cache"

# 2. --help names the checkout's CPython and pipelines.
(cd "$tmp/cpython-3.14" && "$bin" build --help) > "$tmp/help.txt" || fail "--help failed"
grep -q "This checkout: CPython 3.14.0" "$tmp/help.txt" || fail "--help does not name CPython 3.14.0"
grep -q "wasi  *Tools/wasm/wasi (3.14" "$tmp/help.txt" || fail "--help does not name the 3.14 WASI driver"

# 3. A profile the layout does not have: exit 2, one line naming what to use instead.
for args in "cpython-3.14 emscripten-node-pthreads" "cpython-main emscripten-browser-debug" "cpython-3.13 wasi-threads"; do
  set -- $args
  out=$(cd "$tmp/$1" && "$bin" build "$2" --dry-run 2>&1); rc=$?
  [ $rc = 2 ] || fail "$2 on $1 exited $rc, want 2: $out"
  [ "$(printf '%s\n' "$out" | wc -l)" = 1 ] || fail "$2 on $1 printed more than one line: $out"
  echo "$out" | grep -q "does not exist in CPython .*: use " || fail "$2 on $1 does not say what to use: $out"
done
out=$(cd "$tmp/cpython-3.14" && "$bin" build emscripten-browser --ports-src "$tmp/deps-src" 2>&1); rc=$?
[ $rc = 2 ] && echo "$out" | grep -q -- "--deps-src" || fail "--ports-src on 3.14 ($rc): $out"
out=$(cd "$tmp/cpython-3.13" && "$bin" build wasi --deps-src "$tmp/deps-src" 2>&1); rc=$?
[ $rc = 2 ] || fail "--deps-src on 3.13 wasi exited $rc: $out"
out=$(cd "$tmp/cpython-main" && "$bin" build wasi --make-var FOO=1 --dry-run 2>&1); rc=$?
[ $rc = 2 ] && echo "$out" | grep -q "runs make itself" || fail "--make-var on a driver layout ($rc): $out"

# 4. 3.13 WASI for real through the fake wasi.py: four subcommands, then a rerun skips.
: > "$FAKE_LOG"
(cd "$tmp/cpython-3.13" && "$bin" build wasi --host-runner "$runner") > "$tmp/out.txt" 2>&1 \
  || fail "3.13 wasi build failed: $(cat "$tmp/out.txt")"
got=$(calls | norm)
want="Tools/wasm/wasi.py configure-build-python
Tools/wasm/wasi.py make-build-python
Tools/wasm/wasi.py configure-host --wasi-sdk /TMP/fake-cpython/wasi-sdk --host-runner $runner
Tools/wasm/wasi.py make-host"
[ "$got" = "$want" ] || fail "3.13 wasi calls:
$got
--- want
$want"
awk '/^CWD /{print $2}' "$FAKE_LOG" | sort -u | grep -qvx "$tmp/cpython-3.13" && fail "a driver ran outside the checkout"
grep -q "python.wasm" "$tmp/out.txt" || fail "the summary lacks python.wasm: $(cat "$tmp/out.txt")"
grep -q "artifacts in $tmp/cpython-3.13/cross-build/wasm32-wasip1" "$tmp/out.txt" || fail "artifacts dir: $(cat "$tmp/out.txt")"
log=$tmp/cpython-3.13/cross-build/wasmdev-wasi.log
grep -q "python3 Tools/wasm/wasi.py make-host" "$log" || fail "the log $log lacks make-host"
grep -q "fake make-host done" "$log" || fail "the log lacks the driver's output"
: > "$FAKE_LOG"
(cd "$tmp/cpython-3.13" && "$bin" build wasi --host-runner "$runner") > "$tmp/out.txt" 2>&1 || fail "rebuild failed"
[ "$(calls)" = "Tools/wasm/wasi.py make-host" ] || fail "rebuild calls: $(calls)"
grep -q "build Python .* exists, not rebuilt" "$tmp/out.txt" || fail "rebuild does not say the build Python was kept"
# repl runs python.sh, which wasi.py wrote with the host runner: no wasmtime, SDK or
# --host-runner is needed for it (found when the real 3.13.5 repl was refused).
out=$(cd "$tmp/cpython-3.13" && PATH=/usr/bin:/bin WASI_SDK_PATH=$tmp/none "$bin" build wasi repl </dev/null 2>&1) \
  || fail "wasi repl failed: $out"
echo "$out" | grep -q "fake python.sh" || fail "wasi repl did not run python.sh: $out"

# 5. 3.14 Emscripten with --deps-src: libffi and mpdecimal from local trees, the driver's markers.
: > "$FAKE_LOG"
(cd "$tmp/cpython-3.14" && "$bin" build emscripten-browser --deps-src "$tmp/deps-src") > "$tmp/out.txt" 2>&1 \
  || fail "3.14 emscripten build failed: $(cat "$tmp/out.txt")"
got=$(calls | norm | awk '{print $1, $2}' | sed "s/ *$//")
want="Tools/wasm/emscripten/__main__.py configure-build-python
Tools/wasm/emscripten/__main__.py make-build-python
make_libffi.sh
emconfigure /TMP/cpython-3.14/cross-build/wasm32-emscripten/build/mpdecimal-4.0.1/configure
make install
Tools/wasm/emscripten/__main__.py configure-host
Tools/wasm/emscripten/__main__.py make-host"
[ "$got" = "$want" ] || fail "3.14 emscripten calls:
$got"
awk '/^CALL make_libffi.sh/{f=1} f && /^ENV PREFIX=/{print; exit}' "$FAKE_LOG" \
  | grep -qx "ENV PREFIX=$tmp/cpython-3.14/cross-build/wasm32-emscripten/prefix" || fail "make_libffi.sh PREFIX"
python3 -c 'import json, sys; sys.exit(0 if json.load(open(sys.argv[1]))["version"] == "3.4.6" else 1)' \
  "$tmp/cpython-3.14/cross-build/wasm32-emscripten/prefix/libffi.json" || fail "no libffi.json marker"
grep -q "libffi 3.4.8 from .* stands in for the pinned 3.4.6" "$tmp/out.txt" || fail "no note on the libffi version"
# Without --deps-src and without network, the driver's download step fails: the summary says what to do.
rm -rf "$tmp/cpython-3.14/cross-build/wasm32-emscripten/prefix"
out=$(cd "$tmp/cpython-3.14" && FAKE_OFFLINE=1 "$bin" build emscripten-browser --force 2>&1); rc=$?
[ $rc = 1 ] || fail "offline make-libffi exited $rc, want 1: $out"
# Offline here, preflight refuses (the hosts do not resolve); online, the driver's step fails.
echo "$out" | grep -Eq "make-libffi failed|make-libffi and make-mpdec download .* not resolve" \
  || fail "offline failure does not name make-libffi: $out"
echo "$out" | grep -q -- "--deps-src" || fail "offline failure has no --deps-src hint: $out"

# 6. A version refusal from the checkout's own pin; --force passes it.
echo 3.1.69 > "$tmp/fake-cpython/emsdk/emscripten-version.txt"
out=$(cd "$tmp/cpython-main" && "$bin" build emscripten-browser --deps-src "$tmp/deps-src" 2>&1); rc=$?
[ $rc = 1 ] || fail "Emscripten 3.1.69 against the pinned 4.0.12 exited $rc, want 1"
echo "$out" | grep -q "pins Emscripten 4.0.12 (Platforms/emscripten/config.toml).*3.1.69.*--force" || fail "pin message: $out"
echo 4.0.12 > "$tmp/fake-cpython/emsdk/emscripten-version.txt"

# 7. main WASI: a failing step names itself, its command and the log; Ctrl-C stops the driver.
: > "$FAKE_LOG"
out=$(cd "$tmp/cpython-main" && FAKE_FAIL=configure-host "$bin" build wasi --host-runner "$runner" 2>&1); rc=$?
[ $rc = 1 ] || fail "failing configure-host exited $rc"
echo "$out" | grep -q "step 3/4 (wasi configure-host) failed with exit code 1" || fail "failure report: $out"
echo "$out" | grep -q "command: python3 Platforms/WASI configure-host" || fail "failure command: $out"
echo "$out" | grep -q "log: *$tmp/cpython-main/cross-build/wasmdev-wasi.log" || fail "failure log: $out"
calls | grep -q make-host && fail "make-host ran after a failure"
: > "$FAKE_LOG"
(cd "$tmp/cpython-main" && FAKE_HANG=make-host exec "$bin" build wasi --host-runner "$runner") > "$tmp/hang.txt" 2>&1 &
pid=$!
for _ in $(seq 300); do [ -s "$FAKE_LOG.pid" ] && break; sleep 0.05; done
[ -s "$FAKE_LOG.pid" ] || fail "the hanging driver never started: $(cat "$tmp/hang.txt")"
kill -INT $pid
wait_for_exit $pid 20; rc=$?
[ $rc = 130 ] || fail "Ctrl-C exited $rc, want 130 (124: still running 20 s later)"
grep -q "SIGNAL INT make-host" "$FAKE_LOG" || fail "the driver did not get SIGINT"

# 8. repl on a browser build serves web_example/ with the same server as serve.
(cd "$tmp/cpython-main" && rm -f "$FAKE_LOG.pid" && "$bin" build emscripten-browser --deps-src "$tmp/deps-src") >/dev/null 2>&1 \
  || fail "main emscripten build failed"
(cd "$tmp/cpython-main" && exec "$bin" build emscripten-browser repl --port 0) > "$tmp/repl.txt" 2>&1 &
srv=$!
url=
for _ in $(seq 200); do url=$(grep -o 'http://[^ ]*/index.html' "$tmp/repl.txt" | head -n1); [ -n "$url" ] && break; sleep 0.05; done
[ -n "$url" ] || fail "repl printed no index.html URL: $(cat "$tmp/repl.txt")"
case $url in */cross-build/wasm32-emscripten/build/python/web_example/index.html) ;; *) fail "repl URL: $url" ;; esac
headers=$(curl -s -D - -o "$tmp/page.html" --max-time 5 "$url") || fail "GET $url failed"
echo "$headers" | grep -qi "^Cross-Origin-Opener-Policy: same-origin" || fail "no COOP on the page: $headers"
grep -q "fake web_example" "$tmp/page.html" || fail "the page is not web_example/index.html"
grep -q "path substitution" "$tmp/repl.txt" && fail "a release build printed the DevTools path substitution"
kill -INT $srv; wait_for_exit $srv 20 || fail "the repl server did not exit 0 on SIGINT (124: still running 20 s later)"
srv=
# A pydebug build Python (the drivers follow it) gets the DevTools path substitution.
mkdir -p "$tmp/cpython-main/cross-build/build/build/lib.linux-x86_64-3.15-pydebug"
(cd "$tmp/cpython-main" && exec "$bin" build emscripten-browser repl --port 0) > "$tmp/repl.txt" 2>&1 &
srv=$!
for _ in $(seq 200); do grep -q "path substitution" "$tmp/repl.txt" && break; sleep 0.05; done
grep -q "path substitution: $tmp/cpython-main -> http://127.0.0.1:" "$tmp/repl.txt" || fail "pydebug repl: $(cat "$tmp/repl.txt")"
kill -INT $srv; wait_for_exit $srv 20 || fail "the repl server did not exit 0 on SIGINT (124: still running 20 s later)"
srv=

# 9. Hostile values: an --env name with shell syntax is refused with one line; a checkout
#    path with newlines stays inside comments and quotes, and running the script makes no file.
out=$(cd "$tmp/cpython-3.13" && "$bin" build wasi --dry-run --env 'X;touch PWNED;Y=3' 2>&1); rc=$?
[ $rc = 2 ] || fail "--env with shell syntax exited $rc, want 2: $out"
[ "$(printf '%s\n' "$out" | wc -l)" = 1 ] || fail "--env refusal is not one line: $out"
evil=$tmp/$'evil\ntouch PWNED\n#'
cp -a "$tmp/cpython-3.13" "$evil"
rm -rf "$evil/cross-build"
(cd "$evil" && "$bin" build wasi --dry-run --host-runner "$runner" --env "FAKE_EXTRA=\$(touch PWNED2)"$'\n'"touch PWNED3") \
  > "$tmp/evil.sh" 2>/dev/null || fail "dry-run in the hostile checkout failed"
bash -n "$tmp/evil.sh" || fail "the hostile dry-run is not valid shell"
grep -q '^# CPython 3.13.5 at /.*evil\\ntouch PWNED\\n#$' "$tmp/evil.sh" || fail "the header does not escape the path"
: > "$FAKE_LOG"
(cd "$tmp" && bash "$tmp/evil.sh" >/dev/null 2>&1) || fail "the hostile dry-run script failed when run"
[ -z "$(find "$tmp" -name 'PWNED*')" ] || fail "running the hostile dry-run created $(find "$tmp" -name 'PWNED*')"
awk '/^CALL /{c=$2} /^ENV FAKE_EXTRA=/{print c": "$0}' "$FAKE_LOG" | grep -q 'touch PWNED2' \
  || fail "the --env value did not reach the drivers verbatim"
echo "PASS: build_fake_layouts"
