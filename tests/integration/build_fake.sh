#!/usr/bin/env bash
# `wasmdev build` against the fake CPython checkout (tests/fixtures/fake-cpython), whose
# configure, emconfigure, emmake, make, embuilder, emcc and wasi-env record argv, cwd and
# environment: step order, arguments, environment, the log, dry-run, preflight refusals,
# the failure report of a step that exits 1, and Ctrl-C stopping the child.
# Usage: build_fake.sh WASMDEV REPO_ROOT
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
. "$(dirname "$0")/wait.bash"
repo=$2
if ! "$bin" build --help >/dev/null 2>&1; then
  echo "SKIP: this wasmdev has no build subcommand registered (main.cpp)"
  exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

src=$tmp/cpython
cp -a "$repo/tests/fixtures/fake-cpython" "$src"
export FAKE_LOG=$tmp/calls.log
export EM_CONFIG=$src/emsdk/.emscripten
export WASI_SDK_PATH=$src/wasi-sdk
export PATH=$src/fakebin:$PATH
unset EMSDK MAKEFLAGS PKG_CONFIG_PATH EM_COMPILER_WRAPPER HOSTRUNNER FAKE_FAIL FAKE_HANG

# The calls as "tool cwd-basename args..." lines, in order.
calls() { awk '/^CALL /{n=$2} /^CWD /{c=$2; sub(".*/","",c)} /^ARG /{sub(/^ARG /,""); a=a" "$0} /^END/{print n" "c a; a=""}' "$FAKE_LOG"; }
# The value an env var had in the Nth recorded call.
env_of() { awk -v n="$1" -v v="$2" '/^CALL /{i++} i==n && $1=="ENV" && index($2, v"=")==1 {sub("^ENV "v"=",""); print; exit} i==n && $1=="ENV" && $2==v && $3=="unset" {print "<unset>"; exit}' "$FAKE_LOG"; }

# 1. --help names the profiles and ops.
"$bin" build --help > "$tmp/help.txt" || fail "build --help exits non-zero"
for w in emscripten-browser emscripten-node-dl wasi hostrunnertest emports --dry-run --ports-src --jobs; do
  grep -q -- "$w" "$tmp/help.txt" || fail "--help lacks $w"
done
grep -q wasi-threads "$tmp/help.txt" && fail "--help lists the experimental wasi-threads without --all-profiles"
"$bin" build --all-profiles --help | grep -q wasi-threads || fail "--all-profiles --help lacks wasi-threads"

# 2. Bad usage: exit 2, one line.
out=$(cd "$src" && "$bin" build emscripten-brower 2>&1); rc=$?
[ $rc = 2 ] || fail "unknown profile exited $rc, want 2"
[ "$(printf '%s\n' "$out" | wc -l)" = 1 ] || fail "unknown profile printed more than one line: $out"
out=$(cd "$src" && "$bin" build emscripten-browser test 2>&1); rc=$?
[ $rc = 2 ] || fail "test on a browser profile exited $rc, want 2 ($out)"

# 3. Outside a checkout: exit 1 with the fix.
out=$(cd "$tmp" && "$bin" build wasi 2>&1); rc=$?
[ $rc = 1 ] || fail "outside a checkout exited $rc"
echo "$out" | grep -q -- "--srcdir" || fail "outside a checkout: no --srcdir hint: $out"

# 4. --dry-run runs nothing and prints the README's commands.
: > "$FAKE_LOG"
(cd "$src/Tools/wasm" && "$bin" build emscripten-browser --dry-run -j3) > "$tmp/dry.txt" 2>&1 || fail "dry-run failed: $(cat "$tmp/dry.txt")"
[ -s "$FAKE_LOG" ] && fail "dry-run ran something: $(calls)"
[ -e "$src/builddir" ] && fail "dry-run created builddir"
grep -q "CONFIG_SITE=../../Tools/wasm/config.site-wasm32-emscripten" "$tmp/dry.txt" || fail "dry-run lacks CONFIG_SITE"
grep -q -- "--with-emscripten-target=browser" "$tmp/dry.txt" || fail "dry-run lacks the target"
grep -q "emmake make -j3" "$tmp/dry.txt" || fail "dry-run lacks emmake make -j3"
grep -q "export TZ=UTC" "$tmp/dry.txt" || fail "dry-run lacks TZ"
# The printed script is valid shell.
sh -n "$tmp/dry.txt" || fail "dry-run output is not valid sh"

