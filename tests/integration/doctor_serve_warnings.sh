#!/usr/bin/env bash
# Serve-time diagnosis (docs/design.md#serve-diagnosis): a browser asks for the debug file a served module names
# and it is missing: the real server logs one warning naming the module and what to do (once
# per path, not per request, and no generic missing-.wasm line besides), and
# /__wasmdev/modules.json lists the module with the doctor's verdict once the background lane
# has diagnosed it ("pending" before; its debug log line is the event waited for).
# Usage: doctor_serve_warnings.sh WASMDEV REPO_ROOT
set -u
. "$(dirname "$0")/wait.bash"
bin=$1
tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; echo "--- server output:"; cat "$tmp/out.log" "$tmp/err.log" 2>/dev/null; exit 1; }
command -v curl >/dev/null || { echo "skip: curl is not installed"; exit 77; }

# A module whose external_debug_info section names "dbg/app.debug.wasm", as -gseparate-dwarf
# with a subdirectory writes it; the debug file itself is absent.
mkdir -p "$tmp/root/out"
python3 - "$tmp/root/out/app.wasm" <<'PY'
import sys
def name(s): b = s.encode(); return bytes([len(b)]) + b
payload = name("external_debug_info") + name("dbg/app.debug.wasm")
open(sys.argv[1], "wb").write(b"\0asm\x01\0\0\0" + bytes([0, len(payload)]) + payload)
PY

"$bin" serve "$tmp/root" --port 0 --log-level debug >"$tmp/out.log" 2>"$tmp/err.log" &
pid=$!
url=$(wait_for_url "$tmp/out.log")
[ -n "$url" ] || fail "no URL line within 10 s"

# Waits until the server's output has a line matching $1 (deadline 60 s).
wait_for_line() { wait_for_match "$1" 60 "$tmp/out.log" "$tmp/err.log" >/dev/null; }

# Before the module is served, its debug file's 404 is an ordinary one (the query only marks
# its log line, "/out/dbg/app.debug.wasm?before ...", apart from the later ones).
code=$(curl -s -o /dev/null -w '%{http_code}' "${url}out/dbg/app.debug.wasm?before")
[ "$code" = 404 ] || fail "debug file answered $code, want 404"

code=$(curl -s -o /dev/null -w '%{http_code}' "${url}out/app.wasm")
[ "$code" = 200 ] || fail "module answered $code"
# DevTools asks twice (and retries on reload); then a missing .wasm, whose own warning marks
# the point by which the second request's warning would have been written (one connection,
# requests in order).
curl -s -o /dev/null -o /dev/null -o /dev/null "${url}out/dbg/app.debug.wasm" "${url}out/dbg/app.debug.wasm" "${url}marker-missing.wasm"
wait_for_line "marker-missing.wasm" || fail "no warning for the missing marker module"
n=$(cat "$tmp/out.log" "$tmp/err.log" | grep -c "names it as its external_debug_info")
[ "$n" = 1 ] || fail "want exactly one explained warning for the debug file, got $n"
line=$(cat "$tmp/out.log" "$tmp/err.log" | grep "names it as its external_debug_info")
for want in "warning: /out/dbg/app.debug.wasm" "/out/app.wasm" "SEPARATE_DWARF_URL" "wasmdev doctor out/app.wasm"; do
  case $line in *"$want"*) ;; *) fail "the warning lacks '$want': $line" ;; esac
done
# DevTools' retry is not logged again, not even as "a .wasm was requested that does not exist".
n=$(cat "$tmp/out.log" "$tmp/err.log" | grep -c "app.debug.wasm a .wasm was requested")
[ "$n" = 0 ] || fail "the debug file's 404 got the generic warning as well"

# The self-check page's list: the module, its resolved debug-file URL and the verdict. The
# first ask finds it pending and queues the diagnosis; the lane's debug line says when it is done.
origin=${url%/}
json=$(curl -s "${url}__wasmdev/modules.json")
printf '%s' "$json" | python3 -c 'import json, sys; sys.exit(0 if any(m.get("pending") is True for m in json.load(sys.stdin)["modules"]) else 1)' || fail "modules.json before the diagnosis: $json"
wait_for_line "doctor: diagnosed out/app.wasm for $origin \\(n=1\\)" || fail "the lane never diagnosed the module"
json=$(curl -s "${url}__wasmdev/modules.json")
printf '%s' "$json" | python3 -c '
import json, sys
d = json.load(sys.stdin)
m = [x for x in d["modules"] if x["module"] == "out/app.wasm"]
assert m, "out/app.wasm is not listed"
m = m[0]
assert m["exit_code"] == 1, m["exit_code"]
files = [f for f in m["debug_files"] if f["role"] == "external_debug_info"]
assert files and files[0]["url"].endswith("/out/dbg/app.debug.wasm") and not files[0]["exists"], files
' || fail "modules.json: $json"
# That ask queued diagnosis n=2; once it is done, a change is seen by the next one queued.
wait_for_line "doctor: diagnosed out/app.wasm for $origin \\(n=2\\)" || fail "the lane never diagnosed the module again"

# With the debug file in place the list says it exists (this one holds no DWARF, and says so).
mkdir -p "$tmp/root/out/dbg"
printf '\0asm\1\0\0\0' > "$tmp/root/out/dbg/app.debug.wasm"
curl -s -o /dev/null "${url}__wasmdev/modules.json"  # answered from the cache; queues diagnosis n=3
wait_for_line "doctor: diagnosed out/app.wasm for $origin \\(n=3\\)" || fail "the lane never diagnosed the module again"
curl -s "${url}__wasmdev/modules.json" | python3 -c '
import json, sys
m = [x for x in json.load(sys.stdin)["modules"] if x["module"] == "out/app.wasm"][0]
f = [f for f in m["debug_files"] if f["role"] == "external_debug_info"][0]
assert f["exists"], m
assert any("holds no DWARF" in x["message"] for x in m["findings"]), m["findings"]
' || fail "modules.json does not see the debug file once it exists"
echo "OK: one explained warning for the missing debug file; modules.json lists the module and its verdict"
