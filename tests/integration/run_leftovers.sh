#!/usr/bin/env bash
# What a `wasmdev run` that could not clean up leaves, and who collects it: a run SIGKILLed
# mid-page takes its browser with it (the DevTools pipe closes and Chromium exits), and the next
# run removes its profile directory, which no live run holds any more; a directory another live
# run holds is kept. Also: --timeout 0 turns the default limit off.
. "$(dirname "$0")/script.bash"
. "$(dirname "$0")/run.bash"
pages=$2/tests/fixtures/run
cd "$pages"
# A private TMPDIR: the collection looks only at wasmdev-run-* directories there.
export TMPDIR=$tmp/t
mkdir -p "$TMPDIR"

# --timeout 0 is accepted (no limit) and a page's exit code still ends the run.
timeout 120 "$bin" run --timeout 0 csp.html >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc = 4 ] || fail "--timeout 0: exit $rc, want 4; stderr: $(cat "$tmp/err")"
echo "ok: --timeout 0 is no limit"

# A live run, to check its directory is never collected.
"$bin" run -v never_exits.html >"$tmp/live.out" 2>"$tmp/live.err" &
runner=$!
wait_for_match 'ready and waiting' 60 "$tmp/live.out" >/dev/null || fail "live run: the page never printed: $(cat "$tmp/live.err")"
recorded_run "$tmp/live.err"
live_dir=$run_dir

# A run SIGKILLed mid-page: it cannot clean up.
"$bin" run -v never_exits.html >"$tmp/out" 2>"$tmp/err" &
killed=$!
clients+=("$killed")
wait_for_match 'ready and waiting' 60 "$tmp/out" >/dev/null || fail "SIGKILL: the page never printed: $(cat "$tmp/err")"
recorded_run "$tmp/err"
kill -KILL "$killed"
wait "$killed" 2>/dev/null
[ -d "$run_dir" ] || fail "SIGKILL: want the profile directory still there before the next run"
# The browser it started ends by itself once its DevTools pipe is closed (bounded wait).
for _ in $(seq 300); do pgrep -g "$run_pgid" >/dev/null || break; sleep 0.1; done
left=$(pgrep -g "$run_pgid" || true)
[ -z "$left" ] || fail "SIGKILL: the browser's group $run_pgid is alive 30 s after: $(ps -o pid,args -g "$run_pgid" | head -5)"
echo "ok: a SIGKILLed run's browser (group $run_pgid) exits by itself"

# The next run collects the dead run's directory, and leaves the live run's alone.
timeout 120 "$bin" run --timeout 60 csp.html >"$tmp/out2" 2>"$tmp/err2"; rc=$?
[ $rc = 4 ] || fail "next run: exit $rc, want 4; stderr: $(cat "$tmp/err2")"
[ ! -e "$run_dir" ] || fail "the next run did not collect $run_dir: $(ls -la "$run_dir")"
[ -d "$live_dir" ] || fail "the next run removed the live run's directory $live_dir"
echo "ok: the next run removes the SIGKILLed run's profile and keeps a live run's"

# The live run still ends cleanly.
kill -TERM "$runner"
timeout 30 tail --pid="$runner" -f /dev/null || fail "live run did not end within 30 s"
wait "$runner"; rc=$?
runner=
[ $rc = 143 ] || fail "live run: exit $rc, want 143; stderr: $(cat "$tmp/live.err")"
run_dir=$live_dir
recorded_run "$tmp/live.err"
left_nothing_behind
echo "ok: the live run ends with SIGTERM and leaves nothing behind"