# 5. The full emscripten-browser build from a subdirectory: order, argv, cwd, env, log, summary.
: > "$FAKE_LOG"
(cd "$src/Tools" && "$bin" build emscripten-browser -j3) > "$tmp/out.txt" 2>&1 || fail "build failed: $(cat "$tmp/out.txt")"
got=$(calls)
want="configure build -C
make build -j3
embuilder cpython --pic build bzip2 sqlite3 zlib
emcc check-emscripten-browser -sMEMORY64=0 -O2 -sMAIN_MODULE -sUSE_ZLIB -sUSE_BZIP2 -sUSE_SQLITE3 $src/builddir/emports/check-emscripten-browser/main.c -o $src/builddir/emports/check-emscripten-browser/main.js
emconfigure emscripten-browser ../../configure -C --host=wasm32-unknown-emscripten --build=$(uname -m)-pc-linux-gnu --with-emscripten-target=browser --enable-wasm-dynamic-linking --with-build-python=$src/builddir/build/python
configure emscripten-browser -C --host=wasm32-unknown-emscripten --build=$(uname -m)-pc-linux-gnu --with-emscripten-target=browser --enable-wasm-dynamic-linking --with-build-python=$src/builddir/build/python
emmake emscripten-browser make -j3
make emscripten-browser -j3"
[ "$got" = "$want" ] || fail "calls differ:
--- got
$got
--- want
$want"
[ "$(env_of 1 TZ)" = "<unset>" ] || fail "the native configure got TZ=$(env_of 1 TZ)"
[ "$(env_of 1 MAKEFLAGS)" = "-j3" ] || fail "MAKEFLAGS for native configure: $(env_of 1 MAKEFLAGS)"
[ "$(env_of 5 TZ)" = "UTC" ] || fail "emconfigure got TZ=$(env_of 5 TZ)"
[ "$(env_of 5 CONFIG_SITE)" = "../../Tools/wasm/config.site-wasm32-emscripten" ] || fail "CONFIG_SITE: $(env_of 5 CONFIG_SITE)"
[ "$(env_of 1 CONFIG_SITE)" = "<unset>" ] || fail "the native configure got CONFIG_SITE"
[ "$(env_of 7 CONFIG_SITE)" = "<unset>" ] || fail "emmake got CONFIG_SITE"
if command -v ccache >/dev/null; then want_wrapper=ccache; else want_wrapper="<unset>"; fi
[ "$(env_of 7 EM_COMPILER_WRAPPER)" = "$want_wrapper" ] || fail "EM_COMPILER_WRAPPER: $(env_of 7 EM_COMPILER_WRAPPER)"
awk '/^CALL emmake/{f=1} f && /^PATH /{print; exit}' "$FAKE_LOG" | grep -q "^PATH $src/emsdk/node/bin:$src/emsdk:" \
  || fail "emmake's PATH does not start with emsdk's node and root"
log=$src/builddir/emscripten-browser/wasmdev-build.log
[ -f "$log" ] || fail "no log at $log"
grep -q "fake make: built emscripten-browser" "$log" || fail "the log lacks make's output"
grep -q '^\$ cd .*emscripten-browser && CONFIG_SITE=' "$log" || fail "the log lacks the configure command"
grep -q "python.wasm" "$tmp/out.txt" || fail "the summary lacks python.wasm: $(cat "$tmp/out.txt")"
grep -q "19.5 KiB" "$tmp/out.txt" || fail "the summary lacks python.wasm's size"
grep -q "\[5/5\] emscripten-browser make" "$tmp/out.txt" || fail "the summary lacks step 5/5"

