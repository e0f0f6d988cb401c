#!/usr/bin/env bash
# `wasmdev check`'s bounds hold and never pass what was not checked: a server that accepts and
# never answers ends the check at --timeout with exit 1 (the page was not fetched); a page
# naming more scripts than --max-resources lists the rest as not checked; a same-origin
# redirect (a directory without its slash) is followed; a large .wasm is judged by its own
# size (the range probe's Content-Range), not by its compressed length; another origin's
# module is asked for with Origin, as the browser's CORS request is.
# Usage: check_bounds.sh WASMDEV REPO_ROOT
. "$(dirname "$0")/script.bash"
command -v python3 >/dev/null || { echo "SKIP: python3 is missing"; exit 77; }

# A listener that accepts and never answers a byte.
python3 -c '
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(8)
print("serving http://127.0.0.1:%d/" % s.getsockname()[1], flush=True)
held = []
while True:
    held.append(s.accept()[0])
' > "$tmp/silent.log" 2>&1 &
pid=$!
url=$(wait_for_url "$tmp/silent.log") || fail "the silent server did not start"
timeout 60 "$bin" check --timeout 2 "$url" > "$tmp/out" 2>&1; rc=$?
[ $rc = 1 ] || fail "silent server: exit $rc, want 1: $(cat "$tmp/out")"
grep -q 'stopped after 2 s (the total time limit) while fetching '"$url" "$tmp/out" || fail "silent server: $(cat "$tmp/out")"
grep -q '^  error: .*: fetch: the page was not fetched' "$tmp/out" || fail "silent server: no error: $(cat "$tmp/out")"
echo "ok: a server that never answers ends the check at --timeout, exit 1"
kill "$pid"; wait "$pid" 2>/dev/null; pid=

# Twelve scripts and a directory linked without its slash, served by wasmdev serve.
site=$tmp/site; mkdir -p "$site/sub"
{ echo '<!doctype html><title>many</title>'
  for i in $(seq 12); do echo "<script src=\"s$i.js\"></script>"; done; } > "$site/many.html"
for i in $(seq 12); do echo "console.log($i);" > "$site/s$i.js"; done
echo '<!doctype html><title>sub</title><script src="/s1.js"></script>' > "$site/sub/index.html"
"$bin" serve "$site" --port 0 > "$tmp/serve.log" 2>&1 &
pid=$!
url=$(wait_for_url "$tmp/serve.log") || fail "wasmdev serve did not print its URL"
timeout 60 "$bin" check --max-resources 5 "${url}many.html" > "$tmp/out" 2>&1; rc=$?
[ "$(grep -cE '^ +200 script ' "$tmp/out")" = 4 ] || fail "--max-resources 5: not 4 scripts fetched: $(cat "$tmp/out")"
grep -q 'not checked: 8 more URL(s) not fetched: the limit is 5 requests' "$tmp/out" || fail "--max-resources: $(cat "$tmp/out")"
grep -q '^  warning: .*: limits: ' "$tmp/out" || fail "--max-resources: no warning: $(cat "$tmp/out")"
[ $rc = 0 ] || fail "--max-resources: exit $rc, want 0 (what was checked passes): $(cat "$tmp/out")"
echo "ok: --max-resources 5 fetches five and lists the other eight as not checked"

timeout 60 "$bin" check "${url}sub" > "$tmp/out" 2>&1; rc=$?
[ $rc = 0 ] || fail "redirect: exit $rc: $(cat "$tmp/out")"
grep -qE "^ +200 page .* ${url}sub/\$" "$tmp/out" || fail "redirect not followed to ${url}sub/: $(cat "$tmp/out")"
grep -qE "^ +200 script .* ${url}s1.js\$" "$tmp/out" || fail "redirect: the script is resolved against the final URL: $(cat "$tmp/out")"
echo "ok: a same-origin redirect is followed, and references resolve against where it led"

# The page itself redirected to another origin (as http:// to https:// does): followed, and
# that origin becomes the page's. localhost and 127.0.0.1 are two origins of one server.
python3 -c '
import http.server, sys
target = sys.argv[1]
class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def do_GET(self):
        self.send_response(301); self.send_header("Location", target); self.send_header("Content-Length", "0"); self.end_headers()
