#!/usr/bin/env bash
# `wasmdev run` on hand-written pages in real headless Chromium: an uncaught exception (exit 1,
# stack on stderr), a worker's console, a CPython REPL page fed from stdin, emrun's protocol answered in the browser, --timeout and
# Ctrl-C leaving no browser process and no profile behind, and the usage errors (no Chromium,
# no PAGE, a PAGE outside ROOT, a browser that dies).
. "$(dirname "$0")/script.bash"
. "$(dirname "$0")/run.bash"
pages=$2/tests/fixtures/run
cd "$pages"
run() { timeout 120 "$bin" run "$@"; }

# An uncaught exception: its stack on stderr, exit 1; what came before on stdout.
run --timeout 60 throws.html >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc = 1 ] || fail "throws.html: exit $rc, want 1; stderr: $(cat "$tmp/err")"
grep -qx 'before the throw' "$tmp/out" || fail "throws.html: stdout lacks the first line: $(cat "$tmp/out")"
grep -q '^Uncaught Error: boom from the page' "$tmp/err" || fail "throws.html: no exception on stderr: $(cat "$tmp/err")"
grep -qE '^ +at thrower \(http://localhost:[0-9]+/throws.html:' "$tmp/err" || fail "throws.html: no stack: $(cat "$tmp/err")"
echo "ok: an uncaught exception exits 1 with its stack on stderr"

# An unhandled rejection: the same, "Uncaught (in promise)".
run --timeout 60 rejects.html >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc = 1 ] || fail "rejects.html: exit $rc, want 1; stderr: $(cat "$tmp/err")"
grep -q '^Uncaught (in promise) Error: rejected in a promise' "$tmp/err" || fail "rejects.html: no rejection on stderr: $(cat "$tmp/err")"
grep -qE '^ +at rejecter \(' "$tmp/err" || fail "rejects.html: no stack: $(cat "$tmp/err")"
echo "ok: an unhandled rejection exits 1 with its stack on stderr"

# A strict CSP (script-src 'self') does not stop run's injected script.
run --timeout 60 csp.html >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc = 4 ] || fail "csp.html: exit $rc, want 4; stderr: $(cat "$tmp/err")"
grep -qx 'csp page runs' "$tmp/out" || fail "csp.html: no line: $(cat "$tmp/out")"
echo "ok: wasmdevRun.exit works under a strict CSP"

# A worker's console.log and console.error reach our stdout and stderr.
run --timeout 60 worker.html >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc = 0 ] || fail "worker.html: exit $rc; stderr: $(cat "$tmp/err")"
grep -qx 'hello from the worker' "$tmp/out" || fail "worker.html: no worker line on stdout: $(cat "$tmp/out")"
grep -qx 'worker error line' "$tmp/err" || fail "worker.html: no worker error on stderr: $(cat "$tmp/err")"
grep -qx 'page got done' "$tmp/out" || fail "worker.html: no page line: $(cat "$tmp/out")"
echo "ok: a worker's console reaches stdout and stderr"

# emrun's POSTs are answered in the browser (200) and its ^exit^ is the exit code.
run --timeout 60 emrun_only.html >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc = 9 ] || fail "emrun_only.html: exit $rc, want 9; stderr: $(cat "$tmp/err")"
grep -qx 'emrun answer 200' "$tmp/out" || fail "emrun_only.html: the POST was not answered 200: $(cat "$tmp/out")"
echo "ok: emrun's exit code arrives through its POSTs"

# A CPython REPL page (python.html's worker protocol, faked in repl/): our stdin lines are the
# REPL's input, its output (only in the page's terminal) our stdout and stderr, and its end
# our exit code: exit(3) after the lines, and 0 at the end of input. The 200-byte line is
# longer than the page's 127-byte stdin buffer.
long=$(printf 'x%.0s' $(seq 200))
printf 'print(1+1)\nprint("x".repeat(200))\nprint("\xc3\xa9t\xc3\xa9")\nexit(3)\nprint(9)\n' |
  run --timeout 60 repl/python.html >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc = 3 ] || fail "REPL page: exit $rc, want 3; stdout: $(cat "$tmp/out"); stderr: $(cat "$tmp/err")"
printf '2\n%s\n\xc3\xa9t\xc3\xa9\n' "$long" >"$tmp/want"
diff "$tmp/want" "$tmp/out" || fail "REPL page: stdout differs (above)"
grep -q '^Python 3.13.0 (fake)' "$tmp/err" || fail "REPL page: no banner on stderr: $(cat "$tmp/err")"
printf 'print(6*7)\n' | run --timeout 60 repl/python.html >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc = 0 ] || fail "REPL page at the end of input: exit $rc, want 0; stderr: $(cat "$tmp/err")"
[ "$(cat "$tmp/out")" = 42 ] || fail "REPL page at the end of input: stdout $(cat "$tmp/out")"
echo "ok: a CPython REPL page reads our stdin, and its output and exit code are ours"