# 6. Again: Makefiles and the build Python exist, so only make runs (ports via embuilder again).
: > "$FAKE_LOG"
(cd "$src" && "$bin" build emscripten-browser -j3) > "$tmp/out.txt" 2>&1 || fail "rebuild failed"
[ "$(calls | awk '{print $1}' | tr '\n' ' ')" = "embuilder emcc emmake make " ] || fail "rebuild calls: $(calls)"

# 7. wasi: wasi-env wraps configure, HOSTRUNNER and WASI_SDK_PATH are set, Setup.local exists.
: > "$FAKE_LOG"
"$bin" build wasi --srcdir "$src" -j2 > "$tmp/out.txt" 2>&1 || fail "wasi build failed: $(cat "$tmp/out.txt")"
got=$(calls | awk '{print $1" "$2" "$3}')
want="wasi-env wasi ../../configure
configure wasi -C
make wasi -j2"
[ "$got" = "$want" ] || fail "wasi calls: $got"
[ -f "$src/Modules/Setup.local" ] || fail "Modules/Setup.local was not created"
[ "$(env_of 1 WASI_SDK_PATH)" = "$src/wasi-sdk" ] || fail "WASI_SDK_PATH: $(env_of 1 WASI_SDK_PATH)"
case $(env_of 3 HOSTRUNNER) in
  "wasmtime run --env PYTHONPATH=/builddir/wasi/build/lib.wasi-wasm32-3.11:/Lib --mapdir /::$src --") ;;
  *) fail "HOSTRUNNER: $(env_of 3 HOSTRUNNER)" ;;
esac

# 8. Pass-throughs reach the target profile only.
: > "$FAKE_LOG"
"$bin" build wasi configure compile --srcdir "$src" --configure-arg=--with-pydebug --make-var FOO=bar \
  --env FAKE_EXTRA=yes > "$tmp/out.txt" 2>&1 || fail "pass-through build failed: $(cat "$tmp/out.txt")"
calls | grep -q "^configure wasi .* --with-pydebug$" || fail "--configure-arg missing: $(calls)"
calls | grep -q "^make wasi -j[0-9]* FOO=bar$" || fail "--make-var missing: $(calls)"
[ "$(env_of 1 FAKE_EXTRA)" = "yes" ] || fail "--env missing"

# 9. Preflight: a missing WASI SDK is refused at once, nothing runs.
: > "$FAKE_LOG"
out=$(WASI_SDK_PATH=$tmp/none "$bin" build wasi --srcdir "$src" 2>&1); rc=$?
[ $rc = 1 ] || fail "missing WASI SDK exited $rc, want 1"
echo "$out" | grep -q "^error: no WASI SDK at $tmp/none" || fail "missing WASI SDK message: $out"
[ -s "$FAKE_LOG" ] && fail "preflight refusal still ran: $(calls)"
# An old Emscripten is a version refusal that --force passes.
echo 3.1.6 > "$src/emsdk/emscripten-version.txt"
out=$("$bin" build emscripten-browser configure --srcdir "$src" 2>&1); rc=$?
[ $rc = 1 ] || fail "Emscripten 3.1.6 exited $rc, want 1"
echo "$out" | grep -q "older than the minimum 3.1.19.*--force" || fail "old Emscripten message: $out"
"$bin" build emscripten-browser configure --srcdir "$src" --force > "$tmp/out.txt" 2>&1 || fail "--force did not pass: $(cat "$tmp/out.txt")"
echo 3.1.19 > "$src/emsdk/emscripten-version.txt"