s = http.server.HTTPServer(("127.0.0.1", 0), H)
print("serving http://127.0.0.1:%d/" % s.server_address[1], flush=True)
s.serve_forever()
' "${url/127.0.0.1/localhost}sub/" > "$tmp/redirect.log" 2>&1 &
clients+=($!)
from=$(wait_for_url "$tmp/redirect.log") || fail "the redirecting server did not start"
timeout 60 "$bin" check "$from" > "$tmp/out" 2>&1; rc=$?
[ $rc = 0 ] || fail "page redirected to another origin: exit $rc: $(cat "$tmp/out")"
grep -qE "^ +200 script .* ${url/127.0.0.1/localhost}s1.js\$" "$tmp/out" || fail "the page's origin is not where it landed: $(cat "$tmp/out")"
grep -q 'other origin' "$tmp/out" && fail "same-origin resources fetched as other-origin: $(cat "$tmp/out")"
echo "ok: a page redirected to another origin is followed, and that origin is the page's"
kill "$pid"; wait "$pid" 2>/dev/null; pid=

# A module from another origin (localhost beside 127.0.0.1) whose server sends
# Access-Control-Allow-Origin only to a request with Origin, as a browser's module request has.
cors=$tmp/cors
cp -R "$2/tests/fixtures/check-site" "$cors"
python3 "$(dirname "$0")/check_server.py" "$cors" cors > "$tmp/cors.log" 2>&1 &
pid=$!
url=$(wait_for_url "$tmp/cors.log") || fail "check_server.py cors did not start"
echo "<!doctype html><script type=\"module\" src=\"${url/127.0.0.1/localhost}lib.mjs\"></script>" > "$cors/other.html"
timeout 60 "$bin" check "${url}other.html" > "$tmp/out" 2>&1; rc=$?
[ $rc = 0 ] || fail "a CORS module from another origin: exit $rc, want 0: $(cat "$tmp/out")"
grep -qE "^ +200 module .*lib\.mjs \(other origin: HEAD only\)\$" "$tmp/out" || fail "other-origin module: $(cat "$tmp/out")"
kill "$pid"; wait "$pid" 2>/dev/null; pid=
echo "ok: another origin's module is checked with Origin, as the browser asks for it"

# A 3 MB .wasm: wasmdev serve compresses it and answers the range probe 206 (no warning, the
# file's own size from Content-Range); the python3 server does neither (two warnings, exit 0).
big=$tmp/big
cp -R "$2/tests/fixtures/check-site" "$big"
{ printf '\0asm\1\0\0\0'; head -c 3000000 /dev/zero; } > "$big/app.wasm"
"$bin" serve "$big" --port 0 > "$tmp/serve2.log" 2>&1 &
pid=$!
url=$(wait_for_url "$tmp/serve2.log") || fail "wasmdev serve did not print its URL"
timeout 60 "$bin" check --json "$url" > "$tmp/json"; rc=$?
[ $rc = 0 ] || fail "big wasm on serve: exit $rc: $(cat "$tmp/json")"
python3 - "$tmp/json" <<'PY' || fail "big wasm on serve: $(cat "$tmp/json")"
import json, sys
r = json.load(open(sys.argv[1]))
w = [x for x in r["resources"] if x["kind"] == "wasm"][0]
assert w["range_status"] == 206 and w["identity_size"] == 3000008, w
assert w["headers"]["content-encoding"] in ("br", "gzip"), w["headers"]
assert r["problems"] == [], r["problems"]
PY
kill "$pid"; wait "$pid" 2>/dev/null; pid=
python3 "$(dirname "$0")/check_server.py" "$big" good > "$tmp/py.log" 2>&1 &
pid=$!
url=$(wait_for_url "$tmp/py.log") || fail "check_server.py did not start"
timeout 60 "$bin" check "$url" > "$tmp/out" 2>&1; rc=$?
[ $rc = 0 ] || fail "big wasm, no ranges: exit $rc, want 0 (warnings only): $(cat "$tmp/out")"
grep -q '^  warning: .*/app\.wasm: ranges: a Range request got 200 instead of 206' "$tmp/out" || fail "no ranges warning: $(cat "$tmp/out")"
grep -q '^  warning: .*/app\.wasm: compression: 3000008 bytes sent uncompressed' "$tmp/out" || fail "no compression warning: $(cat "$tmp/out")"
echo "ok: a 3 MB .wasm: compressed with ranges on wasmdev serve; two warnings where neither is done"
kill "$pid"; wait "$pid" 2>/dev/null; pid=
echo "PASS: check_bounds"