# --timeout on a page that never exits: 124, and nothing of the browser is left. (Whether the
# page printed before the limit depends on the machine's load: the test does not ask.)
run -v --timeout 5 never_exits.html >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc = 124 ] || fail "--timeout: exit $rc, want 124; stderr: $(cat "$tmp/err")"
grep -q 'timed out after 5 s' "$tmp/err" || fail "--timeout: no message: $(cat "$tmp/err")"
recorded_run "$tmp/err"
left_nothing_behind
echo "ok: --timeout exits 124 and leaves no process of group $run_pgid and no $run_dir"

# --silence-timeout: the page prints once, then nothing: 124 once it has been quiet that long.
run --silence-timeout 5 never_exits.html >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc = 124 ] || fail "--silence-timeout: exit $rc, want 124; stderr: $(cat "$tmp/err")"
grep -q 'no output for 5 s' "$tmp/err" || fail "--silence-timeout: no message: $(cat "$tmp/err")"
echo "ok: --silence-timeout exits 124"

# Ctrl-C mid-run: 130, and nothing of the browser is left.
"$bin" run -v never_exits.html >"$tmp/out" 2>"$tmp/err" &
runner=$!
wait_for_match 'ready and waiting' 60 "$tmp/out" >/dev/null || fail "Ctrl-C: the page never printed: $(cat "$tmp/err")"
kill -INT "$runner"
timeout 30 tail --pid="$runner" -f /dev/null || fail "Ctrl-C: wasmdev run did not end within 30 s"
wait "$runner"; rc=$?
runner=
[ $rc = 130 ] || fail "Ctrl-C: exit $rc, want 130; stderr: $(cat "$tmp/err")"
recorded_run "$tmp/err"
left_nothing_behind
echo "ok: Ctrl-C exits 130 and leaves no process of group $run_pgid and no $run_dir"

# The browser crashing mid-run (its main process killed): exit 1 naming the signal, and the
# rest of its group and its profile are gone.
"$bin" run -v never_exits.html >"$tmp/out" 2>"$tmp/err" &
runner=$!
wait_for_match 'ready and waiting' 60 "$tmp/out" >/dev/null || fail "crash: the page never printed: $(cat "$tmp/err")"
recorded_run "$tmp/err"
kill -KILL "$run_pgid"  # the browser's own pid (it leads its group): started by this test's wasmdev
timeout 30 tail --pid="$runner" -f /dev/null || fail "crash: wasmdev run did not end within 30 s"
wait "$runner"; rc=$?
runner=
[ $rc = 1 ] || fail "crash: exit $rc, want 1; stderr: $(cat "$tmp/err")"
grep -q 'the browser was killed by signal 9' "$tmp/err" || fail "crash: no reason: $(cat "$tmp/err")"
left_nothing_behind
echo "ok: a browser killed mid-run is exit 1 with its reason, and leaves nothing behind"

# No Chromium: one line naming the package and --browser, exit 2.
WASMDEV_BROWSER= timeout 60 "$bin" run --browser /nonexistent/chromium never_exits.html >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc = 2 ] || fail "no Chromium: exit $rc, want 2"
[ "$(wc -l <"$tmp/err")" = 1 ] && grep -q 'apt install chromium' "$tmp/err" && grep -q -- '--browser' "$tmp/err" ||
  fail "no Chromium: want one line naming apt install chromium and --browser: $(cat "$tmp/err")"
echo "ok: no Chromium is one line and exit 2"

# A PAGE that does not exist, or is outside ROOT: exit 2 naming it.
timeout 60 "$bin" run missing-page.html >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc = 2 ] && grep -q 'missing-page.html' "$tmp/err" || fail "missing PAGE: exit $rc: $(cat "$tmp/err")"
timeout 60 "$bin" run --root "$tmp" never_exits.html >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc = 2 ] && grep -q -- '--root' "$tmp/err" || fail "PAGE outside ROOT: exit $rc: $(cat "$tmp/err")"
echo "ok: a missing PAGE or one outside ROOT is exit 2"

# A browser that dies at once: exit 1 with its reason.
printf '#!/bin/sh\necho "fake browser cannot start" >&2\nexit 3\n' >"$tmp/fake-browser"
chmod +x "$tmp/fake-browser"
timeout 60 "$bin" run --browser "$tmp/fake-browser" never_exits.html >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc = 1 ] || fail "dying browser: exit $rc, want 1: $(cat "$tmp/err")"
grep -q 'exited with status 3.*fake browser cannot start' "$tmp/err" || fail "dying browser: no reason: $(cat "$tmp/err")"
echo "ok: a browser that dies is exit 1 with its reason"