# 10. A failing step: its number, title, command, exit code and log; exit 1; later steps don't run.
rm -rf "$src/builddir/emscripten-browser"
: > "$FAKE_LOG"
FAKE_FAIL=configure:emscripten-browser "$bin" build emscripten-browser --srcdir "$src" > "$tmp/out.txt" 2> "$tmp/err.txt"; rc=$?
[ $rc = 1 ] || fail "failing configure exited $rc, want 1"
grep -q "^error: step 2/3 (emscripten-browser configure) failed with exit code 1" "$tmp/err.txt" || fail "failure report: $(cat "$tmp/err.txt")"
grep -q "command: CONFIG_SITE=../../Tools/wasm/config.site-wasm32-emscripten .*emconfigure ../../configure -C" "$tmp/err.txt" || fail "failure report lacks the command"
grep -q "log: *$src/builddir/emscripten-browser/wasmdev-build.log" "$tmp/err.txt" || fail "failure report lacks the log"
grep -q "fake failure in emscripten-browser" "$tmp/err.txt" || fail "failure report lacks the last output"
calls | grep -q "^emmake" && fail "make ran after configure failed"

# 11. Ctrl-C: the running step's process gets it, wasmdev exits 130 and reports the step.
: > "$FAKE_LOG"
rm -f "$FAKE_LOG.pid"
FAKE_HANG=make "$bin" build emscripten-browser --srcdir "$src" > "$tmp/out.txt" 2> "$tmp/err.txt" &
pid=$!
for _ in $(seq 100); do [ -s "$FAKE_LOG.pid" ] && break; sleep 0.1; done
[ -s "$FAKE_LOG.pid" ] || fail "the hanging make never started"
child=$(cat "$FAKE_LOG.pid")
kill -INT $pid
for _ in $(seq 50); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
kill -0 $pid 2>/dev/null && { kill -9 $pid; fail "wasmdev still runs 5 s after Ctrl-C"; }
wait $pid; rc=$?
[ $rc = 130 ] || fail "Ctrl-C exit code $rc, want 130"
grep -q "SIGNAL INT make" "$FAKE_LOG" || fail "make did not get SIGINT"
grep -q "interrupted: step .* was stopped by Ctrl-C" "$tmp/err.txt" || fail "no interruption report: $(cat "$tmp/err.txt")"
# The child goes (or is a zombie its reaper has not collected yet): its state is polled, with
# a bound a loaded machine cannot reach (30 s), not slept for.
child_runs() { kill -0 "$child" 2>/dev/null && ! grep -q '^Z' <(awk '{print $3}' "/proc/$child/stat" 2>/dev/null); }
for _ in $(seq 300); do child_runs || break; sleep 0.1; done
if child_runs; then
  fail "the child make ($child) still runs"
fi

# 12. Offline ports from --ports-src: three libraries with emcc, then configure gets them.
ports=$tmp/ports
mkdir -p "$ports/zlib-1.2.13" "$ports/bzip2-1.0.8" "$ports/sqlite-amalgamation-3400100"
for f in zlib.h zconf.h adler32.c compress.c crc32.c deflate.c gzclose.c gzlib.c gzread.c gzwrite.c infback.c \
         inffast.c inflate.c inftrees.c trees.c uncompr.c zutil.c; do echo "/* $f */" > "$ports/zlib-1.2.13/$f"; done
for f in bzlib.h blocksort.c huffman.c crctable.c randtable.c compress.c decompress.c bzlib.c; do
  echo "/* $f */" > "$ports/bzip2-1.0.8/$f"
done
for f in sqlite3.h sqlite3.c; do echo "/* $f */" > "$ports/sqlite-amalgamation-3400100/$f"; done
rm -rf "$src/builddir/emscripten-browser"
: > "$FAKE_LOG"
"$bin" build emscripten-browser --srcdir "$src" --ports-src "$ports" > "$tmp/out.txt" 2>&1 || fail "offline ports build failed: $(cat "$tmp/out.txt")"
prefix=$src/builddir/emports/emscripten-browser
[ "$(calls | grep -c '^emcc ')" = 23 ] || fail "want 15 zlib + 7 bzip2 + 1 sqlite3 compiles: $(calls | grep -c '^emcc ')"
calls | grep -q "^emar bzip2 rcs $prefix/lib/libbz2.a" || fail "no libbz2.a archive"
calls | grep -q "^embuilder" && fail "embuilder ran although --ports-src was given"
for f in include/zlib.h include/zconf.h include/bzlib.h include/sqlite3.h lib/libz.a lib/libbz2.a lib/libsqlite3.a wasmdev-emports.txt; do
  [ -e "$prefix/$f" ] || fail "offline prefix lacks $f"
