#!/usr/bin/env bash
# `wasmdev run` on real Emscripten programs (Debian's emcc, compiled here) in real headless
# Chromium: stdout and stderr lines to the right streams and ARGs as argv, main returning 3,
# exit(5) from a PROXY_TO_PTHREAD build (which also needs serve's cross-origin isolation), an
# --emrun build, prompt() answered from a pipe, --json, and a MODULARIZE build with a custom
# EXPORT_NAME (output to the console, and to the DOM only).
. "$(dirname "$0")/script.bash"
. "$(dirname "$0")/run.bash"
command -v emcc >/dev/null || { echo "SKIP: emcc is missing (apt install emscripten)"; exit 77; }
export NODE_PATH=/usr/share/nodejs  # emcc's acorn under Node 20
src=$2/tests/fixtures/run
cd "$tmp"
cp "$src"/*.c "$src"/modular_*.html .
build() {  # OUT.html SOURCE FLAGS...
  local out=$1 source=$2
  shift 2
  emcc -O1 -sMINIFY_HTML=0 "$source" "$@" -o "$out" >"$out.log" 2>&1 || { cat "$out.log"; fail "emcc $out"; }
}
# Two at a time: the machine's two cores.
build hello.html hello.c & b1=$!
build thread.html exit_thread.c -pthread -sPROXY_TO_PTHREAD -sEXIT_RUNTIME=1 -sINITIAL_MEMORY=64MB & b2=$!
wait $b1 && wait $b2 || fail "emcc failed"
build emrun.html emrun_exit.c --emrun -sEXIT_RUNTIME=1 & b1=$!
build stdin.html stdin_echo.c & b2=$!
wait $b1 && wait $b2 || fail "emcc failed"
build modular.js hello.c -sMODULARIZE -sEXPORT_NAME=createHello || fail "emcc failed"
run() { timeout 120 "$bin" run --timeout 60 "$@"; }

# stdout and stderr to their streams, ARGs as argv, main returning 3 (a default build: no
# EXIT_RUNTIME) is the exit code.
run hello.html -- one "two words" '--flag' >out 2>err; rc=$?
[ $rc = 3 ] || fail "hello: exit $rc, want 3; stderr: $(cat err)"
printf 'hello from stdout\narg[1]=one\narg[2]=two words\narg[3]=--flag\nlast stdout line\n' >want
diff want out || fail "hello: stdout differs (above)"
grep -qx 'hello from stderr' err || fail "hello: stderr lacks its line: $(cat err)"
grep -q 'from stdout' err && fail "hello: stdout lines on stderr: $(cat err)"
echo "ok: stdout and stderr to their streams, ARGs as argv, main's 3 as the exit code"

# --json: one object per line with stream, url, time and text.
run --json hello.html >out 2>err; rc=$?
[ $rc = 3 ] || fail "--json: exit $rc"
node -e '
  const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
  const find = (t) => lines.find((l) => l.text === t) || (() => { throw new Error("no line " + t); })();
  if (find("hello from stdout").stream !== "stdout") throw new Error("stdout line on " + find("hello from stdout").stream);
  if (find("hello from stderr").stream !== "stderr") throw new Error("stderr line on " + find("hello from stderr").stream);
  for (const l of lines) if (typeof l.time !== "number" || typeof l.url !== "string") throw new Error(JSON.stringify(l));
' out || fail "--json: $(cat out)"
echo "ok: --json writes one object per line"

# exit(5) from main on a pthread: needs SharedArrayBuffer, so the page must be isolated.
run thread.html >out 2>err; rc=$?
[ $rc = 5 ] || fail "pthread: exit $rc, want 5; stdout: $(cat out); stderr: $(cat err)"
grep -qx 'main on a pthread' out || fail "pthread: no line from main: $(cat out)"
grep -qx 'from a second thread' out || fail "pthread: no line from the second thread: $(cat out)"
echo "ok: exit(5) from a PROXY_TO_PTHREAD program"
# ...which it owes to serve's policy: without COEP the page is not isolated and cannot start.
run --coep off thread.html >out 2>err; rc=$?
[ $rc = 1 ] || fail "pthread without COEP: exit $rc, want 1; stderr: $(cat err)"
grep -q 'SharedArrayBuffer' err || fail "pthread without COEP: no SharedArrayBuffer error: $(cat err)"
echo "ok: without COEP the same program fails (exit 1), so the isolation is the served policy's"

# An --emrun build: output once (the console), exit code 7.
run emrun.html >out 2>err; rc=$?
[ $rc = 7 ] || fail "emrun: exit $rc, want 7; stderr: $(cat err)"
[ "$(grep -cx 'emrun says hi' out)" = 1 ] || fail "emrun: want the line once: $(cat out)"
grep -qx 'emrun error line' err || fail "emrun: no stderr line: $(cat err)"
echo "ok: an --emrun build's output and exit code"

# prompt() answered from our stdin, line by line; the end of input ends the program's stdin.
printf 'alpha\nbeta gamma\n' | run stdin.html >out 2>err; rc=$?
[ $rc = 2 ] || fail "stdin: exit $rc, want 2; stdout: $(cat out); stderr: $(cat err)"
printf 'got [alpha]\ngot [beta gamma]\nend of input after 2 lines\n' >want
diff want out || fail "stdin: stdout differs (above)"
echo "ok: prompt() reads our stdin"

# A MODULARIZE build with its own EXPORT_NAME: the factory's object is the page's, never the
# global Module; main's 3 is still the exit code and ARGs still its argv.
run modular_console.html -- one >out 2>err; rc=$?
[ $rc = 3 ] || fail "MODULARIZE: exit $rc, want 3; stdout: $(cat out); stderr: $(cat err)"
printf 'hello from stdout\narg[1]=one\nlast stdout line\n' >want
diff want out || fail "MODULARIZE: stdout differs (above)"
echo "ok: a MODULARIZE build's exit code and ARGs"
# ...and with output only to the page's DOM: nothing on stdout, the exit code all the same.
run modular_dom.html >out 2>err; rc=$?
[ $rc = 3 ] || fail "MODULARIZE to the DOM: exit $rc, want 3; stdout: $(cat out); stderr: $(cat err)"
[ ! -s out ] || fail "MODULARIZE to the DOM: want no stdout: $(cat out)"
echo "ok: a MODULARIZE build writing only to the DOM gives its exit code"
