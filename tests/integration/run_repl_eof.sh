#!/usr/bin/env bash
# `wasmdev run` at the end of stdin on a CPython 3.11-style REPL page (tests/fixtures/run/repl311/:
# 3.11's python.worker.js cannot be told the input ended, and reads on from whatever its stdin
# buffer still holds): the last line must not be run a second time, and the REPL ends as at
# Ctrl-D, exit 0. A long line first leaves more bytes behind in the buffer.
. "$(dirname "$0")/script.bash"
. "$(dirname "$0")/run.bash"
cd "$2/tests/fixtures/run"
run() { timeout 120 "$bin" run "$@"; }

printf 'print("y".repeat(100))\nprint(6*7)\n' | run --timeout 60 repl311/python.html >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc = 0 ] || fail "3.11 REPL page at the end of input: exit $rc, want 0; stderr: $(cat "$tmp/err")"
printf '%s\n42\n' "$(printf 'y%.0s' $(seq 100))" >"$tmp/want"
diff "$tmp/want" "$tmp/out" || fail "3.11 REPL page at the end of input: stdout differs (above); stderr: $(cat "$tmp/err")"
echo "ok: at the end of stdin a 3.11 REPL page ends with 0 and runs no line twice"

printf 'print(1)\nexit(4)\n' | run --timeout 60 repl311/python.html >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc = 4 ] && [ "$(cat "$tmp/out")" = 1 ] || fail "3.11 REPL page exit(4): exit $rc, stdout $(cat "$tmp/out")"
echo "ok: exit(4) on a 3.11 REPL page is exit 4"