done
calls | grep "^configure emscripten-browser" | grep -q "ZLIB_LIBS=-L$prefix/lib -lz" || fail "configure lacks ZLIB_LIBS"
calls | grep "^configure emscripten-browser" | grep -q "ac_cv_lib_sqlite3_sqlite3_load_extension=no" || fail "configure lacks the sqlite3 answers"
calls | grep -q "^make emscripten-browser -j[0-9]* MODULE_BINASCII_LDFLAGS=$" || fail "make lacks MODULE_BINASCII_LDFLAGS="
# The prefix is reused without --ports-src.
: > "$FAKE_LOG"
"$bin" build emscripten-browser --srcdir "$src" > "$tmp/out.txt" 2>&1 || fail "rebuild with the prefix failed"
calls | grep -q "^embuilder" && fail "embuilder ran although the offline prefix exists"
calls | grep -q "^emmake emscripten-browser make -j[0-9]* MODULE_BINASCII_LDFLAGS=$" || fail "rebuild does not use the prefix: $(calls)"

# 12b. A full sqlite3 source tree: its amalgamation is made natively first, then compiled.
rm -rf "$ports/sqlite-amalgamation-3400100" "$src/builddir/emports"
mkdir -p "$ports/sqlite3-3.40.1/tool"
echo "# fake" > "$ports/sqlite3-3.40.1/tool/mksqlite3c.tcl"
printf '#!/bin/sh\n. "%s/fakebin/record.sh"\nfake_record configure "$@"\necho "# fake" > Makefile\n' "$src" \
  > "$ports/sqlite3-3.40.1/configure"
chmod +x "$ports/sqlite3-3.40.1/configure"
: > "$FAKE_LOG"
"$bin" build emscripten-browser emports --srcdir "$src" --ports-src "$ports" > "$tmp/out.txt" 2>&1 || fail "full-tree sqlite3 emports failed: $(cat "$tmp/out.txt")"
calls | grep -q "^make sqlite3-amalgamation sqlite3.c" || fail "no native make sqlite3.c: $(calls)"
calls | grep -q "^emcc sqlite3 .* -c $prefix/sqlite3-amalgamation/sqlite3.c" || fail "sqlite3.c not compiled from the amalgamation: $(calls | grep sqlite)"
[ -e "$prefix/include/sqlite3.h" ] || fail "no sqlite3.h in the prefix"

# 13. clean, cleanall.
: > "$FAKE_LOG"
"$bin" build emscripten-browser clean --srcdir "$src" > /dev/null 2>&1 || fail "clean failed"
calls | grep -q "^make emscripten-browser clean" || fail "clean did not run make clean: $(calls)"
"$bin" build emscripten-browser cleanall --srcdir "$src" > /dev/null 2>&1 || fail "cleanall failed"
[ -e "$src/builddir/emscripten-browser" ] && fail "cleanall left builddir/emscripten-browser"
[ -e "$src/builddir/wasi" ] || fail "cleanall of one profile removed another"
(cd "$src" && "$bin" build cleanall > /dev/null 2>&1) || fail "build cleanall failed"
[ -z "$(ls "$src/builddir" | grep -v wasmdev-build.log)" ] || fail "build cleanall left $(ls "$src/builddir")"

