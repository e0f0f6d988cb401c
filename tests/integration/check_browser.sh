#!/usr/bin/env bash
# `wasmdev check --browser` in real headless Chromium (the launcher `wasmdev run` uses): on
# `wasmdev serve` of the check fixture the browser says crossOriginIsolated true and blocks
# nothing (exit 0); on a python3 server that sends no COEP on the worker script, the browser
# reports worker.js blocked with DevTools' reason, and check exits 1.
# Usage: check_browser.sh WASMDEV REPO_ROOT
. "$(dirname "$0")/script.bash"
chromium=${WASMDEV_BROWSER:-/usr/bin/chromium}
[ -x "$chromium" ] || { echo "SKIP: $chromium is missing (Debian package chromium)"; exit 77; }
command -v python3 >/dev/null || { echo "SKIP: python3 is missing"; exit 77; }
site=$2/tests/fixtures/check-site
check() { timeout 150 "$bin" check --browser --timeout 90 "$@"; }

"$bin" serve "$site" --port 0 > "$tmp/serve.log" 2>&1 &
pid=$!
url=$(wait_for_url "$tmp/serve.log") || fail "wasmdev serve did not print its URL: $(cat "$tmp/serve.log")"
check "$url" > "$tmp/out" 2>&1; rc=$?
[ $rc = 0 ] || fail "--browser on wasmdev serve: exit $rc, want 0: $(cat "$tmp/out")"
grep -qx 'browser: crossOriginIsolated true' "$tmp/out" || fail "no crossOriginIsolated true: $(cat "$tmp/out")"
grep -q '^browser blocked:' "$tmp/out" && fail "the browser blocked something: $(cat "$tmp/out")"
echo "ok: on wasmdev serve the browser is cross-origin isolated and blocks nothing"
kill "$pid"; wait "$pid" 2>/dev/null; pid=

python3 "$(dirname "$0")/check_server.py" "$site" worker-no-coep > "$tmp/py.log" 2>&1 &
pid=$!
url=$(wait_for_url "$tmp/py.log") || fail "check_server.py did not start: $(cat "$tmp/py.log")"
check --json "$url" > "$tmp/json" 2>"$tmp/err"; rc=$?
[ $rc = 1 ] || fail "--browser, worker without COEP: exit $rc, want 1: $(cat "$tmp/json" "$tmp/err")"
python3 - "$tmp/json" "$url" <<'PY' || fail "--browser --json: $(cat "$tmp/json")"
import json, sys
r, url = json.load(open(sys.argv[1])), sys.argv[2]
b = r["browser"]
assert "error" not in b, b
assert {"url": url + "worker.js", "reason": "coep-frame-resource-needs-coep-header"} in b["blocked"], b
PY
echo "ok: the browser reports worker.js blocked (coep-frame-resource-needs-coep-header), exit 1"
kill "$pid"; wait "$pid" 2>/dev/null; pid=
echo "PASS: check_browser"