# 14. repl on a browser debug profile: the serve server on the checkout root, the python.html
# URL, the DevTools path substitution; SIGINT stops it with exit 0.
"$bin" build emscripten-browser-debug --srcdir "$src" > "$tmp/out.txt" 2>&1 || fail "debug build failed: $(cat "$tmp/out.txt")"
"$bin" build emscripten-browser-debug repl --srcdir "$src" --port 0 --quiet > "$tmp/repl.txt" 2>&1 &
srv=$!
url=
url=$(wait_for_match 'http://127\.0\.0\.1:[0-9]+/builddir/emscripten-browser-debug/python\.html' 60 "$tmp/repl.txt")
[ -n "$url" ] || { kill $srv; fail "repl printed no python.html URL: $(cat "$tmp/repl.txt")"; }
base=${url%/builddir/*}
# The fake build's python.wasm is not a real module: the doctor says it carries no debug info.
wait_for_match "carries no debug info" 60 "$tmp/repl.txt" >/dev/null || { kill $srv; fail "repl printed no doctor verdict: $(cat "$tmp/repl.txt")"; }
grep -q "python.wasm carries no debug info" "$tmp/repl.txt" || { kill $srv; fail "no doctor verdict on the fake python.wasm: $(cat "$tmp/repl.txt")"; }
headers=$(curl -s -m 20 -D - -o "$tmp/page.html" "$url")
kill -INT $srv; wait_for_exit $srv 20; rc=$?
echo "$headers" | grep -qi "^cross-origin-opener-policy: same-origin" || fail "python.html without COOP: $headers"
echo "$headers" | grep -qi "^cross-origin-embedder-policy: require-corp" || fail "python.html without COEP: $headers"
# Live reload is on for repl: the page carries its client (tests/integration/reload_build.sh).
grep -qE '^<html><script src="/__wasmdev/reload\.js\?token=[0-9a-f]{32}" defer></script>fake</html>$' "$tmp/page.html" \
  || fail "python.html body: $(cat "$tmp/page.html")"
[ $rc = 0 ] || fail "repl server exited $rc on SIGINT, want 0"

# 15. repl of a debug profile whose python.wasm exists: the doctor reads its DWARF and prints
# the substitution it computed. A real module: clang-14 and wasm-ld-14 compile a C file
# of the checkout with its absolute path, as a CPython debug build does.
if command -v clang-14 >/dev/null && command -v wasm-ld-14 >/dev/null; then
  mkdir -p "$src/Python"
  printf 'int add(int a, int b) { return a + b; }\n' > "$src/Python/ceval_fake.c"
  (cd "$src/builddir/emscripten-browser-debug" &&
     clang-14 --target=wasm32 -g -O0 -c "$src/Python/ceval_fake.c" -o ceval_fake.o &&
     wasm-ld-14 --no-entry --export-all ceval_fake.o -o python.wasm) || fail "clang-14 could not build the test module"
  "$bin" build emscripten-browser-debug repl --srcdir "$src" --port 0 --quiet > "$tmp/repl2.txt" 2>&1 &
  srv=$!
  url=
  url=$(wait_for_match 'http://127\.0\.0\.1:[0-9]+/builddir/emscripten-browser-debug/python\.html' 60 "$tmp/repl2.txt")
  [ -n "$url" ] || { kill $srv; fail "repl printed no python.html URL: $(cat "$tmp/repl2.txt")"; }
  base=${url%/builddir/*}
  wait_for_match 'DevTools C/C\+\+ debugging' 60 "$tmp/repl2.txt" >/dev/null || { kill $srv; fail "repl printed no doctor hint: $(cat "$tmp/repl2.txt")"; }
  kill -INT $srv; wait_for_exit $srv 20; [ $? != 124 ] || fail "repl still running 20 s after SIGINT"
  want="[{\"from\":\"$src/\",\"to\":\"$base/\"}]"
  grep -qF "$want" "$tmp/repl2.txt" || fail "repl did not print the doctor's substitution $want: $(cat "$tmp/repl2.txt")"
  grep -q "path substitution: $src -> " "$tmp/repl2.txt" && fail "repl printed the generic guess beside the doctor's: $(cat "$tmp/repl2.txt")"
else
  echo "note: clang-14/wasm-ld-14 missing: skipped the doctor's repl hint (apt-get install clang-14 lld-14)"
fi

echo "PASS: build against the fake checkout"
